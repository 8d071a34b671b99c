import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
  UpdateEventBusCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { FakeClock } from '../logs/helpers.js';
import { eventsClient } from './helpers.js';

let server: RunningServer;
let eb: EventBridgeClient;
const clock = new FakeClock(Date.UTC(2026, 5, 1, 8, 0, 0));
const ACCOUNT = '000000000000';
const pattern = JSON.stringify({ source: ['my.app'] });

beforeAll(async () => {
  server = await testServer({ clock });
  eb = eventsClient(server);
});
afterAll(() => server.stop());

describe('event buses', () => {
  it('has a default bus and creates, describes, updates, lists and deletes custom ones', async () => {
    const created = await eb.send(new CreateEventBusCommand({ Name: 'orders', Description: 'order events', Tags: [{ Key: 'team', Value: 'shop' }] }));
    expect(created.EventBusArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders`);
    expect(created.Description).toBe('order events');
    const described = await eb.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
    expect(described).toMatchObject({ Name: 'orders', Arn: created.EventBusArn, Description: 'order events', CreationTime: new Date(clock.ms) });
    await eb.send(new UpdateEventBusCommand({ Name: 'orders', Description: 'all orders' }));
    expect((await eb.send(new DescribeEventBusCommand({ Name: 'orders' }))).Description).toBe('all orders');
    expect((await eb.send(new DescribeEventBusCommand({}))).Arn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`);
    const { EventBuses } = await eb.send(new ListEventBusesCommand({}));
    expect(EventBuses?.map((b) => b.Name)).toEqual(['default', 'orders']);
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: created.EventBusArn }))).Tags).toEqual([{ Key: 'team', Value: 'shop' }]);
    await eb.send(new DeleteEventBusCommand({ Name: 'orders' }));
    expect((await eb.send(new ListEventBusesCommand({ NamePrefix: 'ord' }))).EventBuses).toEqual([]);
  });

  it('answers bus errors as AWS does', async () => {
    await eb.send(new CreateEventBusCommand({ Name: 'twice' }));
    expect(await awsError(eb.send(new CreateEventBusCommand({ Name: 'twice' })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'Event bus twice already exists.',
    });
    expect(await awsError(eb.send(new CreateEventBusCommand({ Name: 'default' })))).toMatchObject({ name: 'ResourceAlreadyExistsException' });
    expect(await awsError(eb.send(new DeleteEventBusCommand({ Name: 'default' })))).toMatchObject({
      name: 'ValidationException',
      message: 'Cannot delete event bus default.',
    });
    expect(await awsError(eb.send(new DescribeEventBusCommand({ Name: 'ghost' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Event bus ghost does not exist.',
    });
    // Deleting what is not there succeeds.
    await eb.send(new DeleteEventBusCommand({ Name: 'ghost' }));
  });
});

describe('rules', () => {
  it('puts, describes, lists, disables, enables and deletes a rule', async () => {
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'on-app', EventPattern: pattern, Description: 'app events', Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(RuleArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/on-app`);
    expect(await eb.send(new DescribeRuleCommand({ Name: 'on-app' }))).toMatchObject({
      Name: 'on-app',
      Arn: RuleArn,
      EventPattern: pattern,
      State: 'ENABLED',
      Description: 'app events',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
    await eb.send(new DisableRuleCommand({ Name: 'on-app' }));
    expect((await eb.send(new DescribeRuleCommand({ Name: 'on-app' }))).State).toBe('DISABLED');
    await eb.send(new EnableRuleCommand({ Name: 'on-app' }));
    expect((await eb.send(new ListRulesCommand({ NamePrefix: 'on-' }))).Rules).toEqual([
      { Name: 'on-app', Arn: RuleArn, EventPattern: pattern, State: 'ENABLED', Description: 'app events', EventBusName: 'default' },
    ]);
    // PutRule replaces the rule: the description left out is gone.
    await eb.send(new PutRuleCommand({ Name: 'on-app', EventPattern: pattern }));
    expect((await eb.send(new DescribeRuleCommand({ Name: 'on-app' }))).Description).toBeUndefined();
    await eb.send(new DeleteRuleCommand({ Name: 'on-app' }));
    expect(await awsError(eb.send(new DescribeRuleCommand({ Name: 'on-app' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Rule on-app does not exist on EventBus default.',
    });
    await eb.send(new DeleteRuleCommand({ Name: 'on-app' }));
  });

  it('puts rules on a custom bus, with the bus in the ARN, and pages through them', async () => {
    await eb.send(new CreateEventBusCommand({ Name: 'paged' }));
    for (const n of ['r1', 'r2', 'r3']) await eb.send(new PutRuleCommand({ Name: n, EventPattern: pattern, EventBusName: 'paged' }));
    const first = await eb.send(new ListRulesCommand({ EventBusName: 'paged', Limit: 2 }));
    expect(first.Rules?.map((r) => r.Arn)).toEqual([`arn:aws:events:us-east-1:${ACCOUNT}:rule/paged/r1`, `arn:aws:events:us-east-1:${ACCOUNT}:rule/paged/r2`]);
    const second = await eb.send(new ListRulesCommand({ EventBusName: 'paged', Limit: 2, NextToken: first.NextToken }));
    expect(second.Rules?.map((r) => r.Name)).toEqual(['r3']);
    expect(await awsError(eb.send(new DescribeRuleCommand({ Name: 'r1' })))).toMatchObject({ message: 'Rule r1 does not exist on EventBus default.' });
  });

  it('refuses bad rules with AWS errors', async () => {
    expect(await awsError(eb.send(new PutRuleCommand({ Name: 'nothing' })))).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    });
    expect(await awsError(eb.send(new PutRuleCommand({ Name: 'bad-rate', ScheduleExpression: 'rate(1 minutes)' })))).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter ScheduleExpression is not valid.',
    });
    await eb.send(new CreateEventBusCommand({ Name: 'custom' }));
    expect(await awsError(eb.send(new PutRuleCommand({ Name: 'sched', ScheduleExpression: 'rate(5 minutes)', EventBusName: 'custom' })))).toMatchObject({
      name: 'ValidationException',
      message: 'ScheduleExpression is supported only on the default event bus.',
    });
    expect(await awsError(eb.send(new PutRuleCommand({ Name: 'bad-pattern', EventPattern: '{"source": "aws.ec2"}' })))).toMatchObject({
      name: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: "source" must be an object or an array\n at [Source: (String)"{"source": "aws.ec2"}"; line: 1, column: 13]',
    });
    expect(await awsError(eb.send(new PutRuleCommand({ Name: 'no bus', EventPattern: pattern, EventBusName: 'ghost' })))).toMatchObject({
      name: 'ValidationException',
    });
    expect(await awsError(eb.send(new PutRuleCommand({ Name: 'nobus', EventPattern: pattern, EventBusName: 'ghost' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Event bus ghost does not exist.',
    });
    expect(await awsError(eb.send(new EnableRuleCommand({ Name: 'ghost' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('targets', () => {
  it('puts, lists, finds by ARN and removes targets; a rule with targets is not deleted', async () => {
    await eb.send(new PutRuleCommand({ Name: 'with-targets', EventPattern: pattern }));
    const logArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/events/app`;
    const put = await eb.send(
      new PutTargetsCommand({
        Rule: 'with-targets',
        Targets: [
          { Id: 'logs', Arn: logArn, InputPath: '$.detail' },
          { Id: 'build', Arn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/app`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/events` },
          { Id: 'bad', Arn: 'not-an-arn' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(1);
    expect(put.FailedEntries).toEqual([
      { TargetId: 'bad', ErrorCode: 'ValidationException', ErrorMessage: 'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.' },
    ]);
    const { Targets } = await eb.send(new ListTargetsByRuleCommand({ Rule: 'with-targets' }));
    expect(Targets).toEqual([
      { Id: 'logs', Arn: logArn, InputPath: '$.detail' },
      { Id: 'build', Arn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/app`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/events` },
    ]);
    expect((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: logArn }))).RuleNames).toEqual(['with-targets']);
    expect(await awsError(eb.send(new DeleteRuleCommand({ Name: 'with-targets' })))).toMatchObject({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
    });
    const removed = await eb.send(new RemoveTargetsCommand({ Rule: 'with-targets', Ids: ['logs', 'build', 'nope'] }));
    expect(removed).toMatchObject({
      FailedEntryCount: 1,
      FailedEntries: [{ TargetId: 'nope', ErrorCode: 'ResourceNotFoundException', ErrorMessage: "Rule 'with-targets' does not have a target with the Id 'nope'." }],
    });
    await eb.send(new DeleteRuleCommand({ Name: 'with-targets' }));
  });

  it('refuses a sixth target, conflicting inputs and targets of missing rules', async () => {
    await eb.send(new PutRuleCommand({ Name: 'full', EventPattern: pattern }));
    const targets = Array.from({ length: 5 }, (_, i) => ({ Id: `t${i}`, Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:g${i}` }));
    await eb.send(new PutTargetsCommand({ Rule: 'full', Targets: targets }));
    expect(await awsError(eb.send(new PutTargetsCommand({ Rule: 'full', Targets: [{ Id: 't5', Arn: targets[0].Arn }] })))).toMatchObject({
      name: 'LimitExceededException',
      message: 'The requested resource exceeds the maximum number allowed.',
    });
    // Replacing a target by its Id does not count as another.
    await eb.send(new PutTargetsCommand({ Rule: 'full', Targets: [{ Id: 't0', Arn: targets[1].Arn }] }));
    expect(await awsError(eb.send(new PutTargetsCommand({ Rule: 'full', Targets: [{ Id: 't0', Arn: targets[0].Arn, Input: '{}', InputPath: '$' }] })))).toMatchObject({
      name: 'ValidationException',
      message: 'Only one of Input, InputPath, or InputTransformer must be provided.',
    });
    expect(await awsError(eb.send(new PutTargetsCommand({ Rule: 'full', Targets: [{ Id: 't0', Arn: targets[0].Arn, Input: '{not json' }] })))).toMatchObject({
      name: 'ValidationException',
    });
    expect(await awsError(eb.send(new PutTargetsCommand({ Rule: 'ghost', Targets: targets.slice(0, 1) })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Rule ghost does not exist on EventBus default.',
    });
    expect(await awsError(eb.send(new ListTargetsByRuleCommand({ Rule: 'ghost' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('tags and TestEventPattern', () => {
  it('tags rules, refusing duplicate keys and unknown resources', async () => {
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'tagged', EventPattern: pattern }));
    await eb.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await eb.send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ['a'] }));
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    expect(await awsError(eb.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'x', Value: '1' }, { Key: 'x', Value: '2' }] })))).toMatchObject({
      name: 'ValidationException',
      message: 'Invalid parameter: Duplicated keys are not allowed.',
    });
    expect(await awsError(eb.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:us-east-1:${ACCOUNT}:rule/ghost` })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Rule ghost does not exist on EventBus default.',
    });
  });

  it('tests a pattern against an event, and wants a whole event', async () => {
    const event = JSON.stringify({
      id: '1',
      account: ACCOUNT,
      source: 'my.app',
      time: '2026-06-01T08:00:00Z',
      region: 'us-east-1',
      resources: [],
      'detail-type': 'Order Placed',
      detail: { total: 250 },
    });
    const test = (p: object) => eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify(p), Event: event }));
    expect((await test({ source: ['my.app'], detail: { total: [{ numeric: ['>', 100] }] } })).Result).toBe(true);
    expect((await test({ source: ['my.app'], detail: { total: [{ numeric: ['<', 100] }] } })).Result).toBe(false);
    expect(await awsError(eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: '{"source": "my.app"}' })))).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter Event is not valid.',
    });
    expect(await awsError(eb.send(new TestEventPatternCommand({ EventPattern: '{"source": []}', Event: event })))).toMatchObject({
      name: 'InvalidEventPatternException',
    });
  });
});
