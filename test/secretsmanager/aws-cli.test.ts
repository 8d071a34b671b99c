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

describe.skipIf(!defaultAwsCli)('the AWS CLI against Secrets Manager', () => {
  it('creates a secret and reads its value', async () => {
    const created = await aws(['secretsmanager', 'create-secret', '--name', 'cli/db', '--secret-string', '{"password":"p@ss"}']);
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:cli\/db-[A-Za-z0-9]{6}$/);
    const value = await aws(['secretsmanager', 'get-secret-value', '--secret-id', 'cli/db']);
    expect(value).toMatchObject({ Name: 'cli/db', SecretString: '{"password":"p@ss"}', VersionStages: ['AWSCURRENT'], VersionId: created.VersionId });
    const failure = await awsCliFailure(defaultAwsCli!, ['--endpoint-url', server.endpoint, 'secretsmanager', 'get-secret-value', '--secret-id', 'cli/missing']);
    expect(failure).toContain("An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret.");
  });
});
