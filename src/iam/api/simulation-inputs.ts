import type { ContextEntry } from '@aws-sdk/client-iam';
import type { ContextValue } from '../policy/index.js';
import { parseDate, parseIp, parseNumber } from '../policy/values.js';
import { invalidInput } from './errors.js';

/**
 * Reading the policy simulator's request: which entity's policies to take, who calls, who owns the
 * resources, which actions and resources, and the typed context entries. Texts quoted from IAM's
 * answers are marked (observed); the others follow their style and are (unconfirmed).
 */

/** (observed) for an ARN that names no user, group or role, e.g. a role session. */
const invalidEntityArn = (arn: string) => invalidInput(`Invalid Entity Arn: ${arn} does not clearly define entity type and name.`);
/** (observed) for a user, group or role of another account. */
const foreignPolicySource = (callerAccount: string, sourceAccount: string) =>
  invalidInput(`Invalid Policy Source Arn: caller's account ${callerAccount} does not have access to policies in account ${sourceAccount}`);
/** (observed) a resource policy needs a user to stand in its Principal element. */
export const callerMustBeUser = () => invalidInput('Invalid caller - Caller must be an IAM user in this context.');
/** (observed) */
const invalidResourceNames = (names: string[]) => invalidInput(`ResourceNames are not in a valid ARN format: ${names.join(', ')}.`);
/** (observed, IAM's own grammar) */
const invalidResourceOwner = (owner: string) => invalidInput(`'${owner}' is not a valid as a Resource Owner.`);
/** (unconfirmed) */
const invalidActionName = (name: string) => invalidInput(`Action name ${name} is not valid: give service:ActionName without wildcards.`);
/** (unconfirmed) */
export const oneBoundaryOnly = () => invalidInput('You can input only one permissions boundary policy.');
/** (unconfirmed) */
const invalidHandlingOption = (option: string) => invalidInput(`Invalid ResourceHandlingOption: ${option}.`);

export type EntityKind = 'user' | 'group' | 'role';

export interface EntityArn {
  kind: EntityKind;
  accountId: string;
  name: string;
}

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(?:\/[\x21-\x7e]*)?\/([\w+=,.@-]+)$/;

/** PolicySourceArn: a user, group or role of the caller's own account. */
export function readSourceArn(arn: string, callerAccount: string): EntityArn {
  const m = ENTITY_ARN.exec(arn);
  if (!m) throw invalidEntityArn(arn);
  if (m[1] !== callerAccount) throw foreignPolicySource(callerAccount, m[1]);
  return { kind: m[2] as EntityKind, accountId: m[1], name: m[3] };
}

/** CallerArn: only an IAM user can be named (not a role, session, federated user or service). */
export function readCallerArn(arn: string): EntityArn {
  const m = ENTITY_ARN.exec(arn);
  if (!m) throw invalidEntityArn(arn);
  if (m[2] !== 'user') throw callerMustBeUser();
  return { kind: 'user', accountId: m[1], name: m[3] };
}

/** ResourceOwner: the account as `arn:aws:iam::<account>:root`; IAM refuses a bare account id. */
export function readResourceOwner(owner: string): string {
  const m = /^arn:aws:iam::(\d{12}):root$/.exec(owner);
  if (!m) throw invalidResourceOwner(owner);
  return m[1];
}

/** ActionNames: `service:Action`, one colon, no wildcards (the simulator evaluates exact actions only). */
export function checkActionNames(names: string[]): void {
  for (const name of names) {
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9_-]+$/.test(name)) throw invalidActionName(name);
  }
}

const ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;

/** ResourceArns: `*` or ARNs; `["*"]` when none were given. */
export function readResourceArns(arns: string[] | undefined): string[] {
  const list = arns && arns.length > 0 ? arns : ['*'];
  const bad = list.filter((a) => a !== '*' && !ARN.test(a));
  if (bad.length > 0) throw invalidResourceNames(bad);
  return list;
}

/** The account in a resource ARN, when the ARN names one (S3 buckets and objects do not). */
export function resourceAccount(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** The EC2 scenarios IAM documents; any other value is refused. They change nothing for this emulator's services. */
const HANDLING_OPTIONS = new Set([
  'EC2-Classic-InstanceStore',
  'EC2-Classic-EBS',
  'EC2-VPC-InstanceStore',
  'EC2-VPC-InstanceStore-Subnet',
  'EC2-VPC-EBS',
  'EC2-VPC-EBS-Subnet',
]);

export function checkResourceHandlingOption(option: string | undefined): void {
  if (option !== undefined && !HANDLING_OPTIONS.has(option)) throw invalidHandlingOption(option);
}

type KeyType = NonNullable<ContextEntry['ContextKeyType']>;

const VALUE_CHECKS: Record<string, (value: string) => boolean> = {
  string: () => true,
  numeric: (v) => !Number.isNaN(parseNumber(v)),
  boolean: (v) => /^(true|false)$/i.test(v),
  ip: (v) => parseIp(v.trim()) !== undefined,
  binary: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
  date: (v) => !Number.isNaN(parseDate(v)),
};

/** (unconfirmed) */
const badContextValue = (name: string, type: KeyType, value: string) =>
  invalidInput(`Invalid value for context key ${name} of type ${type}: ${value}`);
/** (unconfirmed) */
const tooManyContextValues = (name: string, type: KeyType) =>
  invalidInput(`Context key ${name} of type ${type} takes a single value; use ${type}List for several.`);
/** (unconfirmed) */
const missingContextKeyName = () => invalidInput('Every context entry needs a ContextKeyName.');

/**
 * ContextEntries as condition values, keyed by lower-case name (names are case-insensitive; a
 * later entry replaces an earlier one). Scalar types take one value, `…List` types any number;
 * each value must read as its type. An entry without a type is a string (list when it has several).
 */
export function readContextEntries(entries: ContextEntry[] | undefined): Map<string, { name: string; value: ContextValue }> {
  const out = new Map<string, { name: string; value: ContextValue }>();
  for (const entry of entries ?? []) {
    const name = entry.ContextKeyName;
    if (!name) throw missingContextKeyName();
    const values = entry.ContextKeyValues ?? [];
    const type: KeyType = entry.ContextKeyType ?? (values.length > 1 ? 'stringList' : 'string');
    const isList = type.endsWith('List');
    const base = isList ? type.slice(0, -'List'.length) : type;
    if (!isList && values.length > 1) throw tooManyContextValues(name, type);
    for (const value of values) if (!VALUE_CHECKS[base](value)) throw badContextValue(name, type, value);
    out.set(name.toLowerCase(), { name, value: isList ? [...values] : (values[0] ?? []) });
  }
  return out;
}
