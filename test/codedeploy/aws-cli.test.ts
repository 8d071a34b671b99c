import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsCli, installedAwsClis } from '../helpers/aws-cli.js';
import { TestAgent } from '../helpers/codedeploy-agent.js';
import { testServer } from '../helpers/server.js';
import { clients, finished } from './helpers.js';

const run = promisify(execFile);
const v2 = installedAwsClis().find((c) => c.version.startsWith('aws-cli/2'));
/** `aws deploy push` and `register` make their S3 and IAM clients without --endpoint-url; only AWS_ENDPOINT_URL (botocore ≥ 1.31) reaches them. */
const v1 = installedAwsClis().find((c) => c.version.startsWith('aws-cli/1'));

describe.skipIf(!v2 || !v1)('the README scenario with the AWS CLI (v2, and v1 for push and register)', () => {
  let server: RunningServer;
  let work: string;
  let agent: TestAgent | undefined;
  let env: Record<string, string>;
  let cli: (args: string[]) => Promise<any>;

  beforeAll(async () => {
    server = await testServer({ deployPollSeconds: 2 });
    work = mkdtempSync(join(tmpdir(), 'cd-cli-'));
    env = { AWS_ENDPOINT_URL: server.endpoint };
    cli = (args) => awsCli(v2!, ['--endpoint-url', server.endpoint, ...args]);
  });
  afterAll(async () => {
    void agent?.stop();
    await server.stop();
    await agent?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('create-application, push, register-on-premises-instance, create-deployment-group, create-deployment, get-deployment to Succeeded', async () => {
    const source = join(work, 'app');
    mkdirSync(join(source, 'scripts'), { recursive: true });
    writeFileSync(join(source, 'appspec.yml'), 'version: 0.0\nos: linux\nfiles:\n  - source: index.html\n    destination: /tmp/cd-cli-demo\n');
    writeFileSync(join(source, 'index.html'), '<h1>v1</h1>');
    await cli(['deploy', 'create-application', '--application-name', 'demo']);
    await run(v2!.path, ['--endpoint-url', server.endpoint, 's3', 'mb', 's3://demo-bundles'], { env: cliEnv({}) });
    const push = await run(v1!.path, ['deploy', 'push', '--application-name', 'demo', '--s3-location', 's3://demo-bundles/demo.zip', '--source', source], { env: cliEnv(env) });
    const eTag = /eTag=("?)([0-9a-f]+)\1/.exec(push.stdout)?.[2];
    expect(eTag).toMatch(/^[0-9a-f]{32}$/);
    const revisions = await cli(['deploy', 'list-application-revisions', '--application-name', 'demo']);
    expect(revisions.revisions[0].s3Location).toMatchObject({ bucket: 'demo-bundles', key: 'demo.zip', bundleType: 'zip', eTag });

    const role = await cli(['iam', 'create-role', '--role-name', 'demo-deploy', '--assume-role-policy-document', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] })]);
    const hostArn = 'arn:aws:iam::000000000000:user/AWS/CodeDeploy/host-a';
    await cli(['deploy', 'register-on-premises-instance', '--instance-name', 'host-a', '--iam-user-arn', hostArn]);
    await cli(['deploy', 'add-tags-to-on-premises-instances', '--instance-names', 'host-a', '--tags', 'Key=env,Value=demo']);
    await cli(['deploy', 'create-deployment-group', '--application-name', 'demo', '--deployment-group-name', 'demo-group', '--service-role-arn', role.Role.Arn, '--on-premises-instance-tag-filters', 'Key=env,Value=demo,Type=KEY_AND_VALUE']);
    agent = new TestAgent(server.endpoint, hostArn);
    agent.start();
    const { deploymentId } = await cli(['deploy', 'create-deployment', '--application-name', 'demo', '--deployment-group-name', 'demo-group', '--s3-location', `bucket=demo-bundles,key=demo.zip,bundleType=zip,eTag=${eTag}`]);
    await finished(clients(server).cd, deploymentId);
    const info = (await cli(['deploy', 'get-deployment', '--deployment-id', deploymentId])).deploymentInfo;
    expect(info).toMatchObject({ status: 'Succeeded', deploymentOverview: { Succeeded: 1 } });
    expect(agent.log).toEqual(['DownloadBundle', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService']);
  }, 180_000);

  it('aws deploy register creates the IAM user under /AWS/CodeDeploy/, registers and tags the instance and writes the agent config', async () => {
    const dir = join(work, 'register');
    mkdirSync(dir);
    await run(v1!.path, ['deploy', 'register', '--instance-name', 'host-b', '--tags', 'Key=env,Value=demo', '--region', 'us-east-1'], { cwd: dir, env: cliEnv(env) });
    const config = readFileSync(join(dir, 'codedeploy.onpremises.yml'), 'utf8');
    expect(config).toContain('iam_user_arn: arn:aws:iam::000000000000:user/AWS/CodeDeploy/host-b');
    expect(config).toMatch(/aws_access_key_id: \S+/);
    const info = (await cli(['deploy', 'get-on-premises-instance', '--instance-name', 'host-b'])).instanceInfo;
    expect(info).toMatchObject({ instanceName: 'host-b', iamUserArn: 'arn:aws:iam::000000000000:user/AWS/CodeDeploy/host-b', tags: [{ Key: 'env', Value: 'demo' }] });
  }, 120_000);
});

function cliEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...extra,
  };
}
