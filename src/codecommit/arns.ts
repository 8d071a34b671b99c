import type { RepositoryRecord } from './repository-store.js';

export function repositoryArn(r: Pick<RepositoryRecord, 'region' | 'accountId' | 'name'>): string {
  return `arn:aws:codecommit:${r.region}:${r.accountId}:${r.name}`;
}

/** `arn:aws:codecommit:<region>:<account>:<name>` split into its parts, or undefined when not one. */
export function parseRepositoryArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:codecommit:([a-z0-9-]+):(\d{12}):([\w.-]+)$/.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}
