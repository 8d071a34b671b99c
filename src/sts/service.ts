import type { GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import { operation, type ServiceDefinition } from '../core/service.js';
import { assumeRoleOperation } from './assume-role.js';
import { callerSession } from './caller-session.js';
import { IamView } from './iam-view.js';
import { getSessionTokenOperation } from './session-token.js';
import { StsSessions } from './sessions.js';

/**
 * STS over the AWS Query protocol: the caller's identity, role sessions and session tokens.
 * The temporary credentials it issues resolve back to their session through `lookupCredential`.
 */
export function createSts(deps: ServiceDeps): ServiceDefinition {
  const sessions = new StsSessions(deps.db, deps.clock);
  const iam = new IamView(deps.db, deps.clock);
  return {
    name: 'sts',
    model: loadModel('sts'),
    operations: {
      GetCallerIdentity: operation<object, GetCallerIdentityResponse>({
        // AWS documents that GetCallerIdentity needs no permission: a deny cannot stop it.
        iam: { action: 'sts:GetCallerIdentity', decidedBy: 'none-required', resource: () => '*' },
        handler: (_input, ctx) => {
          callerSession(sessions, ctx);
          return { UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn };
        },
      }),
      AssumeRole: assumeRoleOperation(sessions, iam, deps.clock),
      GetSessionToken: getSessionTokenOperation(sessions, deps.clock),
    },
    lookupCredential: (accessKeyId) => {
      const session = accessKeyId.startsWith('ASIA') ? sessions.sessionFor(accessKeyId) : undefined;
      return session && { caller: session.caller, secret: session.secret, active: true, sessionToken: session.token, expiresAt: session.expiresAt };
    },
  };
}
