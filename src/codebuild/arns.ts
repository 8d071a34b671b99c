/** Where a CodeBuild resource lives: an account and a region. */
export interface Scope {
  accountId: string;
  region: string;
}

const prefix = (s: Scope) => `arn:aws:codebuild:${s.region}:${s.accountId}`;

export const projectArn = (s: Scope, name: string) => `${prefix(s)}:project/${name}`;
export const buildArn = (s: Scope, buildId: string) => `${prefix(s)}:build/${buildId}`;
export const reportGroupArn = (s: Scope, name: string) => `${prefix(s)}:report-group/${name}`;
export const reportArn = (s: Scope, groupName: string, uuid: string) => `${prefix(s)}:report/${groupName}:${uuid}`;
export const sourceCredentialsArn = (s: Scope, serverType: string) => `${prefix(s)}:token/${serverType.toLowerCase()}`;

export interface ParsedArn extends Scope {
  resourceType: string;
  resource: string;
}

/** `arn:aws:codebuild:<region>:<account>:<type>/<resource>`, or undefined for anything else. */
export function parseCodeBuildArn(arn: string): ParsedArn | undefined {
  const m = /^arn:aws[a-z-]*:codebuild:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/.exec(arn);
  return m ? { region: m[1], accountId: m[2], resourceType: m[3], resource: m[4] } : undefined;
}

/** A project named by name or ARN: its name, when the ARN is one of this scope's projects. */
export function projectNameOf(s: Scope, nameOrArn: string): string | undefined {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const parsed = parseCodeBuildArn(nameOrArn);
  if (!parsed || parsed.resourceType !== 'project' || parsed.accountId !== s.accountId || parsed.region !== s.region) return undefined;
  return parsed.resource;
}

/** A build named by id (`<project>:<uuid>`) or ARN: its id. */
export function buildIdOf(idOrArn: string): string {
  const parsed = idOrArn.startsWith('arn:') ? parseCodeBuildArn(idOrArn) : undefined;
  return parsed && parsed.resourceType === 'build' ? parsed.resource : idOrArn;
}
