import { CreateLogGroupCommand, FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateEventBusCommand,
  DisableRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { BatchGetBuildsCommand, CodeBuildClient, CreateProjectCommand, StopBuildCommand } from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { FakeClock, logsClient } from '../logs/helpers.js';
import { eventsClient, listing, schedulerOf } from './helpers.js';

let server: RunningServer;
let eb: EventBridgeClient;
let logs: CloudWatchLogsClient;
const clock = new FakeClock(Date.UTC(2026, 6, 1, 10, 0, 0));
const ACCOUNT = '000000000000';
const groupArn = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;

beforeAll(async () => {
  server = await testServer({ clock });
  eb = eventsClient(server);
  logs = logsClient(server);
});
afterAll(() => server.stop());

async function rule(name: string, pattern: object, targets: Target[], bus?: string): Promise<string> {
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern), EventBusName: bus }));
  await eb.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: targets }));
  return RuleArn!;
}

async function send(source: string, detail: object, extra: Record<string, unknown> = {}): Promise<string> {
  const { Entries, FailedEntryCount } = await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'Test', Detail: JSON.stringify(detail), ...extra }] }));
  expect(FailedEntryCount).toBe(0);
  await schedulerOf(server).tick();
  return Entries![0].EventId!;
}

async function messages(group: string): Promise<string[]> {
  return ((await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []).map((e) => e.message!);
}

describe('PutEvents', () => {
  it('returns an id per entry and an error per bad entry, and refuses oversized requests', async () => {
    const result = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'my.app', DetailType: 'ok', Detail: '{}' },
          { DetailType: 'x', Detail: '{}' },
          { Source: 'my.app', Detail: '{}' },
          { Source: 'my.app', DetailType: 'x' },
          { Source: 'my.app', DetailType: 'x', Detail: '[1, 2]' },
          { Source: 'aws.codecommit', DetailType: 'x', Detail: '{}' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(5);
    expect(result.Entries).toEqual([
      { EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
    ]);
    const big = JSON.stringify({ blob: 'x'.repeat(300 * 1024) });
    expect(await awsError(eb.send(new PutEventsCommand({ Entries: [{ Source: 'my.app', DetailType: 'big', Detail: big }] })))).toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });

  it('delivers a matching event to a log group in the EventBridge envelope', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/orders' }));
    const ruleArn = await rule('orders', { source: ['shop.orders'], detail: { total: [{ numeric: ['>=', 100] }] } }, [{ Id: 'log', Arn: groupArn('/aws/events/orders') }]);
    const id = await send('shop.orders', { total: 250 }, { Resources: ['arn:aws:shop:order/1'] });
    await send('shop.orders', { total: 5 });
    const [message] = await messages('/aws/events/orders');
    expect(JSON.parse(message)).toEqual({
      version: '0',
      id,
      'detail-type': 'Test',
      source: 'shop.orders',
      account: ACCOUNT,
      time: '2026-07-01T10:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:shop:order/1'],
      detail: { total: 250 },
    });
    expect(await messages('/aws/events/orders')).toHaveLength(1);
    const [listed] = await listing(server, '?source=shop.orders&limit=2');
    expect(listed.matchedRules).toEqual([]);
    const delivered = (await listing(server, '?rule=orders'))[0];
    expect(delivered).toMatchObject({ id, matchedRules: [ruleArn], pendingDeliveries: 0 });
    expect(delivered.attempts).toEqual([
      expect.objectContaining({ targetId: 'log', attempt: 1, outcome: 'SUCCEEDED', detail: `Written to log group /aws/events/orders, log stream ${id}.` }),
    ]);
  });

  it('keeps the Time an entry gives, to the second', async () => {
    const id = await send('timed.app', {}, { Time: new Date('2026-01-02T03:04:05.678Z') });
    const [listed] = await listing(server, '?source=timed.app');
    expect(listed).toMatchObject({ id, event: { time: '2026-01-02T03:04:05Z' } });
  });

  it('shapes what a target receives with Input, InputPath and InputTransformer', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/shaped' }));
    const ruleArn = await rule('shaped', { source: ['shaped.app'] }, [
      { Id: 'constant', Arn: groupArn('/aws/events/shaped'), Input: '{"fixed": true}' },
      { Id: 'path', Arn: groupArn('/aws/events/shaped'), InputPath: '$.detail.order' },
      {
        Id: 'template',
        Arn: groupArn('/aws/events/shaped'),
        InputTransformer: {
          InputPathsMap: { who: '$.detail.order.customer', total: '$.detail.order.total', type: '$.detail-type' },
          InputTemplate: '{"text": "<who> spent <total> (<type>)", "total": <total>, "who": <who>, "rule": "<aws.events.rule-name>", "missing": <nothing>}',
        },
      },
    ]);
    await send('shaped.app', { order: { customer: 'Ana "A"', total: 42 } });
    const received = (await messages('/aws/events/shaped')).sort();
    expect(received).toEqual(
      [
        '{"customer":"Ana \\"A\\"","total":42}',
        '{"fixed": true}',
        '{"text": "Ana \\"A\\" spent 42 (Test)", "total": 42, "who": "Ana \\"A\\"", "rule": "shaped", "missing": <nothing>}',
      ].sort(),
    );
    expect(ruleArn).toContain('rule/shaped');
  });

  it('routes by bus: a custom bus has its own rules, and an event for a bus that does not exist is dropped', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/custom' }));
    await eb.send(new CreateEventBusCommand({ Name: 'custom' }));
    await rule('on-custom', { source: ['bus.app'] }, [{ Id: 'log', Arn: groupArn('/aws/events/custom') }], 'custom');
    await send('bus.app', { n: 1 });
    expect(await messages('/aws/events/custom')).toEqual([]);
    await send('bus.app', { n: 2 }, { EventBusName: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/custom` });
    expect((await messages('/aws/events/custom')).map((m) => JSON.parse(m).detail)).toEqual([{ n: 2 }]);
    const dropped = await send('bus.app', { n: 3 }, { EventBusName: 'nowhere' });
    const [entry] = await listing(server, '?bus=nowhere');
    expect(entry).toMatchObject({ id: dropped, note: 'Event bus nowhere does not exist; the event was dropped.', matchedRules: [] });
  });

  it('forwards to another event bus, and skips disabled rules', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/forwarded' }));
    await eb.send(new CreateEventBusCommand({ Name: 'downstream' }));
    await rule('downstream-log', { source: ['fwd.app'] }, [{ Id: 'log', Arn: groupArn('/aws/events/forwarded') }], 'downstream');
    await rule('forward', { source: ['fwd.app'] }, [{ Id: 'bus', Arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/downstream` }]);
    await send('fwd.app', { hop: 1 });
    expect((await messages('/aws/events/forwarded')).map((m) => JSON.parse(m).detail)).toEqual([{ hop: 1 }]);
    await eb.send(new DisableRuleCommand({ Name: 'forward' }));
    await send('fwd.app', { hop: 2 });
    expect(await messages('/aws/events/forwarded')).toHaveLength(1);
  });
});

