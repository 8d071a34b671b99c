import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { schedulerOf } from '../events/helpers.js';
import { awsError, testServer } from '../helpers/server.js';
import { DAY, FakeClock, HOUR, logsClient, MINUTE } from './helpers.js';

let server: RunningServer;
let logs: CloudWatchLogsClient;
const clock = new FakeClock(Date.UTC(2026, 2, 1, 9, 0, 0));

beforeAll(async () => {
  server = await testServer({ clock });
  logs = logsClient(server);
});
afterAll(() => server.stop());

async function stream(group: string, name: string): Promise<void> {
  if (!(await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups?.some((g) => g.logGroupName === group)) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  }
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
}

async function put(group: string, name: string, messages: string[], start = clock.ms - HOUR): Promise<void> {
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: name, logEvents: messages.map((message, i) => ({ timestamp: start + i, message })) }));
}

describe('PutLogEvents', () => {
  it('applies the batch rules: order, 24-hour span, size', async () => {
    await stream('put', 's');
    const at = clock.ms - HOUR;
    expect(
      await awsError(logs.send(new PutLogEventsCommand({ logGroupName: 'put', logStreamName: 's', logEvents: [{ timestamp: at + 1, message: 'b' }, { timestamp: at, message: 'a' }] }))),
    ).toMatchObject({ name: 'InvalidParameterException', message: 'Log events in a single PutLogEvents request must be in chronological order.' });
    expect(
      await awsError(
        logs.send(new PutLogEventsCommand({ logGroupName: 'put', logStreamName: 's', logEvents: [{ timestamp: at - DAY - 1, message: 'a' }, { timestamp: at, message: 'b' }] })),
      ),
    ).toMatchObject({ name: 'InvalidParameterException', message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.' });
    const big = 'x'.repeat(600_000);
    expect(
      await awsError(logs.send(new PutLogEventsCommand({ logGroupName: 'put', logStreamName: 's', logEvents: [{ timestamp: at, message: big }, { timestamp: at, message: big }] }))),
    ).toMatchObject({ name: 'InvalidParameterException', message: 'Upload too large: 1200052 bytes exceeds limit of 1048576' });
    expect(await awsError(logs.send(new PutLogEventsCommand({ logGroupName: 'put', logStreamName: 'nope', logEvents: [{ timestamp: at, message: 'a' }] })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    expect(await awsError(logs.send(new PutLogEventsCommand({ logGroupName: 'put', logStreamName: 's', logEvents: [] })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    // Nothing of the refused batches was stored.
    expect((await logs.send(new GetLogEventsCommand({ logGroupName: 'put', logStreamName: 's' }))).events).toEqual([]);
  });

  it('stores what it can and reports events too old, too new or expired', async () => {
    await stream('ages', 's');
    const ok = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'ages',
        logStreamName: 's',
        logEvents: [
          { timestamp: clock.ms - 14 * DAY - HOUR, message: 'too old' },
          { timestamp: clock.ms - 14 * DAY + HOUR, message: 'fine' },
        ],
      }),
    );
    expect(ok.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 0 });
    expect(ok.nextSequenceToken).toMatch(/^\d{56}$/);
    const future = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'ages',
        logStreamName: 's',
        logEvents: [
          { timestamp: clock.ms, message: 'now' },
          { timestamp: clock.ms + 3 * HOUR, message: 'future' },
        ],
      }),
    );
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'ages', retentionInDays: 1 }));
    const expired = await logs.send(
      new PutLogEventsCommand({ logGroupName: 'ages', logStreamName: 's', logEvents: [{ timestamp: clock.ms - DAY - MINUTE, message: 'expired' }, { timestamp: clock.ms - 2 * HOUR, message: 'kept' }] }),
    );
    expect(expired.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 0 });
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: 'ages', logStreamName: 's', startFromHead: true }));
    expect(events?.map((e) => e.message)).toEqual(['fine', 'kept', 'now']);
    expect(events?.[0]).toEqual({ timestamp: clock.ms - 14 * DAY + HOUR, message: 'fine', ingestionTime: clock.ms });
  });
});

