/**
 * Policy document validation in the order IAM applies its checks; IAM reports only the first
 * failing stage, each with a fixed MalformedPolicyDocument text:
 *  1. grammar ("Syntax errors in policy.")
 *  2. version, where the caller requires 2012-10-17 (managed policies)
 *  3. the legacy parser: case-sensitive Effect, date condition values, resource ARN shapes
 *  4. statement IDs, then actions present, then principal rules of the policy kind,
 *     then resources present
 *  5. resource ARN format errors (they name the resource), then action vendor prefixes
 *  6. trust policies: STS actions only, no Resource, a valid Principal
 * The texts and their order were taken from public reproductions of IAM's answers.
 */
import { conditionValueTexts, isDateOperator, parseOperator } from './conditions.js';
import { POLICY_ERRORS, PolicyParseError } from './errors.js';
import { invalidPrincipalMessage, PRINCIPAL_TYPES } from './principals.js';

/** identity: attached to users, groups, roles, or used as boundary/session policy; resource: on a resource; trust: a role's trust policy. */
export type PolicyKind = 'identity' | 'resource' | 'trust';

export interface ValidateOptions {
  readonly kind: PolicyKind;
  /** Managed policies (CreatePolicy, CreatePolicyVersion) must say 2012-10-17; inline and trust policies need not. */
  readonly requireVersion2012: boolean;
}

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export interface RawStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface ValidatedDocument {
  /** An absent Version behaves as 2008-10-17. */
  readonly version: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly RawStatement[];
}

const TOP_LEVEL_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);
const IAM_RESOURCE_PATHS = [
  'user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/', 'policy/', 'sms-mfa/',
  'saml-provider/', 'oidc-provider/', 'report/', 'access-report/',
];
const TRUST_ACTIONS = new Set(
  [
    'sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'sts:DecodeAuthorizationMessage', 'sts:GetAccessKeyInfo',
    'sts:GetCallerIdentity', 'sts:GetFederationToken', 'sts:GetServiceBearerToken', 'sts:GetSessionToken', 'sts:SetSourceIdentity', 'sts:TagSession',
  ].map((a) => a.toLowerCase()),
);

function fail(message: string): never {
  throw new PolicyParseError(message);
}

export function validatePolicy(document: string | object, options: ValidateOptions): ValidatedDocument {
  const json = readJson(document, options.kind);
  const { version, id, statements } = checkGrammar(json);
  if (options.requireVersion2012 && version !== '2012-10-17') fail(POLICY_ERRORS.version);
  const resourceError = legacyParse(statements);
  checkSids(statements, options.kind);
  if (!statements.every((s) => present(s.Action) || present(s.NotAction))) fail(POLICY_ERRORS.noActions);
  checkPrincipalPresence(statements, options.kind);
  if (options.kind !== 'trust' && !statements.every((s) => present(s.Resource) || present(s.NotResource))) fail(POLICY_ERRORS.noResources);
  if (resourceError) fail(resourceError);
  checkActionVendors(statements);
  if (options.kind === 'trust') checkTrustPolicy(statements);
  if (options.kind !== 'identity') checkPrincipals(statements);
  return { version, id, statements };
}

function readJson(document: string | object, kind: PolicyKind): unknown {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document);
  } catch {
    // CreateRole words an unparsable trust policy differently from every other policy API.
    return fail(kind === 'trust' ? POLICY_ERRORS.invalidJson : POLICY_ERRORS.syntax);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/** An element is present when it exists and, as a list, is not empty. */
function present(value: string | string[] | undefined): boolean {
  return value !== undefined && (typeof value === 'string' || value.length > 0);
}

function listOf(value: string | string[]): string[] {
  return typeof value === 'string' ? [value] : value;
}

function checkGrammar(json: unknown): ValidatedDocument {
  if (!isRecord(json) || !Object.keys(json).every((k) => TOP_LEVEL_KEYS.has(k))) fail(POLICY_ERRORS.syntax);
  const { Version: version, Id: id, Statement: statement } = json;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') fail(POLICY_ERRORS.syntax);
  if (id !== undefined && typeof id !== 'string') fail(POLICY_ERRORS.syntax);
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  if (statements.length === 0 || !statements.every(statementGrammarOk)) fail(POLICY_ERRORS.syntax);
  return { version: (version ?? '2008-10-17') as PolicyVersion, id: id as string | undefined, statements: statements as RawStatement[] };
}

function statementGrammarOk(statement: unknown): boolean {
  if (!isRecord(statement) || !Object.keys(statement).every((k) => STATEMENT_KEYS.has(k))) return false;
  const has = (key: string) => statement[key] !== undefined;
  if ((has('Resource') && has('NotResource')) || (has('Action') && has('NotAction')) || (has('Principal') && has('NotPrincipal'))) return false;
  const effect = statement.Effect;
  if (typeof effect !== 'string' || !['allow', 'deny'].includes(effect.toLowerCase())) return false;
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource']) {
    if (has(key) && !isStringList(statement[key])) return false;
  }
  if (has('Sid') && typeof statement.Sid !== 'string') return false;
  for (const key of ['Principal', 'NotPrincipal']) {
    if (has(key) && !principalGrammarOk(statement[key])) return false;
  }
  return !has('Condition') || conditionGrammarOk(statement.Condition);
}

