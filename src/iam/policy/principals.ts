/**
 * The Principal / NotPrincipal element of resource-based and trust policies: its validation and
 * how a named principal matches the caller.
 */

/** Who is asking. */
export interface Principal {
  /**
   * root: the account root user. user, role: IAM identities. role-session: an assumed role
   * (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`). federated-user: a GetFederationToken
   * session. service: an AWS service principal (arn = "codebuild.amazonaws.com").
   * identity-provider: a SAML/OIDC caller of AssumeRoleWith* (arn = the provider).
   */
  readonly type: 'root' | 'user' | 'role' | 'role-session' | 'federated-user' | 'service' | 'identity-provider';
  readonly arn: string;
  readonly accountId: string;
  readonly userId?: string;
  /** role-session: the role it was assumed from. */
  readonly roleArn?: string;
  /** federated-user: the IAM user whose credentials called GetFederationToken. */
  readonly userArn?: string;
}

/**
 * How strongly a resource-policy principal entry names the caller (iam.md §1.4):
 * exact: the very principal (user, role session, federated session, service, everyone): grants alone;
 * identity: the role behind a session or the user behind a federated session: counts as an
 *   identity-side allow, still limited by permissions boundary and session policy;
 * account: the caller's account: delegates to identity policies, grants nothing by itself.
 */
export type PrincipalGrant = 'exact' | 'identity' | 'account';

type AwsEntry =
  | { kind: 'everyone' }
  | { kind: 'account'; accountId: string }
  | { kind: 'user' | 'role' | 'session' | 'federated-user'; arn: string };

export interface CompiledPrincipals {
  readonly aws: readonly AwsEntry[];
  readonly services: ReadonlySet<string>;
  readonly federated: ReadonlySet<string>;
}

