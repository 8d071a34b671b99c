import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { gitPassword } from '../src/core/git-password.js';
import type { AgentConfig, Identity } from './config.js';
import type { DeploymentSpec } from './deployment-spec.js';
import { readBody, signedRequest } from './http.js';

const run = promisify(execFile);

/** Escapes an S3 key for a path-style URL, keeping its slashes. */
const keyPath = (key: string) => key.split('/').map((part) => encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');

/**
 * GET of the bundle from S3, path style against `:s3_endpoint_override:`, SigV4-signed with the
 * instance's credentials, streamed to `bundle.tar`; a given ETag must match (quotes aside).
 */
async function downloadFromS3(config: AgentConfig, identity: Identity, revision: Extract<DeploymentSpec['revision'], { type: 'S3' }>, target: string): Promise<void> {
  const base = (config.s3EndpointOverride ?? `https://s3.${identity.region}.amazonaws.com`).replace(/\/+$/, '');
  const url = new URL(`${base}/${encodeURIComponent(revision.bucket)}/${keyPath(revision.key)}`);
  if (revision.version) url.searchParams.set('versionId', revision.version);
  const res = await signedRequest({ method: 'GET', url, region: identity.region, service: 's3', credentials: await identity.credentials(), timeoutMs: config.httpReadTimeout * 1000 });
  if (res.statusCode !== 200) {
    const xml = (await readBody(res)).toString('utf8');
    const message = /<Message>([\s\S]*?)<\/Message>/.exec(xml)?.[1] ?? `HTTP ${res.statusCode}`;
    throw new Error(message);
  }
  const etag = String(res.headers.etag ?? '');
  await pipeline(res, createWriteStream(target));
  if (revision.etag !== undefined && revision.etag.replace(/"/g, '') !== etag.replace(/"/g, '')) {
    throw new Error(`Expected deployment artifact bundle etag ${revision.etag} but was actually ${etag}`);
  }
}

/**
 * For codesuite a `GitHub` revision names one of its own CodeCommit repositories (`Repository`;
 * `Account` is ignored): the agent fetches it over git smart HTTP from the command service's
 * endpoint, authenticated with the SigV4-derived git password of its own credentials, and
 * archives the commit as a tar bundle, as GitHub's tarball would be.
 */
async function downloadFromCodeCommit(config: AgentConfig, identity: Identity, revision: Extract<DeploymentSpec['revision'], { type: 'GitHub' }>, target: string): Promise<void> {
  if (revision.bundleType && revision.bundleType !== 'tar' && revision.bundleType !== 'zip') {
    throw new Error(`GitHub revision specified with bundle_type other than zip or tar [bundle_type=${revision.bundleType}`);
  }
  if (!config.deployControlEndpoint) throw new Error('GitHub revisions need :deploy_control_endpoint: (the codesuite endpoint serving the repository)');
  const endpoint = new URL(config.deployControlEndpoint);
  const path = `/v1/repos/${revision.repository}`;
  const credentials = await identity.credentials();
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '');
  const password = gitPassword(credentials.secretAccessKey, stamp, identity.region, endpoint.host, path);
  const user = credentials.sessionToken ? `${credentials.accessKeyId}%${credentials.sessionToken}` : credentials.accessKeyId;
  const url = new URL(path, endpoint);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  const repo = await mkdtemp(join(tmpdir(), 'codedeploy-git-'));
  try {
    const git = (...args: string[]) => run('git', ['-C', repo, ...args], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 16 * 1024 * 1024 });
    await git('init', '-q', '--bare');
    try {
      await git('fetch', '-q', url.toString(), '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*');
    } catch (err) {
      const detail = String((err as { stderr?: string }).stderr ?? '').split(password).join('***').trim();
      throw new Error(`Could not download bundle at '${path}': ${detail}`);
    }
    await git('archive', '--format', revision.bundleType === 'zip' ? 'zip' : 'tar', '-o', target, revision.commitId).catch(() => {
      throw new Error(`Could not download bundle at '${path}': commit ${revision.commitId} is not in the repository`);
    });
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}

/** Puts the revision at `bundleFile` (or, for a local directory, straight into `archiveDir`). */
export async function fetchRevision(config: AgentConfig, identity: Identity, spec: DeploymentSpec, bundleFile: string, archiveDir: string): Promise<void> {
  const revision = spec.revision;
  switch (revision.type) {
    case 'S3':
      return downloadFromS3(config, identity, revision, bundleFile);
    case 'GitHub':
      return downloadFromCodeCommit(config, identity, revision, bundleFile);
    case 'Local File':
      await rm(bundleFile, { force: true });
      return symlink(revision.location, bundleFile);
    case 'Local Directory':
      return cp(revision.location, archiveDir, { recursive: true });
  }
}

/** The bundle type GitHub-style revisions default to on Linux. */
export const bundleTypeOf = (spec: DeploymentSpec) => spec.revision.bundleType ?? 'tar';
