import type { GetSessionTokenRequest, GetSessionTokenResponse } from '@aws-sdk/client-sts';
import type { Clock } from '../core/clock.js';
import { operation, type OperationSpec } from '../core/service.js';
import { callerSession } from './caller-session.js';
import { expiration, newTemporaryCredentials } from './credentials.js';
import { mfaFailed, sessionCredentialsNotAllowed } from './errors.js';
import type { StsSessions } from './sessions.js';

const USER_DEFAULT_DURATION = 43_200;
/** "Sessions for AWS account owners are restricted to a maximum of 3,600 seconds": longer requests get one hour. */
const ROOT_MAX_DURATION = 3600;

/** Temporary credentials that act as the IAM user (or the account root) who asked for them. */
export function getSessionTokenOperation(sessions: StsSessions, clock: Clock): OperationSpec<GetSessionTokenRequest, GetSessionTokenResponse> {
  return operation<GetSessionTokenRequest, GetSessionTokenResponse>({
    // AWS documents that GetSessionToken needs no permission.
    iam: { action: 'sts:GetSessionToken', decidedBy: 'none-required', resource: () => '*' },
    handler: (input, ctx) => {
      const caller = ctx.caller;
      if (callerSession(sessions, ctx) || (caller.type !== 'user' && caller.type !== 'root')) throw sessionCredentialsNotAllowed('GetSessionToken');
      if (input.SerialNumber !== undefined || input.TokenCode !== undefined) throw mfaFailed();
      const duration =
        caller.type === 'root' ? Math.min(input.DurationSeconds ?? ROOT_MAX_DURATION, ROOT_MAX_DURATION) : (input.DurationSeconds ?? USER_DEFAULT_DURATION);
      const { accessKeyId: _longTermKey, ...identity } = caller;
      const credentials = newTemporaryCredentials();
      const now = clock.now();
      const session = sessions.insert({
        accessKeyId: credentials.accessKeyId,
        secret: credentials.secretAccessKey,
        token: credentials.sessionToken,
        kind: 'GetSessionToken',
        accountId: caller.accountId,
        caller: identity,
        userArn: caller.arn,
        sourceArn: caller.arn,
        sessionPolicies: { policyArns: [] },
        tags: [],
        transitiveTagKeys: [],
        issuedAt: now,
        expiresAt: expiration(now, duration),
      });
      return {
        Credentials: { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secret, SessionToken: session.token, Expiration: session.expiresAt },
      };
    },
  });
}
