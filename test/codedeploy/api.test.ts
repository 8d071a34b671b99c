import {
  BatchGetApplicationsCommand,
  BatchGetOnPremisesInstancesCommand,
  CreateApplicationCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  DeleteApplicationCommand,
  DeleteDeploymentConfigCommand,
  DeleteGitHubAccountTokenCommand,
  DeregisterOnPremisesInstanceCommand,
  GetApplicationCommand,
  GetApplicationRevisionCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetOnPremisesInstanceCommand,
  ListApplicationRevisionsCommand,
  ListApplicationsCommand,
  ListDeploymentConfigsCommand,
  ListDeploymentGroupsCommand,
  ListGitHubAccountTokenNamesCommand,
  ListOnPremisesInstancesCommand,
  ListTagsForResourceCommand,
  RegisterApplicationRevisionCommand,
  RegisterOnPremisesInstanceCommand,
  RemoveTagsFromOnPremisesInstancesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApplicationCommand,
  UpdateDeploymentGroupCommand,
  AddTagsToOnPremisesInstancesCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsCli, awsCliFailure, defaultAwsCli } from '../helpers/aws-cli.js';
import { awsError, testServer } from '../helpers/server.js';
import { clients, hostArn } from './helpers.js';

describe('CodeDeploy API', () => {
  let server: RunningServer;
  let c: ReturnType<typeof clients>;
  let roleArn: string;

  beforeAll(async () => {
    server = await testServer();
    c = clients(server);
    const role = await c.iam.send(new CreateRoleCommand({ RoleName: 'cd-role', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    roleArn = role.Role!.Arn!;
  });
  afterAll(() => server.stop());

  it('creates, reads, renames, tags and deletes applications', async () => {
    const { applicationId } = await c.cd.send(new CreateApplicationCommand({ applicationName: 'shop', tags: [{ Key: 'team', Value: 'a' }] }));
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await awsError(c.cd.send(new CreateApplicationCommand({ applicationName: 'shop' })))).toMatchObject({ name: 'ApplicationAlreadyExistsException' });
    const app = (await c.cd.send(new GetApplicationCommand({ applicationName: 'shop' }))).application!;
    expect(app).toMatchObject({ applicationId, applicationName: 'shop', computePlatform: 'Server', linkedToGitHub: false });
    expect(app.createTime).toBeInstanceOf(Date);
    expect(await awsError(c.cd.send(new GetApplicationCommand({ applicationName: 'nope' })))).toMatchObject({ name: 'ApplicationDoesNotExistException', message: 'No application found for name: nope' });
    const arn = 'arn:aws:codedeploy:us-east-1:000000000000:application:shop';
    expect((await c.cd.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'team', Value: 'a' }]);
    await c.cd.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'cost', Value: '1' }] }));
    await c.cd.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
    expect((await c.cd.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'cost', Value: '1' }]);
    await c.cd.send(new UpdateApplicationCommand({ applicationName: 'shop', newApplicationName: 'store' }));
    expect((await c.cd.send(new ListApplicationsCommand({}))).applications).toContain('store');
    expect((await c.cd.send(new BatchGetApplicationsCommand({ applicationNames: ['store'] }))).applicationsInfo?.[0].applicationId).toBe(applicationId);
    await c.cd.send(new DeleteApplicationCommand({ applicationName: 'store' }));
    expect((await c.cd.send(new ListApplicationsCommand({}))).applications).not.toContain('store');
  });

  it('registers on-premises instances with exactly one IAM ARN, tags them and lists them by status and tag', async () => {
    expect(await awsError(c.cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: 'x' })))).toMatchObject({ name: 'IamArnRequiredException' });
    expect(
      await awsError(c.cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: 'x', iamUserArn: hostArn('x'), iamSessionArn: 'arn:aws:sts::000000000000:assumed-role/r/s' }))),
    ).toMatchObject({ name: 'MultipleIamArnsProvidedException' });
    await c.cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: 'box-1', iamUserArn: hostArn('box-1') }));
    await c.cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: 'box-2', iamSessionArn: 'arn:aws:sts::000000000000:assumed-role/host-role/box-2' }));
    expect(await awsError(c.cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: 'box-1', iamUserArn: hostArn('other') })))).toMatchObject({ name: 'InstanceNameAlreadyRegisteredException' });
    expect(await awsError(c.cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: 'box-3', iamUserArn: hostArn('box-1') })))).toMatchObject({ name: 'IamUserArnAlreadyRegisteredException' });
    await c.cd.send(new AddTagsToOnPremisesInstancesCommand({ instanceNames: ['box-1', 'box-2'], tags: [{ Key: 'role', Value: 'web' }] }));
    await c.cd.send(new AddTagsToOnPremisesInstancesCommand({ instanceNames: ['box-2'], tags: [{ Key: 'zone', Value: 'b' }] }));
    const info = (await c.cd.send(new GetOnPremisesInstanceCommand({ instanceName: 'box-2' }))).instanceInfo!;
    expect(info).toMatchObject({ instanceName: 'box-2', iamSessionArn: 'arn:aws:sts::000000000000:assumed-role/host-role/box-2', instanceArn: 'arn:aws:codedeploy:us-east-1:000000000000:instance/box-2' });
    expect(info.tags).toEqual([{ Key: 'role', Value: 'web' }, { Key: 'zone', Value: 'b' }]);
    expect((await c.cd.send(new ListOnPremisesInstancesCommand({ tagFilters: [{ Key: 'zone', Value: 'b', Type: 'KEY_AND_VALUE' }] }))).instanceNames).toEqual(['box-2']);
    expect((await c.cd.send(new ListOnPremisesInstancesCommand({ tagFilters: [{ Key: 'role', Type: 'KEY_ONLY' }] }))).instanceNames).toEqual(['box-1', 'box-2']);
    await c.cd.send(new RemoveTagsFromOnPremisesInstancesCommand({ instanceNames: ['box-2'], tags: [{ Key: 'zone', Value: 'b' }] }));
    expect((await c.cd.send(new ListOnPremisesInstancesCommand({ tagFilters: [{ Value: 'b', Type: 'VALUE_ONLY' }] }))).instanceNames).toEqual([]);
    await c.cd.send(new DeregisterOnPremisesInstanceCommand({ instanceName: 'box-1' }));
    expect((await c.cd.send(new ListOnPremisesInstancesCommand({ registrationStatus: 'Deregistered' }))).instanceNames).toEqual(['box-1']);
    expect((await c.cd.send(new ListOnPremisesInstancesCommand({ registrationStatus: 'Registered' }))).instanceNames).toEqual(['box-2']);
    const batch = await c.cd.send(new BatchGetOnPremisesInstancesCommand({ instanceNames: ['box-1', 'box-2'] }));
    expect(batch.instanceInfos?.find((i) => i.instanceName === 'box-1')?.deregisterTime).toBeInstanceOf(Date);
  });

  it('creates deployment groups with tag filters or tag sets (not both), an existing service role and a known configuration', async () => {
    await c.cd.send(new CreateApplicationCommand({ applicationName: 'groups' }));
    const base = { applicationName: 'groups', serviceRoleArn: roleArn };
    expect(
      await awsError(c.cd.send(new CreateDeploymentGroupCommand({ ...base, deploymentGroupName: 'g', serviceRoleArn: 'arn:aws:iam::000000000000:role/missing' }))),
    ).toMatchObject({ name: 'InvalidRoleException' });
    expect(
      await awsError(
        c.cd.send(
          new CreateDeploymentGroupCommand({
            ...base,
            deploymentGroupName: 'g',
            onPremisesInstanceTagFilters: [{ Key: 'a', Value: 'b', Type: 'KEY_AND_VALUE' }],
            onPremisesTagSet: { onPremisesTagSetList: [[{ Key: 'a', Value: 'b', Type: 'KEY_AND_VALUE' }]] },
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidOnPremisesTagCombinationException' });
    expect(await awsError(c.cd.send(new CreateDeploymentGroupCommand({ ...base, deploymentGroupName: 'g', deploymentConfigName: 'Nope' })))).toMatchObject({ name: 'DeploymentConfigDoesNotExistException' });
    expect(
      await awsError(c.cd.send(new CreateDeploymentGroupCommand({ ...base, deploymentGroupName: 'g', onPremisesTagSet: { onPremisesTagSetList: [[], [], [], []] } }))),
    ).toMatchObject({ name: 'TagSetListLimitExceededException' });
    expect(
      await awsError(c.cd.send(new CreateDeploymentGroupCommand({ ...base, deploymentGroupName: 'g', triggerConfigurations: [{ triggerName: 't', triggerTargetArn: 'not-an-arn', triggerEvents: ['DeploymentFailure'] }] }))),
    ).toMatchObject({ name: 'InvalidTriggerConfigException' });
    const { deploymentGroupId } = await c.cd.send(
      new CreateDeploymentGroupCommand({
        ...base,
        deploymentGroupName: 'g',
        onPremisesTagSet: { onPremisesTagSetList: [[{ Key: 'role', Value: 'web', Type: 'KEY_AND_VALUE' }], [{ Key: 'zone', Type: 'KEY_ONLY' }]] },
        triggerConfigurations: [{ triggerName: 't', triggerTargetArn: 'arn:aws:sns:us-east-1:000000000000:deploys', triggerEvents: ['DeploymentFailure'] }],
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      }),
    );
    const info = (await c.cd.send(new GetDeploymentGroupCommand({ applicationName: 'groups', deploymentGroupName: 'g' }))).deploymentGroupInfo!;
    expect(info).toMatchObject({
      deploymentGroupId,
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      serviceRoleArn: roleArn,
      computePlatform: 'Server',
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      triggerConfigurations: [{ triggerName: 't' }],
    });
    expect(info.onPremisesTagSet?.onPremisesTagSetList).toHaveLength(2);
    await c.cd.send(new UpdateDeploymentGroupCommand({ applicationName: 'groups', currentDeploymentGroupName: 'g', newDeploymentGroupName: 'g2', onPremisesInstanceTagFilters: [{ Key: 'role', Value: 'web', Type: 'KEY_AND_VALUE' }] }));
    const updated = (await c.cd.send(new GetDeploymentGroupCommand({ applicationName: 'groups', deploymentGroupName: 'g2' }))).deploymentGroupInfo!;
    expect(updated.deploymentGroupId).toBe(deploymentGroupId);
    expect(updated.onPremisesTagSet?.onPremisesTagSetList).toEqual([]);
    expect(updated.onPremisesInstanceTagFilters).toHaveLength(1);
    expect((await c.cd.send(new ListDeploymentGroupsCommand({ applicationName: 'groups' }))).deploymentGroups).toEqual(['g2']);
  });

  it('serves the built-in configurations with AWS definitions and custom ones', async () => {
    const one = (await c.cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.OneAtATime' }))).deploymentConfigInfo!;
    expect(one.minimumHealthyHosts).toEqual({ type: 'MOST_CONCURRENCY', value: 1 });
    expect((await c.cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.HalfAtATime' }))).deploymentConfigInfo?.minimumHealthyHosts).toEqual({ type: 'FLEET_PERCENT', value: 50 });
    expect((await c.cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' }))).deploymentConfigInfo).toMatchObject({
      computePlatform: 'Lambda',
      trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } },
    });
    expect(await awsError(c.cd.send(new CreateDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.Mine', minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 } })))).toMatchObject({ name: 'InvalidDeploymentConfigNameException' });
    expect(await awsError(c.cd.send(new CreateDeploymentConfigCommand({ deploymentConfigName: 'NoHosts' })))).toMatchObject({ name: 'InvalidMinimumHealthyHostValueException' });
    await c.cd.send(new CreateDeploymentConfigCommand({ deploymentConfigName: 'ThreeQuarters', minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 75 } }));
    expect((await c.cd.send(new ListDeploymentConfigsCommand({}))).deploymentConfigsList).toEqual(expect.arrayContaining(['CodeDeployDefault.AllAtOnce', 'ThreeQuarters']));
    expect(await awsError(c.cd.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.AllAtOnce' })))).toMatchObject({ name: 'InvalidOperationException' });
    await c.cd.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: 'ThreeQuarters' }));
    expect(await awsError(c.cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'ThreeQuarters' })))).toMatchObject({ name: 'DeploymentConfigDoesNotExistException' });
  });

  it('registers S3 revisions checked against S3 (object, eTag) and refuses GitHub revisions without a repository', async () => {
    await c.cd.send(new CreateApplicationCommand({ applicationName: 'revs' }));
    await c.s3.send(new CreateBucketCommand({ Bucket: 'rev-bucket' }));
    const put = await c.s3.send(new PutObjectCommand({ Bucket: 'rev-bucket', Key: 'a/b.zip', Body: 'bundle' }));
    const eTag = put.ETag!.replace(/"/g, '');
    const revision = { revisionType: 'S3' as const, s3Location: { bucket: 'rev-bucket', key: 'a/b.zip', bundleType: 'zip' as const, eTag } };
    await c.cd.send(new RegisterApplicationRevisionCommand({ applicationName: 'revs', revision, description: 'first' }));
    const got = await c.cd.send(new GetApplicationRevisionCommand({ applicationName: 'revs', revision }));
    expect(got.revisionInfo).toMatchObject({ description: 'first', deploymentGroups: [] });
    expect(
      await awsError(c.cd.send(new RegisterApplicationRevisionCommand({ applicationName: 'revs', revision: { ...revision, s3Location: { ...revision.s3Location, eTag: '0'.repeat(32) } } }))),
    ).toMatchObject({ name: 'InvalidRevisionException' });
    expect(
      await awsError(c.cd.send(new RegisterApplicationRevisionCommand({ applicationName: 'revs', revision: { ...revision, s3Location: { ...revision.s3Location, key: 'missing.zip' } } }))),
    ).toMatchObject({ name: 'InvalidRevisionException' });
    const github = await awsError(
      c.cd.send(new RegisterApplicationRevisionCommand({ applicationName: 'revs', revision: { revisionType: 'GitHub', gitHubLocation: { repository: 'me/nowhere', commitId: 'a'.repeat(40) } } })),
    );
    expect(github.name).toBe('InvalidRevisionException');
    expect(github.message).toContain('nowhere');
    expect((await c.cd.send(new ListApplicationRevisionsCommand({ applicationName: 'revs', s3Bucket: 'rev-bucket', s3KeyPrefix: 'a/' }))).revisions).toHaveLength(1);
    expect((await c.cd.send(new ListApplicationRevisionsCommand({ applicationName: 'revs', deployed: 'include' }))).revisions).toHaveLength(0);
  });

  it('has no GitHub account connections', async () => {
    expect((await c.cd.send(new ListGitHubAccountTokenNamesCommand({}))).tokenNameList).toEqual([]);
    expect(await awsError(c.cd.send(new DeleteGitHubAccountTokenCommand({ tokenName: 'x' })))).toMatchObject({ name: 'GitHubAccountTokenDoesNotExistException' });
  });

  it.skipIf(!defaultAwsCli)('answers the AWS CLI (aws deploy ...)', async () => {
    const cli = defaultAwsCli!;
    const env = { AWS_ENDPOINT_URL: server.endpoint };
    await awsCli(cli, ['deploy', 'create-application', '--application-name', 'cli-app'], env);
    expect((await awsCli(cli, ['deploy', 'list-applications'], env)).applications).toContain('cli-app');
    const config = await awsCli(cli, ['deploy', 'get-deployment-config', '--deployment-config-name', 'CodeDeployDefault.AllAtOnce'], env);
    expect(config.deploymentConfigInfo.minimumHealthyHosts).toEqual({ type: 'HOST_COUNT', value: 0 });
    expect(await awsCliFailure(cli, ['deploy', 'get-application', '--application-name', 'nope'], env)).toContain('ApplicationDoesNotExistException');
  }, 120_000);
});
