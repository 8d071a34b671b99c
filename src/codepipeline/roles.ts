import type { CallerIdentity } from '../core/context.js';

/**
 * The pipeline's role (or an action's roleArn) as CodePipeline acts with it: a session of that
 * role, so IAM weighs the role's policies for every call an action makes.
 */
export function roleSession(roleArn: string, accountId: string, session: string): CallerIdentity {
  const name = roleArn.split('/').pop() ?? roleArn;
  return {
    type: 'role-session',
    arn: `arn:aws:sts::${roleArn.split(':')[4] || accountId}:assumed-role/${name}/${session}`,
    accountId: roleArn.split(':')[4] || accountId,
    userId: `${name}:${session}`,
    roleArn,
    sessionName: session,
  };
}
