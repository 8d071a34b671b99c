/** Where a pipeline lives. */
export interface Scope {
  accountId: string;
  region: string;
}

export const pipelineArn = (s: Scope, name: string) => `arn:aws:codepipeline:${s.region}:${s.accountId}:${name}`;

const PIPELINE_ARN = /^arn:aws[a-z-]*:codepipeline:([a-z0-9-]+):(\d{12}):([A-Za-z0-9.@\-_]{1,100})$/;

export function parsePipelineArn(arn: string): (Scope & { name: string }) | undefined {
  const m = PIPELINE_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}

export const actionTypeArn = (s: Scope, t: { category: string; provider: string; version: string }) =>
  `arn:aws:codepipeline:${s.region}:${s.accountId}:actiontype:Custom/${t.category}/${t.provider}/${t.version}`;

export const webhookArn = (s: Scope, name: string) => `arn:aws:codepipeline:${s.region}:${s.accountId}:webhook:${name}`;