describe('delivery attempts', () => {
  it('retries a failing target with back-off until it succeeds, every attempt listed', async () => {
    await rule('late-group', { source: ['retry.app'] }, [{ Id: 'log', Arn: groupArn('/aws/events/late') }]);
    const id = await send('retry.app', { try: 1 });
    let [event] = await listing(server, '?source=retry.app');
    expect(event.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'RETRYING', detail: expect.stringContaining('ResourceNotFoundException: The specified log group does not exist.') }),
    ]);
    expect(event.pendingDeliveries).toBe(1);
    clock.advance(1000);
    await schedulerOf(server).tick();
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/late' }));
    // The third attempt comes two seconds after the second.
    clock.advance(1000);
    await schedulerOf(server).tick();
    expect(await messages('/aws/events/late')).toEqual([]);
    clock.advance(1000);
    await schedulerOf(server).tick();
    expect((await messages('/aws/events/late')).map((m) => JSON.parse(m).id)).toEqual([id]);
    [event] = await listing(server, '?source=retry.app');
    expect(event.attempts.map((a) => `${a.attempt} ${a.outcome}`)).toEqual(['1 RETRYING', '2 RETRYING', '3 SUCCEEDED']);
    expect(event.pendingDeliveries).toBe(0);
  });

  it('gives up as the RetryPolicy says, and says why', async () => {
    await rule('no-retry', { source: ['giveup.app'] }, [
      { Id: 'log', Arn: groupArn('/aws/events/never'), RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` } },
    ]);
    await send('giveup.app', {});
    const [event] = await listing(server, '?source=giveup.app');
    expect(event.attempts).toEqual([expect.objectContaining({ outcome: 'FAILED', detail: expect.stringContaining('Gave up after 1 attempts (MaximumRetryAttempts 0).') })]);
    expect(event.attempts[0].detail).toContain('dead-letter queue');
  });

  it('starts a build for a CodeBuild target, and records why other targets were not invoked', async () => {
    const codebuild = new CodeBuildClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await codebuild.send(
      new CreateProjectCommand({
        name: 'app',
        source: { type: 'NO_SOURCE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo built\n' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: `arn:aws:iam::${ACCOUNT}:role/build`,
      }),
    );
    await rule('pipelines', { source: ['ci.app'] }, [
      { Id: 'build', Arn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/app`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/events` },
      { Id: 'missing', Arn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/nope`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/events` },
      { Id: 'pipeline', Arn: `arn:aws:codepipeline:us-east-1:${ACCOUNT}:release`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/events` },
      { Id: 'kinesis', Arn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/clicks` },
    ]);
    await send('ci.app', {});
    const [event] = await listing(server, '?source=ci.app');
    const byTarget = Object.fromEntries(event.attempts.map((a) => [a.targetId, a]));
    expect(byTarget.build).toMatchObject({ outcome: 'SUCCEEDED', detail: expect.stringMatching(/^Started build app:[0-9a-f-]{36} of project app\.$/) });
    const buildId = /Started build (\S+) of/.exec(byTarget.build.detail)![1];
    const { builds } = await codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] }));
    expect(builds?.[0]).toMatchObject({ projectName: 'app', initiator: 'events' });
    expect(byTarget.missing).toMatchObject({ outcome: 'RETRYING', detail: expect.stringContaining('ResourceNotFoundException') });
    expect(byTarget.pipeline).toMatchObject({ outcome: 'RETRYING', detail: expect.stringContaining("PipelineNotFoundException: Account '000000000000' does not have a pipeline with name 'release'") });
    expect(byTarget.kinesis).toMatchObject({ outcome: 'FAILED', detail: expect.stringContaining('codesuite cannot invoke kinesis targets') });
    await codebuild.send(new StopBuildCommand({ id: buildId })).catch(() => undefined);
  });
});
