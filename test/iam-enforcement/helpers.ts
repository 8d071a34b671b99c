import { CodeCommitClient } from '@aws-sdk/client-codecommit';
import { IAMClient } from '@aws-sdk/client-iam';
import { gitPassword } from '../../src/core/git-password.js';
import type { RunningServer } from '../../src/server.js';
import { seedLabDenyPolicy } from '../helpers/seed-policy.js';

export type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
export const rootKeys: Keys = { accessKeyId: 'test', secretAccessKey: 'test' };

export function codecommitAs(server: RunningServer, keys: Keys): CodeCommitClient {
  return new CodeCommitClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
}

export function iamAs(server: RunningServer, keys: Keys): IAMClient {
  return new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
}

/** A clone URL carrying the SigV4-derived git password, as git-remote-codecommit builds it. */
export function sigv4GitUrl(server: RunningServer, repo: string, keys: Keys): string {
  const ts = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '');
  const host = new URL(server.endpoint).host;
  const password = gitPassword(keys.secretAccessKey, ts, 'us-east-1', host, `/v1/repos/${repo}`);
  const user = keys.sessionToken ? `${keys.accessKeyId}%${keys.sessionToken}` : keys.accessKeyId;
  return `http://${encodeURIComponent(user)}:${password}@${host}/v1/repos/${repo}`;
}

/** A clone URL with HTTPS git credentials (IAM service-specific credentials). */
export function httpsGitUrl(server: RunningServer, repo: string, userName: string, password: string): string {
  return `http://${encodeURIComponent(userName)}:${encodeURIComponent(password)}@${new URL(server.endpoint).host}/v1/repos/${repo}`;
}

/** The lab's branch protection, scoped to one repository. */
export function seedDenyPolicy(repositoryArn: string): string {
  return JSON.stringify(seedLabDenyPolicy(repositoryArn));
}

export const allowAllCodeCommit = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'codecommit:*', Resource: '*' }],
});
