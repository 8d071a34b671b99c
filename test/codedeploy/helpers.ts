import { CodeDeployClient, CreateApplicationCommand, CreateDeploymentGroupCommand, GetDeploymentCommand, RegisterOnPremisesInstanceCommand, AddTagsToOnPremisesInstancesCommand, type DeploymentInfo, type CreateDeploymentGroupInput } from '@aws-sdk/client-codedeploy';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RunningServer } from '../../src/server.js';
import { TestAgent } from '../helpers/codedeploy-agent.js';
import { credentials } from '../helpers/server.js';

export const ACCOUNT = '000000000000';
export const hostArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/AWS/CodeDeploy/${name}`;

export function clients(server: RunningServer) {
  const config = { endpoint: server.endpoint, region: 'us-east-1', credentials };
  return { cd: new CodeDeployClient(config), iam: new IAMClient(config), s3: new S3Client({ ...config, forcePathStyle: true }) };
}

export interface Fleet {
  cd: CodeDeployClient;
  roleArn: string;
  eTag: string;
  agents: TestAgent[];
  bundle: { bucket: string; key: string; bundleType: 'zip'; eTag: string };
}

/**
 * An application `app` with a bundle in S3, `hosts` registered on-premises instances tagged
 * env=prod (plus one tagged env=dev the group must not select), a group `group` selecting
 * env=prod, and a test agent per instance.
 */
export async function fleet(server: RunningServer, hosts: string[], group: Partial<CreateDeploymentGroupInput> = {}): Promise<Fleet> {
  const { cd, iam, s3 } = clients(server);
  const role = await iam.send(new CreateRoleCommand({ RoleName: 'CodeDeployServiceRole', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
  await s3.send(new CreateBucketCommand({ Bucket: 'bundles' }));
  const put = await s3.send(new PutObjectCommand({ Bucket: 'bundles', Key: 'app/v1.zip', Body: Buffer.from('PK\u0005\u0006' + '\0'.repeat(18), 'binary') }));
  const eTag = String(put.ETag).replace(/"/g, '');
  await cd.send(new CreateApplicationCommand({ applicationName: 'app' }));
  for (const name of [...hosts, 'dev-box']) {
    await cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: name, iamUserArn: hostArn(name) }));
    await cd.send(new AddTagsToOnPremisesInstancesCommand({ instanceNames: [name], tags: [{ Key: 'env', Value: name === 'dev-box' ? 'dev' : 'prod' }] }));
  }
  await cd.send(
    new CreateDeploymentGroupCommand({
      applicationName: 'app',
      deploymentGroupName: 'group',
      serviceRoleArn: role.Role!.Arn!,
      onPremisesInstanceTagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
      ...group,
    }),
  );
  return { cd, roleArn: role.Role!.Arn!, eTag, agents: hosts.map((h) => new TestAgent(server.endpoint, hostArn(h))), bundle: { bucket: 'bundles', key: 'app/v1.zip', bundleType: 'zip', eTag } };
}

/** Waits (polling the API, as a user would) until the deployment has finished. */
export async function finished(cd: CodeDeployClient, deploymentId: string, timeoutMs = 20_000): Promise<DeploymentInfo> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const info = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
    if (['Succeeded', 'Failed', 'Stopped'].includes(info.status!)) return info;
    if (Date.now() > until) throw new Error(`deployment ${deploymentId} still ${info.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
