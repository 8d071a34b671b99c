import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { CallerIdentity, RequestContext } from '../../core/context.js';
import type { Authorizer, Decision } from '../../core/dispatch.js';
import type { StsSession } from '../../sts/sessions.js';
import { identityPolicyInputs, type IamDirectory, type PrincipalPolicies } from '../api/principal-policies.js';
import { accessDeniedMessage, evaluate, type ContextValues, type EvaluationRequest, type PolicyInput, type Principal } from '../policy/index.js';

export interface AuthorizerOptions {
  directory: IamDirectory;
  sessionFor: (accessKeyId: string) => StsSession | undefined;
  clock: Clock;
  logger: Logger;
  /** Decide and log, but let denied requests through. */
  softMode: boolean;
}

interface Subject {
  found?: PrincipalPolicies;
  session?: StsSession;
}

/** A request as IAM sees it, whether it came through an AWS API front or git. */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  conditionKeys?: Record<string, string | string[]>;
  /** A resource-based policy document that applies to the resource. */
  resourcePolicy?: string;
  ctx: RequestContext;
}

/**
 * IAM enforcement: every request's caller, action, resource and condition keys go to the policy
 * evaluator with the caller's identity policies, permissions boundary and session policies.
 */
export function createAuthorizer(options: AuthorizerOptions): { authorize: Authorizer; decide: (request: AuthorizationRequest) => Decision } {
  const { directory, sessionFor, clock, logger, softMode } = options;

  function decide({ action, resource, conditionKeys, resourcePolicy, ctx }: AuthorizationRequest): Decision {
    const caller = ctx.caller;
    const subject = loadSubject(caller);
    const evaluation: EvaluationRequest = {
      action,
      resource,
      principal: toPrincipal(caller),
      context: { ...globalKeys(ctx, subject), ...conditionKeys },
      ...policiesOf(caller, subject),
      ...(resourcePolicy ? { resourcePolicy: { id: 'resource policy', document: resourcePolicy } } : {}),
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

  /** The user or role behind the caller, and the session it signed with: read once per decision. */
  function loadSubject(caller: CallerIdentity): Subject {
    if (caller.type === 'root') return {};
    const owner = caller.type === 'role-session' ? caller.roleArn : caller.arn;
    return {
      found: owner ? directory.principalPolicies(owner) : undefined,
      session: caller.type === 'role-session' && caller.accessKeyId ? sessionFor(caller.accessKeyId) : undefined,
    };
  }

  /** Whose policies apply: a user's, a role's (for its sessions, with the session's policies). */
  function policiesOf(caller: CallerIdentity, { found, session }: Subject): Pick<EvaluationRequest, 'identityPolicies' | 'permissionsBoundary' | 'sessionPolicies'> {
    const identityPolicies = identityPolicyInputs(found);
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

  function globalKeys(ctx: RequestContext, { found, session }: Subject): ContextValues {
    const caller = ctx.caller;
    const time = clock.now();
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
    // Session tags override the role's tags of the same key (IAM UG, session tags).
    for (const t of [...(found?.tags ?? []), ...(session?.tags ?? [])]) keys[`aws:PrincipalTag/${t.Key}`] = t.Value ?? '';
    return keys;
  }

  const authorize: Authorizer = ({ iam, input, ctx }) =>
    iam.decidedBy
      ? { allowed: true }
      : decide({
          action: iam.action,
          resource: iam.resource(input, ctx),
          conditionKeys: iam.conditionKeys?.(input, ctx),
          resourcePolicy: iam.resourcePolicy?.(input, ctx),
          ctx,
        });

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
