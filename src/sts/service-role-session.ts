import { rootCaller, type CallerIdentity } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import type { IamDirectory } from '../iam/api/principal-policies.js';
import { expiration, newTemporaryCredentials } from './credentials.js';
import type { StsSessions } from './sessions.js';

/** Temporary credentials a service hands to the code it runs, and the principal they act as. */
export interface ServiceRoleCredentials {
  principal: CallerIdentity;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * A session of a role that an AWS service assumes for the work it runs (a build's service role,
 * a pipeline job's artifact credentials): the keys work against every service here, as that role.
 * A role IAM does not know (IAM not enforced) gets the account root's keys from the configuration.
 */
export function issueServiceRoleSession(
  o: { deps: ServiceDeps; iam: IamDirectory; sessions: StsSessions },
  roleArn: string,
  sessionName: string,
  durationSeconds: number,
  sourceArn: string,
): ServiceRoleCredentials {
  const role = o.iam.principalPolicies(roleArn);
  if (!role || role.type !== 'role') {
    const principal = { ...rootCaller(o.deps.config.accountId), accessKeyId: o.deps.config.rootAccessKey };
    return { principal, accessKeyId: o.deps.config.rootAccessKey, secretAccessKey: o.deps.config.rootSecretKey };
  }
  const now = o.deps.clock.now();
  const credentials = newTemporaryCredentials();
  const session = o.sessions.insert({
    accessKeyId: credentials.accessKeyId,
    secret: credentials.secretAccessKey,
    token: credentials.sessionToken,
    kind: 'AssumeRole',
    accountId: role.accountId,
    caller: {
      type: 'role-session',
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
      accountId: role.accountId,
      userId: `${role.id}:${sessionName}`,
      roleArn: role.arn,
      sessionName,
    },
    roleArn: role.arn,
    sourceArn,
    sessionPolicies: { policyArns: [] },
    tags: [],
    transitiveTagKeys: [],
    issuedAt: now,
    expiresAt: expiration(now, durationSeconds),
  });
  o.iam.recordRoleUse(role.arn, o.deps.config.defaultRegion);
  return { principal: session.caller, accessKeyId: session.accessKeyId, secretAccessKey: session.secret, sessionToken: session.token };
}