export const PRINCIPAL_TYPES: readonly string[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

const AWS_PRINCIPAL =
  /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:(iam|sts)::(\d{12}):(root|user\/.+|role\/.+|assumed-role\/[^/]+\/.+|federated-user\/.+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.amazonaws\.com$/;

/** The principal element as (type, values) pairs; `"*"` reads as `{"AWS": "*"}`. */
function principalEntries(element: unknown): [string, string[]][] {
  if (element === '*') return [['AWS', ['*']]];
  if (typeof element === 'string') return [['AWS', [element]]];
  return Object.entries(element as Record<string, string | string[]>).map(([type, v]) => [type, Array.isArray(v) ? v : [v]]);
}

/** The AWS text for the first invalid entry, or undefined when every entry names a principal. */
export function invalidPrincipalMessage(element: unknown): string | undefined {
  if (typeof element === 'string' && element !== '*') return `Invalid principal in policy: "AWS":"${element}"`;
  for (const [type, values] of principalEntries(element)) {
    for (const value of values) {
      if (!validPrincipalValue(type, value)) return `Invalid principal in policy: "${type.toUpperCase()}":"${value}"`;
    }
  }
  return undefined;
}

function validPrincipalValue(type: string, value: string): boolean {
  switch (type) {
    case 'AWS':
      return value === '*' || /^\d{12}$/.test(value) || (AWS_PRINCIPAL.test(value) && !/[*?]/.test(value));
    case 'Service':
      return SERVICE_PRINCIPAL.test(value);
    case 'Federated':
      return value.length > 0 && !value.includes('*');
    default:
      // CanonicalUser belongs to S3's ACL world: no service here grants to it.
      return false;
  }
}

export function compilePrincipals(element: unknown): CompiledPrincipals {
  const aws: AwsEntry[] = [];
  const services = new Set<string>();
  const federated = new Set<string>();
  for (const [type, values] of principalEntries(element)) {
    for (const value of values) {
      if (type === 'Service') services.add(value);
      else if (type === 'Federated') federated.add(value);
      else if (type === 'AWS') aws.push(awsEntry(value));
    }
  }
  return { aws, services, federated };
}

function awsEntry(value: string): AwsEntry {
  if (value === '*') return { kind: 'everyone' };
  if (/^\d{12}$/.test(value)) return { kind: 'account', accountId: value };
  const m = AWS_PRINCIPAL.exec(value);
  const resource = m?.[3] ?? '';
  if (resource === 'root') return { kind: 'account', accountId: m![2] };
  if (resource.startsWith('user/')) return { kind: 'user', arn: value };
  if (resource.startsWith('role/')) return { kind: 'role', arn: value };
  if (resource.startsWith('assumed-role/')) return { kind: 'session', arn: value };
  return { kind: 'federated-user', arn: value };
}

const STRENGTH: Record<PrincipalGrant, number> = { account: 1, identity: 2, exact: 3 };

/** The strongest way the element names the caller, or undefined when it does not. */
export function principalGrant(principals: CompiledPrincipals, caller: Principal): PrincipalGrant | undefined {
  let best: PrincipalGrant | undefined;
  const consider = (grant: PrincipalGrant | undefined) => {
    if (grant && (!best || STRENGTH[grant] > STRENGTH[best])) best = grant;
  };
  for (const entry of principals.aws) consider(awsGrant(entry, caller));
  if (caller.type === 'service' && principals.services.has(caller.arn)) consider('exact');
  if (caller.type === 'identity-provider' && principals.federated.has(caller.arn)) consider('exact');
  return best;
}

function awsGrant(entry: AwsEntry, caller: Principal): PrincipalGrant | undefined {
  switch (entry.kind) {
    case 'everyone':
      return 'exact';
    case 'account':
      return entry.accountId === caller.accountId && caller.type !== 'service' && caller.type !== 'identity-provider' ? 'account' : undefined;
    case 'user':
      if (caller.type === 'user' && caller.arn === entry.arn) return 'exact';
      return caller.type === 'federated-user' && caller.userArn === entry.arn ? 'identity' : undefined;
    case 'role':
      if (caller.type === 'role' && caller.arn === entry.arn) return 'identity';
      return caller.type === 'role-session' && caller.roleArn === entry.arn ? 'identity' : undefined;
    case 'session':
      return caller.type === 'role-session' && caller.arn === entry.arn ? 'exact' : undefined;
    case 'federated-user':
      return caller.type === 'federated-user' && caller.arn === entry.arn ? 'exact' : undefined;
  }
}

/**
 * NotPrincipal (with Deny) exempts the caller only when every identity IAM checks for it is
 * listed: the account, then the user, or the role and then its session (IAM UG, NotPrincipal:
 * "AWS might validate the account first, then the user"; list the account ARN as well).
 */
export function notPrincipalExempts(principals: CompiledPrincipals, caller: Principal): boolean {
  if (caller.type === 'service') return principals.services.has(caller.arn);
  if (caller.type === 'identity-provider') return principals.federated.has(caller.arn);
  const listed = (check: (entry: AwsEntry) => boolean) => principals.aws.some((e) => e.kind === 'everyone' || check(e));
  if (!listed((e) => e.kind === 'account' && e.accountId === caller.accountId)) return false;
  switch (caller.type) {
    case 'root':
      return true;
    case 'user':
      return listed((e) => e.kind === 'user' && e.arn === caller.arn);
    case 'role':
      return listed((e) => e.kind === 'role' && e.arn === caller.arn);
    case 'role-session':
      return listed((e) => e.kind === 'role' && e.arn === caller.roleArn) && listed((e) => e.kind === 'session' && e.arn === caller.arn);
    case 'federated-user':
      return listed((e) => e.kind === 'federated-user' && e.arn === caller.arn);
  }
}

/**
 * NotPrincipal with Allow grants everyone it does not name. Any identity IAM checks for the
 * caller being listed (its account, user, role or session) keeps it out: a NotPrincipal Allow must
 * never grant a principal it names, and where IAM's order of checks is unknown, naming one of
 * them is taken to name the caller.
 */
export function notPrincipalNames(principals: CompiledPrincipals, caller: Principal): boolean {
  if (principals.aws.some((e) => e.kind === 'everyone')) return true;
  if (caller.type === 'service') return principals.services.has(caller.arn);
  if (caller.type === 'identity-provider') return principals.federated.has(caller.arn);
  const identities = new Set([caller.arn, caller.roleArn, caller.userArn].filter((a): a is string => a !== undefined));
  return principals.aws.some((e) => (e.kind === 'account' ? e.accountId === caller.accountId : e.kind !== 'everyone' && identities.has(e.arn)));
}
