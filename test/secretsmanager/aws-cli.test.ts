import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';

const hasCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const run = promisify(execFile);
let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

/** Asynchronous on purpose: the server runs in this process and must keep answering. */
async function aws(args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run('aws', ['--endpoint-url', server.endpoint, ...args, '--output', 'json'], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

describe.skipIf(!hasCli)('the AWS CLI against Secrets Manager', () => {
  it('creates a secret and reads its value', async () => {
    const created = await aws(['secretsmanager', 'create-secret', '--name', 'cli/db', '--secret-string', '{"password":"p@ss"}']);
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:cli\/db-[A-Za-z0-9]{6}$/);
    const value = await aws(['secretsmanager', 'get-secret-value', '--secret-id', 'cli/db']);
    expect(value).toMatchObject({ Name: 'cli/db', SecretString: '{"password":"p@ss"}', VersionStages: ['AWSCURRENT'], VersionId: created.VersionId });
    let failure = '';
    try {
      await aws(['secretsmanager', 'get-secret-value', '--secret-id', 'cli/missing']);
    } catch (err) {
      failure = String((err as { stderr?: string }).stderr);
    }
    expect(failure).toContain("An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret.");
  });
});
