import { CreateRepositoryCommand } from '@aws-sdk/client-codecommit';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConfig, Identity } from '../../agent/config.js';
import type { DeploymentSpec } from '../../agent/deployment-spec.js';
import { fetchRevision } from '../../agent/download.js';
import { extractTarFile } from '../../src/core/archives/tar.js';
import { gitPassword } from '../../src/core/git-password.js';
import type { RunningServer } from '../../src/server.js';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { codecommit, testServer } from '../helpers/server.js';

/** Bundle downloads against codesuite itself: S3 (SigV4, path style, ETag) and CodeCommit over git. */
let server: RunningServer;
const work = tempDir('agent-download-');
const rootKeys = { accessKeyId: 'test', secretAccessKey: 'test' };

beforeAll(async () => {
  server = await testServer({ enforceIam: true });
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

const config = (): AgentConfig => ({ deployControlEndpoint: server.endpoint, s3EndpointOverride: server.endpoint, rootDir: work.path, maxRevisions: 5, waitBetweenRuns: 1, onPremisesConfigFile: '', enableAuthPolicy: false, httpReadTimeout: 80 });
const identity: Identity = { region: 'us-east-1', hostIdentifier: 'arn:aws:iam::000000000000:user/agent', credentials: async () => rootKeys };
const spec = (revision: DeploymentSpec['revision']): DeploymentSpec => ({ deploymentId: 'd-1', deploymentGroupId: 'g', deploymentGroupName: 'g', applicationName: 'a', deploymentCreator: 'user', deploymentType: 'IN_PLACE', appSpecFilename: 'appspec.yml', fileExistsBehavior: 'DISALLOW', revision });

describe('bundle download from codesuite', () => {
  it('GETs an S3 bundle with a signed request and checks its ETag', async () => {
    const s3 = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', credentials: rootKeys, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'bundles' }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'bundles', Key: 'dir/my app+v1.tar', Body: 'tar bytes' }));
    const target = join(work.path, 's3-bundle');
    await fetchRevision(config(), identity, spec({ type: 'S3', bucket: 'bundles', key: 'dir/my app+v1.tar', bundleType: 'tar', etag: put.ETag }), target, '');
    expect(await readFile(target, 'utf8')).toBe('tar bytes');
    await expect(fetchRevision(config(), identity, spec({ type: 'S3', bucket: 'bundles', key: 'dir/my app+v1.tar', bundleType: 'tar', etag: 'ffff' }), target, '')).rejects.toThrow(`Expected deployment artifact bundle etag ffff but was actually ${put.ETag}`);
    const stranger: Identity = { ...identity, credentials: async () => ({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }) };
    await expect(fetchRevision(config(), stranger, spec({ type: 'S3', bucket: 'bundles', key: 'dir/my app+v1.tar', bundleType: 'tar' }), target, '')).rejects.toThrow(/Access Key Id you provided does not exist/);
  });

  it('fetches a GitHub revision from the CodeCommit repository of that name as a tar bundle', async () => {
    await codecommit(server).send(new CreateRepositoryCommand({ repositoryName: 'webapp' }));
    const host = new URL(server.endpoint).host;
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '');
    const url = new URL('/v1/repos/webapp', server.endpoint);
    url.username = 'test';
    url.password = gitPassword('test', stamp, 'us-east-1', host, '/v1/repos/webapp');
    const dir = join(work.path, 'clone');
    await mkdir(dir);
    await gitOk(dir, ['init', '-q']);
    await commitFile(dir, 'appspec.yml', 'version: 0.0\nos: linux\n');
    const commit = await commitFile(dir, 'index.html', 'v1');
    await gitOk(dir, ['push', '-q', url.toString(), 'HEAD:main']);
    await commitFile(dir, 'index.html', 'v2');
    await gitOk(dir, ['push', '-q', url.toString(), 'HEAD:main']);

    const bundle = join(work.path, 'gh-bundle.tar');
    await fetchRevision(config(), identity, spec({ type: 'GitHub', account: 'anyone', repository: 'webapp', commitId: commit }), bundle, '');
    const out = join(work.path, 'gh-archive');
    await extractTarFile(bundle, out, { gzip: false });
    expect(existsSync(join(out, 'appspec.yml'))).toBe(true);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('v1');
    await expect(fetchRevision(config(), identity, spec({ type: 'GitHub', account: 'anyone', repository: 'missing', commitId: commit }), bundle, '')).rejects.toThrow(/Could not download bundle at '\/v1\/repos\/missing'/);
  });
});
