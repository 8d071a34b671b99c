/** IAM ARNs: `arn:aws:iam::<account>:<kind><path><name>`, the path being `/` or `/a/b/`. */
export type EntityKind = 'user' | 'group' | 'role' | 'policy';

export function entityArn(accountId: string, kind: EntityKind, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

export const rootArn = (accountId: string) => `arn:aws:iam::${accountId}:root`;

/** The owner of an AWS managed policy ARN is the literal account `aws`. */
export const AWS_ACCOUNT = 'aws';

export interface PolicyArnParts {
  accountId: string;
  path: string;
  name: string;
}

const POLICY_ARN = /^arn:aws:iam::(aws|\d{12}):policy(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]+)$/;

export function parsePolicyArn(arn: string): PolicyArnParts | undefined {
  const m = POLICY_ARN.exec(arn);
  return m ? { accountId: m[1], path: m[2], name: m[3] } : undefined;
}

/** Who a caller is, as far as the IAM API cares: the root, one of its users, or anything else. */
export type Caller =
  | { kind: 'root'; accountId: string }
  | { kind: 'user'; accountId: string; name: string }
  | { kind: 'role'; accountId: string; name: string }
  | { kind: 'other'; accountId: string };

export function parseCaller(principalArn: string): Caller {
  const m = /^arn:aws:(iam|sts)::(\d{12}):(.*)$/.exec(principalArn);
  if (!m) return { kind: 'other', accountId: '' };
  const [, service, accountId, resource] = m;
  if (service === 'iam' && resource === 'root') return { kind: 'root', accountId };
  if (service === 'iam' && resource.startsWith('user/')) return { kind: 'user', accountId, name: resource.slice(resource.lastIndexOf('/') + 1) };
  if (service === 'iam' && resource.startsWith('role/')) return { kind: 'role', accountId, name: resource.slice(resource.lastIndexOf('/') + 1) };
  if (service === 'sts' && resource.startsWith('assumed-role/')) return { kind: 'role', accountId, name: resource.split('/')[1] ?? '' };
  return { kind: 'other', accountId };
}
