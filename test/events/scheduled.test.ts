import { CreateLogGroupCommand, FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteRuleCommand, DisableRuleCommand, EnableRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';
import { FakeClock, logsClient, MINUTE } from '../logs/helpers.js';
import { eventsClient, schedulerOf } from './helpers.js';

let server: RunningServer;
let eb: EventBridgeClient;
let logs: CloudWatchLogsClient;
const clock = new FakeClock(Date.parse('2026-09-01T11:50:00Z'));
const group = (name: string) => `arn:aws:logs:us-east-1:000000000000:log-group:${name}`;

beforeAll(async () => {
  server = await testServer({ clock });
  eb = eventsClient(server);
  logs = logsClient(server);
});
afterAll(() => server.stop());

async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await schedulerOf(server).tick();
}

async function fired(name: string): Promise<{ 'detail-type': string; source: string; time: string; resources: string[]; detail: object }[]> {
  const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: name }));
  return (events ?? []).map((e) => JSON.parse(e.message!));
}

describe('scheduled rules, driven by the injected clock', () => {
  it('fires a rate rule every period from when it was put, without catching up missed periods', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/rate' }));
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'every-5', ScheduleExpression: 'rate(5 minutes)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'every-5', Targets: [{ Id: 'log', Arn: group('/aws/events/rate') }] }));
    await advance(4 * MINUTE);
    expect(await fired('/aws/events/rate')).toEqual([]);
    await advance(MINUTE);
    const [first] = await fired('/aws/events/rate');
    expect(first).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      region: 'us-east-1',
      time: '2026-09-01T11:55:00Z',
      resources: [RuleArn],
      detail: {},
    });
    // Fifteen minutes pass at once: the firing that was due runs once, then the schedule goes on.
    await advance(15 * MINUTE);
    expect((await fired('/aws/events/rate')).map((e) => e.time)).toEqual(['2026-09-01T11:55:00Z', '2026-09-01T12:00:00Z']);
    await advance(5 * MINUTE);
    expect(await fired('/aws/events/rate')).toHaveLength(3);
    await eb.send(new RemoveTargetsCommand({ Rule: 'every-5', Ids: ['log'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'every-5' }));
    await advance(10 * MINUTE);
    expect(await fired('/aws/events/rate')).toHaveLength(3);
    expect(schedulerOf(server).pending('events.schedule')).toEqual([]);
  });

  it('fires a cron rule at its times in UTC, with the target Input, and stops while disabled', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/cron' }));
    // 12:30 every day; the clock now reads 12:25.
    await eb.send(new PutRuleCommand({ Name: 'daily', ScheduleExpression: 'cron(30 12 * * ? *)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'daily', Targets: [{ Id: 'log', Arn: group('/aws/events/cron'), Input: '{"job": "nightly-report"}' }] }));
    expect(clock.now().toISOString()).toBe('2026-09-01T12:25:00.000Z');
    await advance(4 * MINUTE);
    expect(await fired('/aws/events/cron')).toEqual([]);
    await advance(MINUTE);
    expect(await fired('/aws/events/cron')).toEqual([{ job: 'nightly-report' }]);
    await eb.send(new DisableRuleCommand({ Name: 'daily' }));
    await advance(24 * 60 * MINUTE);
    expect(await fired('/aws/events/cron')).toHaveLength(1);
    await eb.send(new EnableRuleCommand({ Name: 'daily' }));
    await advance(24 * 60 * MINUTE);
    expect(await fired('/aws/events/cron')).toHaveLength(2);
  });
});
