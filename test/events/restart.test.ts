import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateConnectionCommand,
  CreateEventBusCommand,
  DescribeConnectionCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/git.js';
import { testServer } from '../helpers/server.js';
import { FakeClock, logsClient, MINUTE } from '../logs/helpers.js';
import { eventsClient, listing, schedulerOf } from './helpers.js';

const data = tempDir('codesuite-data-');
afterAll(() => data.remove());
const arn = (name: string) => `arn:aws:logs:us-east-1:000000000000:log-group:${name}`;

describe('a restart on the same data directory', () => {
  it('keeps logs and EventBridge state, delivers an event accepted before the stop, and keeps schedules', async () => {
    const clock = new FakeClock(Date.parse('2026-10-01T08:00:00Z'));
    const first = await testServer({ inMemory: false, dataDir: data.path, clock });
    let eventId: string;
    try {
      const logs = logsClient(first);
      const eb = eventsClient(first);
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/kept', tags: { keep: 'yes' } }));
      await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/kept', retentionInDays: 30 }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: '/kept', logStreamName: 's' }));
      await logs.send(new PutLogEventsCommand({ logGroupName: '/kept', logStreamName: 's', logEvents: [{ timestamp: clock.ms - MINUTE, message: 'before the restart' }] }));
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/tick' }));

      await eb.send(new CreateEventBusCommand({ Name: 'durable' }));
      await eb.send(new PutRuleCommand({ Name: 'late', EventBusName: 'durable', EventPattern: JSON.stringify({ source: ['restart.app'] }) }));
      await eb.send(new PutTargetsCommand({ Rule: 'late', EventBusName: 'durable', Targets: [{ Id: 'log', Arn: arn('/aws/events/late') }] }));
      await eb.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(10 minutes)' }));
      await eb.send(new PutTargetsCommand({ Rule: 'tick', Targets: [{ Id: 'log', Arn: arn('/aws/events/tick') }] }));
      await eb.send(new CreateConnectionCommand({ Name: 'conn', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } }));

      // The target's log group does not exist yet: the event is accepted, its delivery waits for a retry.
      const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'restart.app', DetailType: 'Saved', Detail: '{"n": 1}', EventBusName: 'durable' }] }));
      eventId = put.Entries![0].EventId!;
      await schedulerOf(first).tick();
      const [event] = await listing(first, '?source=restart.app');
      expect(event.attempts.map((a) => a.outcome)).toEqual(['RETRYING']);
    } finally {
      await first.stop();
    }

    const second = await testServer({ inMemory: false, dataDir: data.path, clock });
    try {
      const logs = logsClient(second);
      const eb = eventsClient(second);
      expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/kept' }))).logGroups?.[0]).toMatchObject({ retentionInDays: 30, storedBytes: 18 });
      expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/kept' }))).tags).toEqual({ keep: 'yes' });
      expect((await logs.send(new GetLogEventsCommand({ logGroupName: '/kept', logStreamName: 's' }))).events?.map((e) => e.message)).toEqual(['before the restart']);
      expect((await eb.send(new DescribeRuleCommand({ Name: 'late', EventBusName: 'durable' }))).EventPattern).toBe('{"source":["restart.app"]}');
      expect((await eb.send(new ListTargetsByRuleCommand({ Rule: 'late', EventBusName: 'durable' }))).Targets).toEqual([{ Id: 'log', Arn: arn('/aws/events/late') }]);
      expect((await eb.send(new DescribeConnectionCommand({ Name: 'conn' }))).ConnectionState).toBe('AUTHORIZED');

      await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/late' }));
      clock.advance(1000);
      await schedulerOf(second).tick();
      const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/late' }));
      expect(events?.map((e) => JSON.parse(e.message!).id)).toEqual([eventId]);
      const [event] = await listing(second, '?source=restart.app');
      expect(event.attempts.map((a) => `${a.attempt} ${a.outcome}`)).toEqual(['1 RETRYING', '2 SUCCEEDED']);

      // The schedule set before the restart fires after it.
      clock.advance(10 * MINUTE);
      await schedulerOf(second).tick();
      const ticks = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/tick' }));
      expect(ticks.events?.map((e) => JSON.parse(e.message!).time)).toEqual(['2026-10-01T08:10:00Z']);
    } finally {
      await second.stop();
    }
  });
});
