/** Who made a request, as IAM sees it. */
export interface CallerIdentity {
  /** `arn:aws:iam::<acct>:root`, `...:user/<path><name>`, `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  arn: string;
  accountId: string;
  /** What GetCallerIdentity calls UserId: the account id, a user id, or `<role id>:<session>`. */
  userId: string;
  type: 'root' | 'user' | 'role-session' | 'federated-user';
  userName?: string;
  roleArn?: string;
  sessionName?: string;
  accessKeyId?: string;
}

/** A credential a service issued (an IAM access key, an STS session), as authentication needs it. */
export interface IssuedCredential {
  caller: CallerIdentity;
  secret: string;
  active: boolean;
  /** Temporary credentials only work with the session token they were issued with. */
  sessionToken?: string;
  expiresAt?: Date;
}

/** Who is calling, where, and which request this is: built by the front before any handler runs. */
export interface RequestContext {
  requestId: string;
  accountId: string;
  region: string;
  /** Access key id from the SigV4 credential scope. */
  accessKeyId?: string;
  caller: CallerIdentity;
  /** The caller's ARN (same as caller.arn), the form most messages and events need. */
  principalArn: string;
  /** Base URL clients reach this server at, for URLs that handlers hand out (clone URLs...). */
  endpoint: string;
  sourceIp: string;
}

export function rootCaller(accountId: string): CallerIdentity {
  return { arn: `arn:aws:iam::${accountId}:root`, accountId, userId: accountId, type: 'root' };
}

/**
 * A service acting as a role it was given (an EventBridge target's RoleArn, a deployment group's
 * service role): a session of that role, as AssumeRole would give it.
 */
export function roleSessionCaller(roleArn: string, accountId: string, sessionName: string): CallerIdentity {
  return {
    type: 'role-session',
    arn: roleArn.replace(/^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/, `arn:aws:sts::$1:assumed-role/$2/${sessionName}`),
    accountId,
    userId: `${roleArn.split('/').pop()}:${sessionName}`,
    roleArn,
    sessionName,
  };
}