function principalGrammarOk(principal: unknown): boolean {
  if (typeof principal === 'string') return true;
  return isRecord(principal) && Object.entries(principal).every(([type, v]) => PRINCIPAL_TYPES.includes(type) && isStringList(v));
}

function conditionGrammarOk(condition: unknown): boolean {
  if (!isRecord(condition)) return false;
  return Object.entries(condition).every(([operator, block]) => {
    if (!isRecord(block)) return false;
    const valuesOk = Object.values(block).every((v) => (Array.isArray(v) ? v.every(isConditionScalar) : isConditionScalar(v)));
    // An unknown operator passes only with nothing under it.
    return valuesOk && (parseOperator(operator) !== undefined || Object.keys(block).length === 0);
  });
}

function isConditionScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Runs the legacy parser's checks; returns the resource format error that is reported later, if any. */
function legacyParse(statements: readonly RawStatement[]): string {
  for (const statement of statements) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') fail(POLICY_ERRORS.legacyParsing);
    for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
      if (!isDateOperator(operator)) continue;
      for (const raw of Object.values(block)) {
        if (!conditionValueTexts(raw).every(legacyDateOk)) fail(POLICY_ERRORS.legacyParsing);
      }
    }
  }
  let resourceError = '';
  for (const key of ['Resource', 'NotResource'] as const) {
    for (const statement of statements) {
      const value = statement[key];
      if (value === undefined) continue;
      // IAM reports the last failing resource of a list sorted in descending order.
      for (const resource of typeof value === 'string' ? [value] : [...value].sort().reverse()) {
        resourceError = resourceFormatError(resource) ?? resourceError;
      }
      if (!resourceError && !listOf(value).every(legacyResourceOk)) fail(POLICY_ERRORS.legacyParsing);
    }
  }
  return resourceError;
}

function legacyResourceOk(resource: string): boolean {
  if (resource === '*') return true;
  if ((resource.match(/:/g)?.length ?? 0) < 5 && resource.includes('::')) return false;
  return (resource.split(':')[2] ?? '') !== '';
}

function resourceFormatError(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const [, afterScheme, hasScheme] = partition(resource);
  if (!hasScheme) return `Resource ${resource} must be in ARN format or "*".`;
  const [partitionName, afterPartition, hasVendor] = partition(afterScheme);
  if (partitionName !== '*' && !PARTITIONS.has(partitionName)) {
    const rest = afterPartition.split(':');
    const first = rest[0] !== '' || rest.length > 1 ? rest[0] : '*';
    const last = rest.length > 3 ? rest.slice(3).join(':') : '*';
    return `Partition "${partitionName}" is not valid for resource "arn:${partitionName}:${first}:${rest[1] ?? '*'}:${rest[2] ?? '*'}:${last}".`;
  }
  if (!hasVendor) return POLICY_ERRORS.resourceVendor;
  const [service, afterService] = partition(afterPartition);
  const resourceId = partition(partition(afterService)[1])[1];
  if ((service === 'iam' || service === 's3') && !afterService.startsWith(':') && !(service === 's3' && resourceId.startsWith('accesspoint/'))) {
    return service === 'iam' ? `IAM resource ${resource} cannot contain region information.` : `Resource ${resource} can not contain region information.`;
  }
  if (service === 'iam' && resourceId !== '*' && resourceId !== 'root' && !IAM_RESOURCE_PATHS.some((p) => resourceId.startsWith(p))) {
    return `IAM resource path must either be "*", root, or start with ${IAM_RESOURCE_PATHS.join(', ')}.`;
  }
  return undefined;
}

/** Splits at the first colon: [before, after, whether there was one]. */
function partition(text: string): [string, string, boolean] {
  const colon = text.indexOf(':');
  return colon < 0 ? [text, '', false] : [text.slice(0, colon), text.slice(colon + 1), true];
}

const PY_INT = /^\s*[+-]?\d+\s*$/;

function intInRange(text: string | undefined, low: number, high: number): boolean {
  if (text === undefined || !PY_INT.test(text)) return false;
  const n = Number(text);
  return n >= low && n <= high;
}

