/** `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`: alarm ARNs keep the name as written, colons included. */
export const alarmArn = (scope: { accountId: string; region: string }, name: string) => `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:${name}`;

export function parseAlarmArn(arn: string): { accountId: string; region: string; name: string } | undefined {
  const m = /^arn:aws:cloudwatch:([^:]+):(\d{12}):alarm:(.+)$/.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}
