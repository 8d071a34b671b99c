import { CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { credentials, testServer } from '../helpers/server.js';
import { sns } from '../sns/helpers.js';
import { ACCOUNT, finished, fleet, type Fleet } from './helpers.js';

const DEPLOYMENT_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:deployments`;
const INSTANCE_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:instances`;
const GROUP_ARN = `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:app/group`;
const EPOCH_SECONDS = /^\d{10}\.\d{3}$/;

describe('deployment group triggers', () => {
  let server: RunningServer;
  let f: Fleet;
  let sqs: SQSClient;
  /** Each topic's messages, read from an SQS queue subscribed to it (SNS's envelope: Subject and Message). */
  const received = new Map<string, { subject: string; body: Record<string, any> }[]>();
  const queues = new Map<string, string>();

  beforeEach(async () => {
    server = await testServer({ deployPollSeconds: 2 });
    sqs = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    received.clear();
    for (const name of ['deployments', 'instances']) {
      const TopicArn = (await sns(server).send(new CreateTopicCommand({ Name: name }))).TopicArn!;
      queues.set(TopicArn, (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!);
      received.set(TopicArn, []);
      await sns(server).send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}` }));
    }
  });
  afterEach(async () => {
    for (const a of f?.agents ?? []) void a.stop();
    await server.stop();
    await Promise.all((f?.agents ?? []).map((a) => a.stop()));
  });

  async function deliveries(topic: string, count: number): Promise<{ subject: string; body: Record<string, any> }[]> {
    const got = received.get(topic)!;
    for (let i = 0; i < 40 && got.length < count; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.get(topic)!, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
      for (const m of Messages) {
        const envelope = JSON.parse(m.Body!) as { Subject: string; Message: string };
        got.push({ subject: envelope.Subject, body: JSON.parse(envelope.Message) });
      }
    }
    return got;
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
    const records = (await (await fetch(`${server.endpoint}/_codesuite/deliveries?source=${encodeURIComponent(GROUP_ARN)}`)).json()) as { deliveries: { sender: string; targetArn: string; status: string }[] };
    expect(records.deliveries.length).toBeGreaterThanOrEqual(3);
    for (const r of records.deliveries) expect(r).toMatchObject({ sender: 'codedeploy', status: 'SUCCEEDED' });

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