/** The legacy parser's reading of a date: ISO 8601 when it has a `t` or `-`, else epoch seconds. */
function legacyDateOk(value: string): boolean {
  const lower = value.toLowerCase();
  if (!lower.includes('t') && !value.includes('-')) return PY_INT.test(value) && BigInt(value.trim().replace(/^\+/, '')) <= 2n ** 63n - 1n;
  const [datePart, timePart] = [lower.split('t')[0], lower.split('t').slice(1).join('t')];
  const negativeYear = datePart.startsWith('-');
  const dateParts = (negativeYear ? datePart.slice(1) : datePart).split('-');
  if (!intInRange((negativeYear ? '-' : '') + dateParts[0], -292275054, 292278993)) return false;
  if (dateParts.length > 1 && !intInRange(dateParts[1], 1, 12)) return false;
  if (dateParts.length > 2 && !intInRange(dateParts[2], 1, 31)) return false;
  if (dateParts.length > 3) return false;
  const timeParts = timePart.split(':');
  if (timeParts[0] !== '' && !intInRange(timeParts[0], 0, 23)) return false;
  if (timeParts.length > 1 && !intInRange(timeParts[1], 0, 59)) return false;
  if (timeParts.length > 2 && !legacySecondsOk(timeParts.slice(2).join(':'))) return false;
  return true;
}

/** Seconds with an optional fraction and zone: `ss[.fff](z|±hh[:mm])`. */
function legacySecondsOk(text: string): boolean {
  const m = /^([^z+-]*)(?:z|([+-])(\d*)(?::(\d*))?)?$/.exec(text);
  if (!m) return false;
  if (m[2] !== undefined && (m[3].length !== 2 || !intInRange(m[3], 0, 23))) return false;
  if (m[4] !== undefined && (m[4].length !== 2 || !intInRange(m[4], 0, 59))) return false;
  const [whole, fraction] = m[1].split('.');
  if (!intInRange(whole, 0, 59)) return false;
  return fraction === undefined || intInRange(fraction, 0, 999999999);
}

function checkSids(statements: readonly RawStatement[], kind: PolicyKind): void {
  const seen = new Set<string>();
  for (const { Sid: sid } of statements) {
    if (!sid) continue;
    if (seen.has(sid)) fail(POLICY_ERRORS.duplicateSid);
    seen.add(sid);
  }
  if (kind === 'identity' && !statements.every((s) => /^[0-9A-Za-z]*$/.test(s.Sid ?? ''))) fail(POLICY_ERRORS.sidFormat);
}

function checkPrincipalPresence(statements: readonly RawStatement[], kind: PolicyKind): void {
  const named = (s: RawStatement) => s.Principal !== undefined || s.NotPrincipal !== undefined;
  if (kind === 'identity' && statements.some(named)) fail(POLICY_ERRORS.principalNotAllowed);
  if (kind === 'resource' && !statements.every(named)) fail(POLICY_ERRORS.missingPrincipal);
}

function checkActionVendors(statements: readonly RawStatement[]): void {
  for (const key of ['Action', 'NotAction'] as const) {
    for (const statement of statements) {
      for (const action of listOf(statement[key] ?? [])) {
        const parts = action.split(':');
        if (parts.length === 1 && parts[0] !== '*') fail(POLICY_ERRORS.actionVendor);
        if (parts.length > 2) fail(POLICY_ERRORS.actionColons);
        if (parts[0] !== '*' && /[^a-zA-Z0-9\-.]/.test(parts[0])) fail(`Vendor ${parts[0]} is not valid`);
      }
    }
  }
}

function checkTrustPolicy(statements: readonly RawStatement[]): void {
  for (const statement of statements) {
    if (statement.Action === undefined || !listOf(statement.Action).every((a) => TRUST_ACTIONS.has(a.toLowerCase()))) fail(POLICY_ERRORS.trustActions);
  }
  if (statements.some((s) => s.Resource !== undefined || s.NotResource !== undefined)) fail(POLICY_ERRORS.trustResource);
  if (statements.some((s) => s.NotPrincipal !== undefined)) fail(POLICY_ERRORS.trustNotPrincipal);
  if (statements.some((s) => s.Principal === undefined)) fail(POLICY_ERRORS.trustWithoutPrincipal);
  if (statements.some((s) => s.Principal === '*')) fail(POLICY_ERRORS.trustStarPrincipal);
}

function checkPrincipals(statements: readonly RawStatement[]): void {
  for (const statement of statements) {
    const element = statement.Principal ?? statement.NotPrincipal;
    const message = element === undefined ? undefined : invalidPrincipalMessage(element);
    if (message) fail(message);
  }
}
