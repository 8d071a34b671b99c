/** Log group and stream ARNs as CloudWatch Logs prints them. */
export interface GroupRef {
  accountId: string;
  region: string;
  name: string;
}

/** The form DescribeLogGroups calls `logGroupArn` and tagging APIs take. */
export const groupArn = (g: GroupRef) => `arn:aws:logs:${g.region}:${g.accountId}:log-group:${g.name}`;
/** The form DescribeLogGroups calls `arn`: every stream of the group. */
export const groupArnStar = (g: GroupRef) => `${groupArn(g)}:*`;
export const streamArn = (g: GroupRef, stream: string) => `${groupArn(g)}:log-stream:${stream}`;

const GROUP_ARN = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([\.\-_/#A-Za-z0-9]+?)(:\*)?$/;

/** The group a `logGroupIdentifier` or resource ARN names, if it is a log group ARN. */
export function parseGroupArn(arn: string): GroupRef | undefined {
  const m = GROUP_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}
