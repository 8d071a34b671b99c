import { CodestarNotificationsClient, CreateNotificationRuleCommand, UpdateNotificationRuleCommand } from '@aws-sdk/client-codestar-notifications';
import { CreateProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { codebuild, pushRepository, ROLE, waitForBuild } from '../codebuild/helpers.js';
import { FAILING_BUILD } from '../codebuild/scenario.js';
import { tempDir } from '../helpers/git.js';
import { credentials, testServer } from '../helpers/server.js';
import { sns, Subscriber, verifySignature } from '../sns/helpers.js';

const ACCOUNT = '000000000000';

let server: RunningServer;
let client: CodestarNotificationsClient;
let sqs: SQSClient;
let TOPIC: string;
let queueUrl: string;
/** What reached the topic's queue (raw delivery: the notification's JSON), read as the test goes. */
const received: { message: string; rule: string }[] = [];
/** A loopback HTTP subscriber of the same topic, which checks every signature. */
const subscriber = new Subscriber();
const work = tempDir();

beforeAll(async () => {
  server = await testServer({ buildExecutor: 'local' });
  client = new CodestarNotificationsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
  sqs = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
  const topics = sns(server);
  TOPIC = (await topics.send(new CreateTopicCommand({ Name: 'build-alerts' }))).TopicArn!;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'build-alerts' }))).QueueUrl!;
  await topics.send(new SubscribeCommand({ TopicArn: TOPIC, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:build-alerts`, Attributes: { RawMessageDelivery: 'true' } }));
  await subscriber.start();
  await topics.send(new SubscribeCommand({ TopicArn: TOPIC, Protocol: 'http', Endpoint: subscriber.url }));
  const [confirmation] = await subscriber.messages('SubscriptionConfirmation');
  expect(await verifySignature(confirmation)).toBe(true);
  expect((await fetch(confirmation.SubscribeURL)).status).toBe(200);
});
afterAll(async () => {
  await subscriber.stop();
  await server?.stop();
  work.remove();
});

/** The notifications a rule sent, as they arrived in the queue, waiting (boundedly) for `count`. */
async function deliveriesFrom(ruleArn: string, count: number): Promise<{ message: string }[]> {
  for (let i = 0; i < 40; i++) {
    const found = received.filter((d) => d.rule === ruleArn);
    if (found.length >= count) return found;
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
    for (const m of Messages) received.push({ message: m.Body!, rule: (JSON.parse(m.Body!) as { notificationRuleArn: string }).notificationRuleArn });
  }
  throw new Error(`expected ${count} notifications from ${ruleArn}, got ${received.filter((d) => d.rule === ruleArn).length}`);
}

async function rule(name: string, resource: string, eventTypeIds: string[], detailType: 'BASIC' | 'FULL' = 'BASIC'): Promise<string> {
  const { Arn } = await client.send(new CreateNotificationRuleCommand({ Name: name, Resource: resource, EventTypeIds: eventTypeIds, Targets: [{ TargetType: 'SNS', TargetAddress: TOPIC }], DetailType: detailType }));
  return Arn!;
}

describe('notification rules deliver events', () => {
  it('a failed CodeBuild build fires a build-state-failed rule with the message AWS publishes', async () => {
    const project = 'notify-build';
    const projectArn = `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/${project}`;
    const failed = await rule('build failed', projectArn, ['codebuild-project-build-state-failed'], 'FULL');
    const succeeded = await rule('build succeeded', projectArn, ['codebuild-project-build-state-succeeded']);
    const { url } = await pushRepository(server, 'notify-build-repo', { 'buildspec.yml': FAILING_BUILD }, work.path);
    const cb = codebuild(server);
    await cb.send(
      new CreateProjectCommand({
        name: project,
        source: { type: 'CODECOMMIT', location: url },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'codesuite-test/busybox:1', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: ROLE,
      }),
    );
    const { build } = await cb.send(new StartBuildCommand({ projectName: project, sourceVersion: 'main' }));
    const done = await waitForBuild(cb, build!.id!);
    expect(done.buildStatus).toBe('FAILED');

    const [delivery] = await deliveriesFrom(failed, 1);
    const message = JSON.parse(delivery.message);
    expect(Object.keys(message)).toEqual(['account', 'detailType', 'region', 'source', 'time', 'notificationRuleArn', 'detail', 'resources', 'additionalAttributes']);
    expect(message).toMatchObject({
      account: ACCOUNT,
      detailType: 'CodeBuild Build State Change',
      region: 'us-east-1',
      source: 'aws.codebuild',
      notificationRuleArn: failed,
      detail: { 'build-status': 'FAILED', 'project-name': project, 'build-id': done.arn },
      resources: [done.arn],
      additionalAttributes: {},
    });
    expect(message.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const records = (await (await fetch(`${server.endpoint}/_codesuite/deliveries?source=${encodeURIComponent(failed)}`)).json()) as { deliveries: { status: string; targetArn: string; sender: string; message: string }[] };
    expect(records.deliveries).toEqual([expect.objectContaining({ status: 'SUCCEEDED', targetArn: TOPIC, sender: 'codestar-notifications', message: delivery.message })]);
    expect(received.filter((d) => d.rule === succeeded)).toEqual([]);
    // The topic's HTTP subscriber got the same notification, signed as AWS signs it.
    const notifications = await subscriber.messages('Notification');
    const signed = notifications.find((n) => n.Message === delivery.message);
    expect(signed).toBeDefined();
    expect(await verifySignature(signed!)).toBe(true);
  });

  it('a push to a repository fires a branches-and-tags-created rule, and a disabled rule stays quiet', async () => {
    const repositoryArn = `arn:aws:codecommit:us-east-1:${ACCOUNT}:notify-push`;
    const created = await rule('branch created', repositoryArn, ['codecommit-repository-branches-and-tags-created']);
    const disabled = await rule('branch created off', repositoryArn, ['codecommit-repository-branches-and-tags-created']);
    await client.send(new UpdateNotificationRuleCommand({ Arn: disabled, Status: 'DISABLED' }));
    await pushRepository(server, 'notify-push', { 'README.md': 'hello\n' }, work.path);
    const [delivery] = await deliveriesFrom(created, 1);
    expect(JSON.parse(delivery.message)).toMatchObject({
      detailType: 'CodeCommit Repository State Change',
      source: 'aws.codecommit',
      resources: [repositoryArn],
      detail: { event: 'referenceCreated', referenceName: 'main', repositoryName: 'notify-push' },
    });
    expect(received.filter((d) => d.rule === disabled)).toEqual([]);
  });

  it("fires pipeline rules on CodePipeline's events, manual approvals included, with FULL's additional information", async () => {
    const pipelineArn = `arn:aws:codepipeline:us-east-1:${ACCOUNT}:release`;
    const approval = await rule('approvals', pipelineArn, ['codepipeline-pipeline-manual-approval-needed'], 'FULL');
    const actions = await rule('action failures', pipelineArn, ['codepipeline-pipeline-action-execution-failed'], 'FULL');
    const event = (state: string, category: string, result?: Record<string, string>) =>
      server.events.publish({
        version: '0',
        id: crypto.randomUUID(),
        'detail-type': 'CodePipeline Action Execution State Change',
        source: 'aws.codepipeline',
        account: ACCOUNT,
        time: '2026-01-01T00:00:00Z',
        region: 'us-east-1',
        resources: [pipelineArn],
        detail: { pipeline: 'release', 'execution-id': 'e-1', stage: 'Approve', action: 'Approve', state, type: { owner: 'AWS', provider: category === 'Approval' ? 'Manual' : 'CodeBuild', category, version: '1' }, ...(result ? { 'execution-result': result } : {}) },
      });
    event('STARTED', 'Approval');
    event('FAILED', 'Build', { 'external-execution-summary': 'Build terminated with state: FAILED', 'error-code': 'JobFailed' });
    const [needed] = await deliveriesFrom(approval, 1);
    expect(JSON.parse(needed.message)).toMatchObject({ detailType: 'CodePipeline Action Execution State Change', detail: { state: 'STARTED' }, additionalAttributes: {} });
    const [failure] = await deliveriesFrom(actions, 1);
    expect(JSON.parse(failure.message).additionalAttributes).toEqual({ additionalInformation: 'Build terminated with state: FAILED' });
  });
});
