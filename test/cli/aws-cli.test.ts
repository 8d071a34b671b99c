import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';

/** Every distinct AWS CLI on this machine (v1 from Python, v2 from Debian's awscli), by version line. */
function installedClis(): { path: string; version: string }[] {
  const found = new Map<string, string>();
  const which = spawnSync('which', ['-a', 'aws'], { encoding: 'utf8' });
  for (const path of (which.stdout ?? '').split('\n').filter(Boolean)) {
    const run = spawnSync(path, ['--version'], { encoding: 'utf8' });
    const version = `${run.stdout}${run.stderr}`.trim().split(' ')[0];
    if (run.status === 0 && version && ![...found.values()].includes(version)) found.set(path, version);
  }
  return [...found].map(([path, version]) => ({ path, version }));
}

const clis = installedClis();
let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

const run = promisify(execFile);

/** Asynchronous on purpose: the server runs in this process and must keep answering. */
async function aws(cli: string, args: string[], env: Record<string, string> = {}): Promise<unknown> {
  const { stdout: out } = await run(cli, [...args, '--output', 'json'], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...env,
    },
  });
  return out.trim() ? JSON.parse(out) : {};
}

describe.skipIf(clis.length === 0)('the AWS CLI', () => {
  for (const { path, version } of clis) {
    it(`${version} creates, reads and deletes a repository`, async () => {
      const name = `cli-${version.replace(/[^\w]/g, '-')}`;
      const created = (await aws(path, ['--endpoint-url', server.endpoint, 'codecommit', 'create-repository', '--repository-name', name])) as {
        repositoryMetadata: Record<string, unknown>;
      };
      expect(created.repositoryMetadata).toMatchObject({
        repositoryName: name,
        Arn: `arn:aws:codecommit:us-east-1:000000000000:${name}`,
        cloneUrlHttp: `${server.endpoint}/v1/repos/${name}`,
      });
      const listed = (await aws(path, ['--endpoint-url', server.endpoint, 'codecommit', 'list-repositories'])) as { repositories: { repositoryName: string }[] };
      expect(listed.repositories.map((r) => r.repositoryName)).toContain(name);
      let failure = '';
      try {
        await aws(path, ['--endpoint-url', server.endpoint, 'codecommit', 'get-repository', '--repository-name', 'missing-repo']);
      } catch (err) {
        failure = String((err as { stderr?: string }).stderr);
      }
      expect(failure).toContain('RepositoryDoesNotExistException');
      expect(failure).toContain('missing-repo does not exist');
      const deleted = (await aws(path, ['--endpoint-url', server.endpoint, 'codecommit', 'delete-repository', '--repository-name', name])) as {
        repositoryId?: string;
      };
      expect(deleted.repositoryId).toBe((created.repositoryMetadata as { repositoryId: string }).repositoryId);
    });

    // AWS_ENDPOINT_URL arrived in AWS CLI 1.29 and 2.13.
    const [major, minor] = version.replace('aws-cli/', '').split('.').map(Number);
    it.skipIf(major === 1 ? minor < 29 : minor < 13)(`${version} reaches the server through AWS_ENDPOINT_URL`, async () => {
      const me = (await aws(path, ['sts', 'get-caller-identity'], { AWS_ENDPOINT_URL: server.endpoint })) as { Account: string };
      expect(me.Account).toBe('000000000000');
    });
  }
});