describe('GetLogEvents', () => {
  beforeAll(async () => {
    await stream('paged', 's');
    await put('paged', 's', Array.from({ length: 10 }, (_, i) => `event ${i}`));
  });

  it('reads the latest events by default and pages backward until the start', async () => {
    const latest = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', limit: 4 }));
    expect(latest.events?.map((e) => e.message)).toEqual(['event 6', 'event 7', 'event 8', 'event 9']);
    expect(latest.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(latest.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
    const back1 = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', limit: 4, nextToken: latest.nextBackwardToken }));
    expect(back1.events?.map((e) => e.message)).toEqual(['event 2', 'event 3', 'event 4', 'event 5']);
    const back2 = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', limit: 4, nextToken: back1.nextBackwardToken }));
    expect(back2.events?.map((e) => e.message)).toEqual(['event 0', 'event 1']);
    // At the start the same token comes back, which is how clients know to stop.
    const back3 = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', limit: 4, nextToken: back2.nextBackwardToken }));
    expect(back3.events).toEqual([]);
    expect(back3.nextBackwardToken).toBe(back2.nextBackwardToken);
  });

  it('reads from the head and follows forward tokens, picking up events written later', async () => {
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', limit: 6, startFromHead: true }));
    expect(head.events?.map((e) => e.message)).toEqual(['event 0', 'event 1', 'event 2', 'event 3', 'event 4', 'event 5']);
    const rest = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', startFromHead: true, nextToken: head.nextForwardToken }));
    expect(rest.events?.map((e) => e.message)).toEqual(['event 6', 'event 7', 'event 8', 'event 9']);
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', startFromHead: true, nextToken: rest.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(rest.nextForwardToken);

    await put('paged', 's', ['event 10'], clock.ms - HOUR + 100);
    const more = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', startFromHead: true, nextToken: end.nextForwardToken }));
    expect(more.events?.map((e) => e.message)).toEqual(['event 10']);
  });

  it('keeps to startTime and (exclusive) endTime, and refuses tokens it did not hand out', async () => {
    const start = clock.ms - HOUR;
    const window = await logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', startFromHead: true, startTime: start + 2, endTime: start + 5 }));
    expect(window.events?.map((e) => e.message)).toEqual(['event 2', 'event 3', 'event 4']);
    expect(await awsError(logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', nextToken: 'f/123' })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'The specified nextToken is invalid.',
    });
    expect(await awsError(logs.send(new GetLogEventsCommand({ logGroupName: 'paged', logStreamName: 'missing' })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('hands out tokens on an empty stream that later find its first events', async () => {
    await stream('empty', 's');
    const first = await logs.send(new GetLogEventsCommand({ logGroupName: 'empty', logStreamName: 's' }));
    expect(first.events).toEqual([]);
    await put('empty', 's', ['hello']);
    const next = await logs.send(new GetLogEventsCommand({ logGroupName: 'empty', logStreamName: 's', startFromHead: true, nextToken: first.nextForwardToken }));
    expect(next.events?.map((e) => e.message)).toEqual(['hello']);
  });
});

describe('FilterLogEvents', () => {
  beforeAll(async () => {
    await stream('filter', 'web-1');
    await stream('filter', 'web-2');
    await stream('filter', 'db');
    const t = clock.ms - HOUR;
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'filter',
        logStreamName: 'web-1',
        logEvents: [
          { timestamp: t, message: '[ERROR 400] BAD REQUEST' },
          { timestamp: t + 2, message: '[INFO] all good' },
          { timestamp: t + 4, message: '{"eventType": "UpdateTrail", "latency": 120}' },
        ],
      }),
    );
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'filter',
        logStreamName: 'web-2',
        logEvents: [
          { timestamp: t + 1, message: '[ERROR 401] UNAUTHORIZED REQUEST' },
          { timestamp: t + 3, message: '[WARN] slow ERRORS ahead' },
        ],
      }),
    );
    await logs.send(new PutLogEventsCommand({ logGroupName: 'filter', logStreamName: 'db', logEvents: [{ timestamp: t + 5, message: '127.0.0.1 - frank GET 404 2326' }] }));
  });

  const messages = async (input: Record<string, unknown>) =>
    ((await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', ...input }))).events ?? []).map((e) => e.message);

  it('interleaves the streams in time order with stream names and event ids', async () => {
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter' }));
    expect(events?.map((e) => e.logStreamName)).toEqual(['web-1', 'web-2', 'web-1', 'web-2', 'web-1', 'db']);
    expect(events?.[0]).toMatchObject({ timestamp: clock.ms - HOUR, ingestionTime: clock.ms, eventId: expect.stringMatching(/^\d{56}$/) });
    expect(new Set(events?.map((e) => e.eventId)).size).toBe(6);
  });

  it('matches terms, phrases, optional and excluded terms, JSON and space-delimited patterns', async () => {
    expect(await messages({ filterPattern: 'ERROR' })).toEqual(['[ERROR 400] BAD REQUEST', '[ERROR 401] UNAUTHORIZED REQUEST']);
    expect(await messages({ filterPattern: '"ERROR 401"' })).toEqual(['[ERROR 401] UNAUTHORIZED REQUEST']);
    expect(await messages({ filterPattern: 'ERROR -UNAUTHORIZED' })).toEqual(['[ERROR 400] BAD REQUEST']);
    expect(await messages({ filterPattern: '?WARN ?INFO' })).toEqual(['[INFO] all good', '[WARN] slow ERRORS ahead']);
    expect(await messages({ filterPattern: '{ $.eventType = "UpdateTrail" && $.latency > 100 }' })).toEqual(['{"eventType": "UpdateTrail", "latency": 120}']);
    expect(await messages({ filterPattern: '[ip, dash, user, verb, status = 4*, bytes > 1000]' })).toEqual(['127.0.0.1 - frank GET 404 2326']);
    expect(await messages({ filterPattern: '%AUTHORIZED%' })).toEqual(['[ERROR 401] UNAUTHORIZED REQUEST']);
  });

  it('narrows to streams by name or prefix, and refuses both at once', async () => {
    expect(await messages({ logStreamNames: ['db'] })).toEqual(['127.0.0.1 - frank GET 404 2326']);
    expect(await messages({ logStreamNamePrefix: 'web-2' })).toEqual(['[ERROR 401] UNAUTHORIZED REQUEST', '[WARN] slow ERRORS ahead']);
    expect(await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', logStreamNames: ['db'], logStreamNamePrefix: 'w' })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', filterPattern: '{ $.x = ' })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid filter pattern',
    });
  });

  it('pages with nextToken and keeps to the time window (endTime included)', async () => {
    const t = clock.ms - HOUR;
    const first = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', limit: 4 }));
    expect(first.events).toHaveLength(4);
    const second = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', limit: 4, nextToken: first.nextToken }));
    expect(second.events?.map((e) => e.logStreamName)).toEqual(['web-1', 'db']);
    expect(second.nextToken).toBeUndefined();
    expect(await messages({ startTime: t + 1, endTime: t + 2 })).toEqual(['[ERROR 401] UNAUTHORIZED REQUEST', '[INFO] all good']);
    expect(await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', nextToken: 'x' })))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: 'missing' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('retention', () => {
  it('deletes events past the retention period once the hourly job runs', async () => {
    await stream('short', 's');
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'short', retentionInDays: 1 }));
    await put('short', 's', ['one', 'two'], clock.ms - 20 * HOUR);
    await put('short', 's', ['three'], clock.ms - MINUTE);
    clock.advance(5 * HOUR);
    await schedulerOf(server).tick();
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: 'short', logStreamName: 's', startFromHead: true }));
    expect(events?.map((e) => e.message)).toEqual(['three']);
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'short' }));
    expect(logGroups?.[0].storedBytes).toBe(5);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'short' }));
    expect(logStreams?.[0].firstEventTimestamp).toBe(clock.ms - 5 * HOUR - MINUTE);
  });
});
