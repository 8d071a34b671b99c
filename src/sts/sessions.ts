import type { Tag } from '@aws-sdk/client-sts';
import { systemClock, type Clock } from '../core/clock.js';
import type { CallerIdentity } from '../core/context.js';
import { migrate, type Db } from '../core/store/db.js';
import { migrations } from './migrations.js';

/** Which STS operation issued a session: it decides who the session acts as. */
export type SessionKind = 'AssumeRole' | 'GetSessionToken';

/** Everything IAM enforcement needs to know about a set of temporary credentials. */
export interface StsSession {
  accessKeyId: string;
  secret: string;
  token: string;
  kind: SessionKind;
  accountId: string;
  /** The identity requests signed with these credentials act as. */
  caller: CallerIdentity;
  /** AssumeRole sessions: the role's ARN. */
  roleArn?: string;
  /** GetSessionToken sessions: the IAM user's ARN (the root's for a root session). */
  userArn?: string;
  /** Whoever called AssumeRole or GetSessionToken. */
  sourceArn: string;
  /** Session policies passed to AssumeRole: they limit the role's permissions, to be applied by enforcement. */
  sessionPolicies: { policy?: string; policyArns: string[] };
  /** Session tags (transitive ones inherited from the calling session included): aws:PrincipalTag/* of the session. */
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  issuedAt: Date;
  expiresAt: Date;
}

export type NewSession = Omit<StsSession, 'caller'> & { caller: Omit<CallerIdentity, 'accessKeyId'> };

type Row = {
  access_key_id: string;
  account_id: string;
  secret: string;
  token: string;
  kind: SessionKind;
  principal_type: 'root' | 'user' | 'role-session';
  principal_arn: string;
  principal_id: string;
  user_name: string | null;
  role_arn: string | null;
  session_name: string | null;
  source_arn: string;
  policy: string | null;
  policy_arns: string;
  tags: string;
  transitive_tag_keys: string;
  source_identity: string | null;
  issued_at: number;
  expires_at: number;
};

function fromRow(r: Row): StsSession {
  const caller: CallerIdentity = {
    type: r.principal_type,
    arn: r.principal_arn,
    accountId: r.account_id,
    userId: r.principal_id,
    accessKeyId: r.access_key_id,
    ...(r.user_name === null ? {} : { userName: r.user_name }),
    ...(r.role_arn === null ? {} : { roleArn: r.role_arn }),
    ...(r.session_name === null ? {} : { sessionName: r.session_name }),
  };
  return {
    accessKeyId: r.access_key_id,
    secret: r.secret,
    token: r.token,
    kind: r.kind,
    accountId: r.account_id,
    caller,
    ...(r.kind === 'AssumeRole' ? { roleArn: r.role_arn! } : { userArn: r.principal_arn }),
    sourceArn: r.source_arn,
    sessionPolicies: { ...(r.policy === null ? {} : { policy: r.policy }), policyArns: JSON.parse(r.policy_arns) as string[] },
    tags: JSON.parse(r.tags) as Tag[],
    transitiveTagKeys: JSON.parse(r.transitive_tag_keys) as string[],
    ...(r.source_identity === null ? {} : { sourceIdentity: r.source_identity }),
    issuedAt: new Date(r.issued_at),
    expiresAt: new Date(r.expires_at),
  };
}

/**
 * The sessions STS issued, read by STS itself and by whatever else needs them (IAM enforcement
 * verifies signatures with `secret` and applies session policies and tags). Expired sessions are
 * kept: a request signed with one must be told its token expired, not that it is unknown.
 */
export class StsSessions {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    migrate(db, 'sts', migrations);
  }

  insert(session: NewSession): StsSession {
    this.db
      .prepare(
        `INSERT INTO sts_sessions (access_key_id, account_id, secret, token, kind, principal_type, principal_arn, principal_id, user_name,
           role_arn, session_name, source_arn, policy, policy_arns, tags, transitive_tag_keys, source_identity, issued_at, expires_at)
         VALUES (@accessKeyId, @accountId, @secret, @token, @kind, @type, @arn, @userId, @userName,
           @roleArn, @sessionName, @sourceArn, @policy, @policyArns, @tags, @transitiveTagKeys, @sourceIdentity, @issuedAt, @expiresAt)`,
      )
      .run({
        accessKeyId: session.accessKeyId,
        accountId: session.accountId,
        secret: session.secret,
        token: session.token,
        kind: session.kind,
        type: session.caller.type,
        arn: session.caller.arn,
        userId: session.caller.userId,
        userName: session.caller.userName ?? null,
        roleArn: session.roleArn ?? null,
        sessionName: session.caller.sessionName ?? null,
        sourceArn: session.sourceArn,
        policy: session.sessionPolicies.policy ?? null,
        policyArns: JSON.stringify(session.sessionPolicies.policyArns),
        tags: JSON.stringify(session.tags),
        transitiveTagKeys: JSON.stringify(session.transitiveTagKeys),
        sourceIdentity: session.sourceIdentity ?? null,
        issuedAt: session.issuedAt.getTime(),
        expiresAt: session.expiresAt.getTime(),
      });
    return this.sessionFor(session.accessKeyId)!;
  }

  /** The session of a temporary access key id, expired or not; undefined for a key STS never issued. */
  sessionFor(accessKeyId: string): StsSession | undefined {
    const row = this.db.prepare('SELECT * FROM sts_sessions WHERE access_key_id = ?').get(accessKeyId) as Row | undefined;
    return row && fromRow(row);
  }

  expired(session: StsSession): boolean {
    return this.clock.now().getTime() >= session.expiresAt.getTime();
  }
}
