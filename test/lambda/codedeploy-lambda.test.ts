import { CodeDeployClient, CreateApplicationCommand, CreateDeploymentCommand, CreateDeploymentGroupCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { CreateAliasCommand, CreateFunctionCommand, GetAliasCommand, PublishVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { credentials, testServer } from '../helpers/server.js';
import { lambda, ROLE, settled, zipOf } from './helpers.js';

/** A clock the test moves: the canary's five minutes pass at once. */
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ clock });
});
afterAll(() => server.stop());

const hook = (status: string) =>
  zipOf({
    'index.js': `const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');
exports.handler = async (event) => {
  await new CodeDeployClient({}).send(new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status: '${status}' }));
  return '${status}';
};`,
  });

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await get();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('a CodeDeploy deployment of a Lambda function', () => {
  it('shifts 10% to the target version, then rolls the alias back when AfterAllowTraffic reports Failed', async () => {
    const client = lambda(server);
    await client.send(new CreateFunctionCommand({ FunctionName: 'app', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zipOf({ 'index.js': 'exports.handler = async () => 1;' }) }, Publish: true }));
    await settled(client, 'app');
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'app', ZipFile: await zipOf({ 'index.js': 'exports.handler = async () => 2;' }) }));
    await settled(client, 'app');
    expect((await client.send(new PublishVersionCommand({ FunctionName: 'app' }))).Version).toBe('2');
    await client.send(new CreateAliasCommand({ FunctionName: 'app', Name: 'live', FunctionVersion: '1' }));
    for (const [name, status] of [['CodeDeployHook_before', 'Succeeded'], ['CodeDeployHook_after', 'Failed']]) {
      await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Timeout: 30, Code: { ZipFile: await hook(status) } }));
      await settled(client, name);
    }

    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    await iam.send(new CreateRoleCommand({ RoleName: 'codedeploy', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const cd = new CodeDeployClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    await cd.send(new CreateApplicationCommand({ applicationName: 'fn-app', computePlatform: 'Lambda' }));
    await cd.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'fn-app',
        deploymentGroupName: 'fn-group',
        serviceRoleArn: 'arn:aws:iam::000000000000:role/codedeploy',
        deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      }),
    );
    const appSpec = [
      'version: 0.0',
      'Resources:',
      '  - app:',
      '      Type: AWS::Lambda::Function',
      '      Properties:',
      '        Name: app',
      '        Alias: live',
      '        CurrentVersion: 1',
      '        TargetVersion: 2',
      'Hooks:',
      '  - BeforeAllowTraffic: CodeDeployHook_before',
      '  - AfterAllowTraffic: CodeDeployHook_after',
    ].join('\n');
    const { deploymentId } = await cd.send(new CreateDeploymentCommand({ applicationName: 'fn-app', deploymentGroupName: 'fn-group', revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec } } }));

    const canary = await until('the canary weight', () => client.send(new GetAliasCommand({ FunctionName: 'app', Name: 'live' })), (a) => a.RoutingConfig !== undefined);
    expect(canary).toMatchObject({ FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
    expect((await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!.status).toBe('InProgress');

    offset += 5 * 60_000 + 1000;
    const failed = await until('the deployment to fail', () => cd.send(new GetDeploymentCommand({ deploymentId })), (d) => d.deploymentInfo!.status === 'Failed');
    expect(failed.deploymentInfo!.errorInformation).toMatchObject({ code: 'HOOK_EXECUTION_FAILURE' });
    const restored = await client.send(new GetAliasCommand({ FunctionName: 'app', Name: 'live' }));
    expect(restored.FunctionVersion).toBe('1');
    expect(restored.RoutingConfig).toBeUndefined();
  });
});
