/** EventBridge ARNs as AWS prints them. */
export interface Scope {
  accountId: string;
  region: string;
}

export const busArn = (s: Scope, name: string) => `arn:aws:events:${s.region}:${s.accountId}:event-bus/${name}`;
/** Rules of the default bus leave the bus out of their ARN; rules of other buses name it. */
export const ruleArn = (s: Scope, bus: string, name: string) =>
  bus === 'default' ? `arn:aws:events:${s.region}:${s.accountId}:rule/${name}` : `arn:aws:events:${s.region}:${s.accountId}:rule/${bus}/${name}`;
export const connectionArn = (s: Scope, name: string, id: string) => `arn:aws:events:${s.region}:${s.accountId}:connection/${name}/${id}`;
export const apiDestinationArn = (s: Scope, name: string, id: string) => `arn:aws:events:${s.region}:${s.accountId}:api-destination/${name}/${id}`;

const BUS_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;
const RULE_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):rule\/(?:([^/]+)\/)?([^/]+)$/;

export function parseBusArn(arn: string): (Scope & { name: string }) | undefined {
  const m = BUS_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}

export function parseRuleArn(arn: string): (Scope & { bus: string; name: string }) | undefined {
  const m = RULE_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], bus: m[3] ?? 'default', name: m[4] } : undefined;
}

/** A bus given by name or ARN. */
export function busName(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined) return 'default';
  return parseBusArn(nameOrArn)?.name ?? nameOrArn;
}
