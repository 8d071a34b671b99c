import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsCli, awsCliFailure, defaultAwsCli } from '../helpers/aws-cli.js';
import { testServer } from '../helpers/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

const aws = (args: string[]) => awsCli(defaultAwsCli!, ['--endpoint-url', server.endpoint, ...args]);

describe.skipIf(!defaultAwsCli)('the AWS CLI against Parameter Store', () => {
  it('puts and gets a SecureString parameter', async () => {
    const put = await aws(['ssm', 'put-parameter', '--name', '/cli/password', '--value', 'p@ss', '--type', 'SecureString']);
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    const got = await aws(['ssm', 'get-parameter', '--name', '/cli/password', '--with-decryption']);
    expect(got.Parameter).toMatchObject({ Name: '/cli/password', Type: 'SecureString', Value: 'p@ss', Version: 1 });
    const failure = await awsCliFailure(defaultAwsCli!, ['--endpoint-url', server.endpoint, 'ssm', 'get-parameter', '--name', '/cli/missing']);
    expect(failure).toContain('An error occurred (ParameterNotFound) when calling the GetParameter operation: Parameter /cli/missing not found.');
  });
});
