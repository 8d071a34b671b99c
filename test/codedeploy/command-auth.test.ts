import { CodeDeployClient, CreateApplicationCommand, CreateDeploymentCommand, CreateDeploymentGroupCommand, RegisterOnPremisesInstanceCommand, AddTagsToOnPremisesInstancesCommand } from '@aws-sdk/client-codedeploy';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { CommandServiceError, TestAgent } from '../helpers/codedeploy-agent.js';
import { testServer } from '../helpers/server.js';

const root = { accessKeyId: 'test', secretAccessKey: 'test' };

async function failure(call: Promise<unknown>): Promise<CommandServiceError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof CommandServiceError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('the agent command service under --enforce-iam', () => {
  let server: RunningServer;
  let host: { arn: string; keys: { accessKeyId: string; secretAccessKey: string } };
  let other: { arn: string; keys: { accessKeyId: string; secretAccessKey: string } };

  beforeAll(async () => {
    server = await testServer({ enforceIam: true, deployPollSeconds: 1 });
    const config = { endpoint: server.endpoint, region: 'us-east-1', credentials: root, maxAttempts: 1 };
    const iam = new IAMClient(config);
    const user = async (name: string, policy?: object) => {
      const u = await iam.send(new CreateUserCommand({ UserName: name, Path: '/AWS/CodeDeploy/' }));
      if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'agent', PolicyDocument: JSON.stringify(policy) }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      return { arn: u.User!.Arn!, keys: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } };
    };
    host = await user('host-1', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'codedeploy-commands-secure:*', Resource: '*' }] });
    other = await user('host-2');
    const cd = new CodeDeployClient(config);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'cd', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    await s3.send(new CreateBucketCommand({ Bucket: 'bundles-auth' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bundles-auth', Key: 'k.zip', Body: 'x' }));
    await cd.send(new CreateApplicationCommand({ applicationName: 'app' }));
    for (const [name, arn] of [['host-1', host.arn], ['host-2', other.arn]]) {
      await cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: name, iamUserArn: arn }));
      await cd.send(new AddTagsToOnPremisesInstancesCommand({ instanceNames: [name], tags: [{ Key: 'fleet', Value: 'x' }] }));
    }
    await cd.send(new CreateDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'g', serviceRoleArn: role.Role!.Arn!, onPremisesInstanceTagFilters: [{ Key: 'fleet', Value: 'x', Type: 'KEY_AND_VALUE' }], deploymentConfigName: 'CodeDeployDefault.AllAtOnce' }));
    await cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'g', revision: { revisionType: 'S3', s3Location: { bucket: 'bundles-auth', key: 'k.zip', bundleType: 'zip' } } }));
  });
  afterAll(() => server.stop());

  it('gives a host its commands on the default stack when it signs as itself, and refuses another caller', async () => {
    const agent = new TestAgent(server.endpoint, host.arn, { credentials: host.keys });
    const command = await agent.poll();
    expect(command?.CommandName).toBe('DownloadBundle');
    const impostor = new TestAgent(server.endpoint, host.arn, { credentials: other.keys });
    expect(await failure(impostor.poll())).toMatchObject({ status: 400, type: 'AccessDeniedException' });
    expect(await failure(impostor.acknowledge(command!))).toMatchObject({ type: 'AccessDeniedException' });
    const unsigned = await fetch(`${server.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeDeployCommandService_v20141006.PollHostCommand' }, body: JSON.stringify({ HostIdentifier: host.arn }) });
    expect(unsigned.status).toBe(403);
    expect(await agent.acknowledge(command!)).toBe('InProgress');
  });

  it('authorizes the secure stack with IAM: allowed for a host whose policy grants codedeploy-commands-secure, denied otherwise', async () => {
    const secure = new TestAgent(server.endpoint, other.arn, { credentials: other.keys, secure: true });
    expect(await failure(secure.poll())).toMatchObject({ type: 'AccessDeniedException' });
    const allowed = new TestAgent(server.endpoint, host.arn, { credentials: host.keys, secure: true });
    // The host's one command is still out, so its poll answers empty once the wait is over.
    expect(await allowed.poll()).toBeUndefined();
  });

  it('answers a wrong target prefix with UnknownOperationException', async () => {
    const agent = new TestAgent(server.endpoint, host.arn, { credentials: host.keys });
    expect(await failure(agent.call('PollHostCommands', { HostIdentifier: host.arn }))).toMatchObject({ status: 400, type: 'UnknownOperationException' });
  });
});
