/**
 * The authorization decision for one request, as the IAM User Guide's evaluation logic lays it
 * out for a single account (iam.md §1), plus the cross-account rule that both sides must allow:
 *  1. a matching Deny in any policy: explicit deny;
 *  2. a resource-policy Allow naming the very caller (user, role session, federated session):
 *     allowed, whatever identity policies, boundary and session policies say;
 *  3. otherwise an identity-based Allow is needed (a resource-policy Allow naming the caller's role,
 *     or the user behind a federated session, stands in for it), then the permissions boundary
 *     and, for sessions, the session policies must allow too;
 *  4. anything else: implicit deny.
 * The account root user is allowed everything in its own account that no resource policy denies.
 */
import { RequestContext, type ContextValues } from './context.js';
import { parsePolicy, type CompiledStatement } from './parse.js';
import { notPrincipalExempts, notPrincipalNames, principalGrant, type Principal, type PrincipalGrant } from './principals.js';
import type { PolicyKind } from './validate.js';

export type PolicyType = 'identity' | 'resource' | 'permissionsBoundary' | 'session';

export interface PolicyInput {
  /** The policy's name (inline) or ARN (managed): reported back in matched statements and messages. */
  readonly id: string;
  readonly document: string | object;
}

export interface EvaluationRequest {
  /** `service:Action`, any case. */
  readonly action: string;
  readonly resource: string;
  /** Condition keys; names are case-insensitive. */
  readonly context?: ContextValues;
  readonly principal: Principal;
  /** The user's (inline, attached, and its groups') or the role's policies. */
  readonly identityPolicies: readonly PolicyInput[];
  readonly resourcePolicy?: PolicyInput;
  /** A role's trust policy, for sts:AssumeRole*: a resource policy that must allow the caller even within the account. */
  readonly trustPolicy?: PolicyInput;
  readonly permissionsBoundary?: PolicyInput;
  /** Session policies passed when the session was created; together they allow what any of them allows. */
  readonly sessionPolicies?: readonly PolicyInput[];
  /** The account that owns the resource; the caller's account when omitted. */
  readonly resourceAccount?: string;
}

export interface MatchedStatement {
  readonly policyId: string;
  readonly policyType: PolicyType;
  readonly sid?: string;
  /** Position in the policy's Statement list, from 0. */
  readonly index: number;
  readonly effect: 'Allow' | 'Deny';
}

export type DecisionReason =
  | { readonly kind: 'explicitDeny'; readonly policyType: PolicyType; readonly statement: MatchedStatement }
  /** No policy of this type allowed the request, and that type had to. */
  | { readonly kind: 'noAllow'; readonly policyType: PolicyType }
  | { readonly kind: 'allow'; readonly policyType: PolicyType; readonly statement: MatchedStatement }
  | { readonly kind: 'rootUser' };

export interface EvaluationResult {
  readonly decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  readonly reason: DecisionReason;
  /** Every statement that applied to the request, in evaluation order. */
  readonly matchedStatements: readonly MatchedStatement[];
  /** Condition keys (and policy variables) the applicable statements referenced but the request lacked. */
  readonly missingContextValues: readonly string[];
}

interface Job {
  readonly actionLower: string;
  readonly service: string;
  readonly resource: string;
  readonly ctx: RequestContext;
  readonly principal: Principal;
  readonly hasBoundary: boolean;
  readonly matched: MatchedStatement[];
}

interface Outcome {
  allow?: MatchedStatement;
  deny?: MatchedStatement;
  /** Resource policies: the strongest way an Allow named the caller, and that Allow. */
  grant?: PrincipalGrant;
  grantStatement?: MatchedStatement;
}

const GRANT_STRENGTH: Record<PrincipalGrant, number> = { account: 1, identity: 2, exact: 3 };

export function evaluate(request: EvaluationRequest): EvaluationResult {
  const actionLower = request.action.toLowerCase();
  const colon = actionLower.indexOf(':');
  const job: Job = {
    actionLower,
    service: colon < 0 ? actionLower : actionLower.slice(0, colon),
    resource: request.resource,
    ctx: new RequestContext(request.context),
    principal: request.principal,
    hasBoundary: request.permissionsBoundary !== undefined,
    matched: [],
  };
  const identity: Outcome = {};
  for (const policy of request.identityPolicies) scan(policy, 'identity', 'identity', job, identity);
  const resource: Outcome = {};
  if (request.trustPolicy) scan(request.trustPolicy, 'resource', 'trust', job, resource);
  else if (request.resourcePolicy) scan(request.resourcePolicy, 'resource', 'resource', job, resource);
  const boundary: Outcome | undefined = request.permissionsBoundary ? {} : undefined;
  if (request.permissionsBoundary) scan(request.permissionsBoundary, 'permissionsBoundary', 'identity', job, boundary!);
  const session: Outcome | undefined = request.sessionPolicies?.length ? {} : undefined;
  for (const policy of request.sessionPolicies ?? []) scan(policy, 'session', 'identity', job, session!);

  const reason = decide(request, identity, resource, boundary, session);
  return {
    decision: reason.kind === 'explicitDeny' ? 'explicitDeny' : reason.kind === 'noAllow' ? 'implicitDeny' : 'allowed',
    reason,
    matchedStatements: job.matched,
    missingContextValues: [...job.ctx.missing.values()],
  };
}

