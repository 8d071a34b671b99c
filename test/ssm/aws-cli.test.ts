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

describe.skipIf(!hasCli)('the AWS CLI against Parameter Store', () => {
  it('puts and gets a SecureString parameter', async () => {
    const put = await aws(['ssm', 'put-parameter', '--name', '/cli/password', '--value', 'p@ss', '--type', 'SecureString']);
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    const got = await aws(['ssm', 'get-parameter', '--name', '/cli/password', '--with-decryption']);
    expect(got.Parameter).toMatchObject({ Name: '/cli/password', Type: 'SecureString', Value: 'p@ss', Version: 1 });
    let failure = '';
    try {
      await aws(['ssm', 'get-parameter', '--name', '/cli/missing']);
    } catch (err) {
      failure = String((err as { stderr?: string }).stderr);
    }
    expect(failure).toContain('An error occurred (ParameterNotFound) when calling the GetParameter operation: Parameter /cli/missing not found.');
  });
});
