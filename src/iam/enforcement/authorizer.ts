import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { CallerIdentity, RequestContext } from '../../core/context.js';
import type { Authorizer, Decision } from '../../core/dispatch.js';
import type { StsSession } from '../../sts/sessions.js';
import type { IamDirectory } from '../api/principal-policies.js';
import { accessDeniedMessage, evaluate, type ContextValues, type EvaluationRequest, type PolicyInput, type Principal } from '../policy/index.js';

export interface AuthorizerOptions {
  directory: IamDirectory;
  sessionFor: (accessKeyId: string) => StsSession | undefined;
  clock: Clock;
  logger: Logger;
  /** Decide and log, but let denied requests through. */
  softMode: boolean;
}

/** A request as IAM sees it, whether it came through an AWS API front or git. */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  conditionKeys?: Record<string, string | string[]>;
  ctx: RequestContext;
}

/**
 * IAM enforcement: every request's caller, action, resource and condition keys go to the policy
 * evaluator with the caller's identity policies, permissions boundary and session policies.
 */
export function createAuthorizer(options: AuthorizerOptions): { authorize: Authorizer; decide: (request: AuthorizationRequest) => Decision } {
  const { directory, sessionFor, clock, logger, softMode } = options;

  function decide({ action, resource, conditionKeys, ctx }: AuthorizationRequest): Decision {
    const caller = ctx.caller;
    const principal = toPrincipal(caller);
    const evaluation: EvaluationRequest = {
      action,
      resource,
      principal,
      context: { ...globalKeys(ctx, clock), ...conditionKeys },
      ...policiesOf(caller),
    };
    const result = evaluate(evaluation);
    if (result.decision === 'allowed') return { allowed: true };
    const message = accessDeniedMessage(evaluation, result);
    logger.warn(
      { principal: caller.arn, action, resource, context: evaluation.context, decision: result.decision, reason: result.reason, softMode },
      'IAM denied a request',
    );
    return softMode ? { allowed: true } : { allowed: false, message };
  }

  /** Whose policies apply: a user's, a role's (for its sessions, with the session's policies). */
  function policiesOf(caller: CallerIdentity): Pick<EvaluationRequest, 'identityPolicies' | 'permissionsBoundary' | 'sessionPolicies'> {
    if (caller.type === 'root') return { identityPolicies: [] };
    const owner = caller.type === 'role-session' ? caller.roleArn : caller.arn;
    const found = owner ? directory.principalPolicies(owner) : undefined;
    const identityPolicies: PolicyInput[] = (found?.identityPolicies ?? []).map((p) => ({
      id: p.kind === 'managed' ? p.arn : p.name,
      document: p.document,
    }));
    const session = caller.type === 'role-session' && caller.accessKeyId ? sessionFor(caller.accessKeyId) : undefined;
    const sessionPolicies: PolicyInput[] = [];
    if (session?.sessionPolicies.policy) sessionPolicies.push({ id: 'session policy', document: session.sessionPolicies.policy });
    for (const arn of session?.sessionPolicies.policyArns ?? []) {
      const document = directory.managedPolicyDocument(caller.accountId, arn);
      if (document) sessionPolicies.push({ id: arn, document });
    }
    const hasSessionPolicies = Boolean(session?.sessionPolicies.policy) || (session?.sessionPolicies.policyArns.length ?? 0) > 0;
    return {
      identityPolicies,
      ...(found?.permissionsBoundary ? { permissionsBoundary: { id: found.permissionsBoundary.arn, document: found.permissionsBoundary.document } } : {}),
      ...(hasSessionPolicies ? { sessionPolicies } : {}),
    };
  }

  function principalTags(caller: CallerIdentity): Record<string, string> {
    const owner = caller.type === 'role-session' ? caller.roleArn : caller.arn;
    const tags: Record<string, string> = {};
    if (caller.type !== 'root' && owner) for (const t of directory.principalPolicies(owner)?.tags ?? []) tags[t.Key!] = t.Value ?? '';
    // Session tags override the role's tags of the same key (IAM UG, session tags).
    const session = caller.type === 'role-session' && caller.accessKeyId ? sessionFor(caller.accessKeyId) : undefined;
    for (const t of session?.tags ?? []) tags[t.Key!] = t.Value ?? '';
    return tags;
  }

  function globalKeys(ctx: RequestContext, now: Clock): ContextValues {
    const caller = ctx.caller;
    const time = now.now();
    const keys: Record<string, string | string[] | boolean | number> = {
      'aws:PrincipalArn': caller.type === 'role-session' ? (caller.roleArn ?? caller.arn) : caller.arn,
      'aws:PrincipalAccount': caller.accountId,
      'aws:PrincipalType': { root: 'Account', user: 'User', 'role-session': 'AssumedRole', 'federated-user': 'FederatedUser' }[caller.type],
      'aws:userid': caller.userId,
      'aws:RequestedRegion': ctx.region,
      'aws:CurrentTime': time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'aws:EpochTime': String(Math.floor(time.getTime() / 1000)),
      'aws:SecureTransport': false,
      'aws:SourceIp': ctx.sourceIp,
    };
    if (caller.type === 'user' && caller.userName) keys['aws:username'] = caller.userName;
    if (caller.accessKeyId?.startsWith('ASIA')) keys['aws:MultiFactorAuthPresent'] = false;
    for (const [k, v] of Object.entries(principalTags(caller))) keys[`aws:PrincipalTag/${k}`] = v;
    return keys;
  }

  const authorize: Authorizer = ({ iam, input, ctx }) =>
    iam.decidedBy
      ? { allowed: true }
      : decide({ action: iam.action, resource: iam.resource(input, ctx), conditionKeys: iam.conditionKeys?.(input, ctx), ctx });

  return { authorize, decide };
}

function toPrincipal(caller: CallerIdentity): Principal {
  return {
    type: caller.type,
    arn: caller.arn,
    accountId: caller.accountId,
    userId: caller.userId,
    ...(caller.roleArn ? { roleArn: caller.roleArn } : {}),
  };
}
