import type { CallerIdentity, RequestContext } from '../core/context.js';
import type { PrincipalPolicies } from '../iam/api/principal-policies.js';
import type { RoleRecord } from '../iam/api/store.js';
import { evaluate, type ContextValue, type PolicyInput, type Principal } from '../iam/policy/index.js';
import { identityPolicyInputs } from '../iam/api/principal-policies.js';
import type { IamView } from './iam-view.js';
import type { StsSession } from './sessions.js';

/** A managed session policy that no longer exists grants nothing, and still limits the session. */
const GRANTS_NOTHING = '{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"*","Resource":"*"}}';

const PRINCIPAL_TYPE: Record<CallerIdentity['type'], string> = {
  root: 'Account',
  user: 'User',
  'role-session': 'AssumedRole',
  'federated-user': 'FederatedUser',
};

export function callerPrincipal(caller: CallerIdentity): Principal {
  return {
    type: caller.type,
    arn: caller.arn,
    accountId: caller.accountId,
    userId: caller.userId,
    ...(caller.roleArn ? { roleArn: caller.roleArn } : {}),
  };
}

/**
 * The global condition keys of a request (iam.md §6). For a role session aws:PrincipalArn is the
 * role's ARN and session tags win over the role's tags of the same key.
 */
export function globalContext(
  caller: CallerIdentity,
  policies: PrincipalPolicies | undefined,
  session: StsSession | undefined,
  ctx: RequestContext,
  now: Date,
): Record<string, ContextValue> {
  const values: Record<string, ContextValue> = {
    'aws:PrincipalArn': caller.roleArn ?? caller.arn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': PRINCIPAL_TYPE[caller.type],
    'aws:userid': caller.userId,
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:SecureTransport': ctx.endpoint.startsWith('https:'),
    'aws:SourceIp': ctx.sourceIp,
    'aws:RequestedRegion': ctx.region,
  };
  if (caller.userName) values['aws:username'] = caller.userName;
  const tags = new Map<string, [string, string]>();
  for (const tag of [...(policies?.tags ?? []), ...(session?.tags ?? [])]) {
    tags.set((tag.Key ?? '').toLowerCase(), [tag.Key ?? '', tag.Value ?? '']);
  }
  for (const [key, value] of tags.values()) values[`aws:PrincipalTag/${key}`] = value;
  if (session) {
    values['aws:TokenIssueTime'] = session.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
    // No session is created with MFA: codesuite has no MFA devices yet.
    values['aws:MultiFactorAuthPresent'] = false;
    if (session.sourceIdentity) values['aws:SourceIdentity'] = session.sourceIdentity;
  }
  return values;
}

/** The session policies of the calling session, managed ones as their current default version. */
function callerSessionPolicies(iam: IamView, session: StsSession | undefined): PolicyInput[] {
  if (!session) return [];
  const { policy, policyArns } = session.sessionPolicies;
  const inputs: PolicyInput[] = policy ? [{ id: 'session', document: policy }] : [];
  for (const arn of policyArns) inputs.push({ id: arn, document: iam.managedPolicyDocument(session.accountId, arn) ?? GRANTS_NOTHING });
  return inputs;
}

/**
 * Whether the caller may perform a trust-policy action (sts:AssumeRole, sts:TagSession,
 * sts:SetSourceIdentity) on a role: the role's trust policy must allow it, and unless it names
 * the caller exactly, the caller's identity policies must too, within its permissions boundary
 * and session policies (iam.md §1, the evaluator's trust-policy rule).
 */
export function mayActOnRole(
  iam: IamView,
  action: string,
  role: RoleRecord,
  caller: CallerIdentity,
  policies: PrincipalPolicies | undefined,
  session: StsSession | undefined,
  context: Record<string, ContextValue>,
): boolean {
  const result = evaluate({
    action,
    resource: role.arn,
    principal: callerPrincipal(caller),
    identityPolicies: identityPolicyInputs(policies),
    trustPolicy: { id: 'trust', document: role.trustPolicy },
    ...(policies?.permissionsBoundary ? { permissionsBoundary: { id: policies.permissionsBoundary.arn, document: policies.permissionsBoundary.document } } : {}),
    sessionPolicies: callerSessionPolicies(iam, session),
    resourceAccount: role.accountId,
    context,
  });
  return result.decision === 'allowed';
}
