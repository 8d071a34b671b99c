import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsCli, awsCliFailure, installedAwsClis } from '../helpers/aws-cli.js';
import { testServer } from '../helpers/server.js';

const clis = installedAwsClis();
let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

describe.skipIf(clis.length === 0)('the AWS CLI', () => {
  for (const cli of clis) {
    const { version } = cli;
    it(`${version} creates, reads and deletes a repository`, async () => {
      const name = `cli-${version.replace(/[^\w]/g, '-')}`;
      const created = (await awsCli(cli, ['--endpoint-url', server.endpoint, 'codecommit', 'create-repository', '--repository-name', name])) as {
        repositoryMetadata: Record<string, unknown>;
      };
      expect(created.repositoryMetadata).toMatchObject({
        repositoryName: name,
        Arn: `arn:aws:codecommit:us-east-1:000000000000:${name}`,
        cloneUrlHttp: `${server.endpoint}/v1/repos/${name}`,
      });
      const listed = (await awsCli(cli, ['--endpoint-url', server.endpoint, 'codecommit', 'list-repositories'])) as { repositories: { repositoryName: string }[] };
      expect(listed.repositories.map((r) => r.repositoryName)).toContain(name);
      const failure = await awsCliFailure(cli, ['--endpoint-url', server.endpoint, 'codecommit', 'get-repository', '--repository-name', 'missing-repo']);
      expect(failure).toContain('RepositoryDoesNotExistException');
      expect(failure).toContain('missing-repo does not exist');
      const deleted = (await awsCli(cli, ['--endpoint-url', server.endpoint, 'codecommit', 'delete-repository', '--repository-name', name])) as {
        repositoryId?: string;
      };
      expect(deleted.repositoryId).toBe((created.repositoryMetadata as { repositoryId: string }).repositoryId);
    });

    // AWS_ENDPOINT_URL arrived in AWS CLI 1.29 and 2.13.
    const [major, minor] = version.replace('aws-cli/', '').split('.').map(Number);
    it.skipIf(major === 1 ? minor < 29 : minor < 13)(`${version} reaches the server through AWS_ENDPOINT_URL`, async () => {
      const me = (await awsCli(cli, ['sts', 'get-caller-identity'], { AWS_ENDPOINT_URL: server.endpoint })) as { Account: string };
      expect(me.Account).toBe('000000000000');
    });
  }
});