function scan(input: PolicyInput, policyType: PolicyType, kind: PolicyKind, job: Job, outcome: Outcome): void {
  const policy = parsePolicy(input.document, { kind });
  for (const statement of policy.statementsFor(job.service)) {
    if (!statement.matchesAction(job.actionLower) || !statement.matchesResource(job.resource, job.ctx)) continue;
    const grant = policyType === 'resource' ? resourceGrant(statement, job) : undefined;
    if (policyType === 'resource' && grant === undefined) continue;
    if (!conditionsHold(statement, job.ctx)) continue;
    const match: MatchedStatement = { policyId: input.id, policyType, sid: statement.sid, index: statement.index, effect: statement.effect };
    job.matched.push(match);
    if (statement.effect === 'Deny') {
      outcome.deny ??= match;
      continue;
    }
    outcome.allow ??= match;
    if (grant && (!outcome.grant || GRANT_STRENGTH[grant] > GRANT_STRENGTH[outcome.grant])) {
      outcome.grant = grant;
      outcome.grantStatement = match;
    }
  }
}

/** How a resource-policy statement names the caller; undefined when it does not apply to them. */
function resourceGrant(statement: CompiledStatement, job: Job): PrincipalGrant | undefined {
  const principals = statement.principals;
  if (!principals) return undefined;
  if (!principals.negated) return principalGrant(principals.names, job.principal);
  // A NotPrincipal Deny always applies to a caller with a permissions boundary (IAM UG, NotPrincipal).
  if (statement.effect === 'Deny') {
    if (job.hasBoundary) return 'exact';
    return notPrincipalExempts(principals.names, job.principal) ? undefined : 'exact';
  }
  return notPrincipalNames(principals.names, job.principal) ? undefined : 'exact';
}

function conditionsHold(statement: CompiledStatement, ctx: RequestContext): boolean {
  for (const { key, keyLower } of statement.contextKeys) {
    if (ctx.get(keyLower) === undefined) ctx.noteMissing(keyLower, key);
  }
  for (const condition of statement.conditions) {
    if (!condition.holds(ctx)) return false;
  }
  return true;
}

function decide(
  request: EvaluationRequest,
  identity: Outcome,
  resource: Outcome,
  boundary: Outcome | undefined,
  session: Outcome | undefined,
): DecisionReason {
  // AWS names one policy type when several deny; identity policies are the likeliest place to look.
  const deny = identity.deny ?? resource.deny ?? boundary?.deny ?? session?.deny;
  if (deny) return { kind: 'explicitDeny', policyType: deny.policyType, statement: deny };

  const caller = request.principal;
  const resourceAllow: DecisionReason | undefined = resource.grantStatement && { kind: 'allow', policyType: 'resource', statement: resource.grantStatement };
  // Service and identity-provider principals have no identity policies: only the resource side speaks.
  if (caller.type === 'service' || caller.type === 'identity-provider') return resourceAllow ?? { kind: 'noAllow', policyType: 'resource' };

  const sameAccount = (request.resourceAccount ?? caller.accountId) === caller.accountId;
  const resourceRequired = !sameAccount || request.trustPolicy !== undefined;
  if (caller.type === 'root') {
    return resourceRequired && !resourceAllow ? { kind: 'noAllow', policyType: 'resource' } : { kind: 'rootUser' };
  }
  if (sameAccount && resource.grant === 'exact') return resourceAllow!;

  const identityAllow = identity.allow ?? (sameAccount && resource.grant === 'identity' ? resource.grantStatement : undefined);
  if (!identityAllow) return { kind: 'noAllow', policyType: 'identity' };
  if (boundary && !boundary.allow) return { kind: 'noAllow', policyType: 'permissionsBoundary' };
  const isSession = caller.type === 'role-session' || caller.type === 'federated-user';
  // A GetFederationToken session has only what its session policy grants; a role session without one keeps the role's permissions.
  if (isSession && (session ? !session.allow : caller.type === 'federated-user')) return { kind: 'noAllow', policyType: 'session' };
  if (resourceRequired && !resourceAllow) return { kind: 'noAllow', policyType: 'resource' };
  return { kind: 'allow', policyType: identityAllow.policyType, statement: identityAllow };
}
