import { CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { delivered, type Delivery } from '../../src/core/delivery.js';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';
import { ACCOUNT, finished, fleet, type Fleet } from './helpers.js';

const DEPLOYMENT_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:deployments`;
const INSTANCE_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:instances`;
const GROUP_ARN = `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:app/group`;
const EPOCH_SECONDS = /^\d{10}\.\d{3}$/;

describe('deployment group triggers', () => {
  let server: RunningServer;
  let f: Fleet;
  /** What the stand-in SNS receiver was handed (SNS itself is another helper's work). */
  const received: Delivery[] = [];

  beforeEach(async () => {
    server = await testServer({ deployPollSeconds: 2 });
    received.length = 0;
    server.delivery.register({ service: 'sns', accepts: (arn) => arn.startsWith('arn:aws:sns:'), receive: async (d) => (received.push(d), delivered('published')) });
  });
  afterEach(async () => {
    for (const a of f?.agents ?? []) void a.stop();
    await server.stop();
    await Promise.all((f?.agents ?? []).map((a) => a.stop()));
  });

  async function deliveries(topic: string, count: number): Promise<{ subject: string; body: Record<string, any> }[]> {
    for (let i = 0; i < 200 && received.filter((d) => d.targetArn === topic).length < count; i++) await new Promise((r) => setTimeout(r, 50));
    return received.filter((d) => d.targetArn === topic).map((d) => ({ subject: String(d.attributes?.Subject), body: JSON.parse(d.message) }));
  }

  it("delivers AWS's trigger JSON to the trigger's topic for the events it names, as the group's service role", async () => {
    f = await fleet(server, ['web-1'], {
      triggerConfigurations: [
        { triggerName: 'deploys', triggerTargetArn: DEPLOYMENT_TOPIC, triggerEvents: ['DeploymentStart', 'DeploymentSuccess', 'DeploymentFailure', 'DeploymentRollback'] },
        { triggerName: 'hosts', triggerTargetArn: INSTANCE_TOPIC, triggerEvents: ['InstanceSuccess', 'InstanceFailure'] },
      ],
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    let failValidate = false;
    f.agents[0].start((cmd) => (failValidate && cmd.CommandName === 'ValidateService' ? { status: 'Failed', diagnostics: { error_code: 4, script_name: 'check.sh', message: 'failed', log: '' } } : undefined));
    const deploy = async () => (await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }))).deploymentId!;

    const good = await deploy();
    expect((await finished(f.cd, good)).status).toBe('Succeeded');
    const [start, success] = await deliveries(DEPLOYMENT_TOPIC, 2);
    expect(start.subject).toBe(`CREATED: AWS CodeDeploy ${good} in us-east-1 to app`);
    expect(start.body).toMatchObject({ region: 'us-east-1', accountId: ACCOUNT, eventTriggerName: 'deploys', applicationName: 'app', deploymentId: good, deploymentGroupName: 'group', status: 'CREATED', completeTime: null });
    expect(success.subject).toBe(`SUCCEEDED: AWS CodeDeploy ${good} in us-east-1 to app`);
    expect(Object.keys(success.body)).toEqual(['region', 'accountId', 'eventTriggerName', 'applicationName', 'deploymentId', 'deploymentGroupName', 'createTime', 'completeTime', 'deploymentOverview', 'status']);
    expect(success.body).toMatchObject({ status: 'SUCCEEDED', deploymentOverview: { Failed: '0', InProgress: '0', Pending: '0', Skipped: '0', Succeeded: '1' } });
    expect(success.body.createTime).toMatch(EPOCH_SECONDS);
    expect(success.body.completeTime).toMatch(EPOCH_SECONDS);
    const [host] = await deliveries(INSTANCE_TOPIC, 1);
    expect(host.body).toMatchObject({ eventTriggerName: 'hosts', deploymentId: good, instanceId: `arn:aws:codedeploy:us-east-1:${ACCOUNT}:instance/web-1`, instanceStatus: 'Succeeded' });
    expect(host.body.lifecycleEvents.map((e: { LifecycleEvent: string; LifecycleEventStatus: string }) => `${e.LifecycleEvent}:${e.LifecycleEventStatus}`)).toEqual([
      'DownloadBundle:Succeeded',
      'BeforeInstall:Succeeded',
      'Install:Succeeded',
      'AfterInstall:Succeeded',
      'ApplicationStart:Succeeded',
      'ValidateService:Succeeded',
    ]);
    const first = received.find((d) => d.targetArn === DEPLOYMENT_TOPIC)!;
    expect(first).toMatchObject({ sourceService: 'codedeploy.amazonaws.com', sourceArn: GROUP_ARN, sourceAccount: ACCOUNT, role: { type: 'role-session', roleArn: f.roleArn } });

    failValidate = true;
    const bad = await deploy();
    const failed = await finished(f.cd, bad);
    expect(failed.status).toBe('Failed');
    const rollbackId = failed.rollbackInfo!.rollbackDeploymentId!;
    const all = await deliveries(DEPLOYMENT_TOPIC, 6);
    const about = (id: string) => all.filter((m) => m.body.deploymentId === id).map((m) => m.body.status);
    expect(about(bad)).toEqual(['CREATED', 'FAILED', 'FAILED']);
    const failure = all.find((m) => m.body.deploymentId === bad && m.body.status === 'FAILED')!;
    expect(failure.body.errorInformation).toEqual({ ErrorCode: 'HEALTH_CONSTRAINTS', ErrorMessage: expect.stringContaining('too many individual instances failed') });
    expect(about(rollbackId)[0]).toBe('CREATED');
    const hosts = await deliveries(INSTANCE_TOPIC, 2);
    expect(hosts.find((m) => m.body.deploymentId === bad)!.body.instanceStatus).toBe('Failed');
  });
});
