import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteMetricFilterCommand,
  DescribeMetricFiltersCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { logsClient } from '../codebuild/helpers.js';
import { awsError, testServer } from '../helpers/server.js';
import { cloudwatch, manualClock } from './helpers.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const clock = manualClock(T0);
let server: RunningServer;

beforeAll(async () => {
  server = await testServer({ clock });
});
afterAll(() => server?.stop());

describe('CloudWatch Logs metric filters', () => {
  it('turn matching log lines into CloudWatch datapoints', async () => {
    const logs = logsClient(server);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/web' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/app/web', logStreamName: 'a' }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: '/app/web',
        filterName: 'server-errors',
        filterPattern: '{ $.status >= 500 }',
        metricTransformations: [{ metricName: 'ServerErrors', metricNamespace: 'Web', metricValue: '1', unit: 'Count' }],
      }),
    );
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: '/app/web',
        filterName: 'latency',
        filterPattern: '{ $.latency = * }',
        metricTransformations: [{ metricName: 'Latency', metricNamespace: 'Web', metricValue: '$.latency', dimensions: { Path: '$.path' }, unit: 'Milliseconds' }],
      }),
    );
    const described = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/app/web' }));
    expect(described.metricFilters!.map((f) => f.filterName)).toEqual(['latency', 'server-errors']);

    const lines = [
      { status: 200, path: '/a', latency: 12 },
      { status: 503, path: '/a', latency: 40 },
      { status: 500, path: '/b', latency: 8 },
    ];
    await logs.send(new PutLogEventsCommand({ logGroupName: '/app/web', logStreamName: 'a', logEvents: lines.map((l, i) => ({ timestamp: T0 + i * 1000, message: JSON.stringify(l) })) }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/app/web', logStreamName: 'a', logEvents: [{ timestamp: T0 + 5000, message: 'not json at all' }] }));
    clock.advance(10_000);
    await server.scheduler.tick();

    const cw = cloudwatch(server);
    const range = { StartTime: new Date(T0 - 60_000), EndTime: new Date(T0 + 120_000), Period: 60 };
    const errors = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Web', MetricName: 'ServerErrors', ...range, Statistics: ['Sum'] }));
    expect(errors.Datapoints).toEqual([{ Timestamp: new Date(T0), Sum: 2, Unit: 'Count' }]);
    const latencyA = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Web', MetricName: 'Latency', Dimensions: [{ Name: 'Path', Value: '/a' }], ...range, Statistics: ['Maximum', 'SampleCount'] }));
    expect(latencyA.Datapoints).toEqual([{ Timestamp: new Date(T0), Maximum: 40, SampleCount: 2, Unit: 'Milliseconds' }]);

    // The same events are never counted twice.
    clock.advance(10_000);
    await server.scheduler.tick();
    const again = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Web', MetricName: 'ServerErrors', ...range, Statistics: ['Sum'] }));
    expect(again.Datapoints![0].Sum).toBe(2);

    await logs.send(new DeleteMetricFilterCommand({ logGroupName: '/app/web', filterName: 'latency' }));
    const missing = await awsError(logs.send(new DeleteMetricFilterCommand({ logGroupName: '/app/web', filterName: 'latency' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified resource does not exist.' });
  });

  it('tests a space-delimited pattern and reports the extracted fields', async () => {
    const out = await logsClient(server).send(
      new TestMetricFilterCommand({ filterPattern: '[ip, user, status = 4*, size]', logEventMessages: ['10.0.0.1 alice 404 120', '10.0.0.2 bob 200 80'] }),
    );
    expect(out.matches).toEqual([{ eventNumber: 1, eventMessage: '10.0.0.1 alice 404 120', extractedValues: { $ip: '10.0.0.1', $user: 'alice', $status: '404', $size: '120' } }]);
  });
});
