import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { rootCaller, type CallerIdentity } from '../core/context.js';
import type { Db } from '../core/store/db.js';
import { IamDirectory } from '../iam/api/principal-policies.js';
import { expiration, newTemporaryCredentials } from './credentials.js';
import { StsSessions } from './sessions.js';

/** Credentials a service hands the code it runs for a role (a build, a function), and the principal they act as. */
export interface RoleCredentials {
  principal: CallerIdentity;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiresAt?: Date;
}

/**
 * A service assuming a role for the code it runs, as CodeBuild and Lambda do on AWS: a real STS
 * session `assumed-role/<role>/<sessionName>` that IAM enforcement recognises. A role IAM does not
 * know (IAM not enforced) gets the account root's keys from the configuration instead.
 */
export class ServiceRoles {
  private readonly sessions: StsSessions;
  private readonly iam: IamDirectory;

  constructor(private readonly deps: { db: Db; clock: Clock; config: Config }) {
    this.sessions = new StsSessions(deps.db, deps.clock);
    this.iam = new IamDirectory(deps.db, deps.clock);
  }

  /** Whether IAM knows a role (requests may name roles IAM has never heard of when IAM is not enforced). */
  roleExists(roleArn: string): boolean {
    return this.iam.principalPolicies(roleArn)?.type === 'role';
  }

  credentials(roleArn: string, sessionName: string, durationSeconds: number, sourceArn: string): RoleCredentials {
    const role = this.iam.principalPolicies(roleArn);
    const config = this.deps.config;
    if (!role || role.type !== 'role') {
      const principal = { ...rootCaller(config.accountId), accessKeyId: config.rootAccessKey };
      return { principal, accessKeyId: config.rootAccessKey, secretAccessKey: config.rootSecretKey };
    }
    const now = this.deps.clock.now();
    const credentials = newTemporaryCredentials();
    const session = this.sessions.insert({
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
    this.iam.recordRoleUse(role.arn, config.defaultRegion);
    return { principal: session.caller, accessKeyId: session.accessKeyId, secretAccessKey: session.secret, sessionToken: session.token, expiresAt: session.expiresAt };
  }
}
