import { GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { cloudwatch, manualClock } from './helpers.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const clock = manualClock(T0 + 10 * 60_000);
let server: RunningServer;
const cw = () => cloudwatch(server);
const at = (min: number, sec = 0) => new Date(T0 + min * 60_000 + sec * 1000);

beforeAll(async () => {
  server = await testServer({ clock });
  await cw().send(
    new PutMetricDataCommand({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'get' }], Timestamp: at(0, 10), Value: 10, Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'get' }], Timestamp: at(0, 40), Value: 30, Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'get' }], Timestamp: at(1, 5), Values: [1, 2, 3, 100], Counts: [1, 1, 1, 1], Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'put' }], Timestamp: at(1), StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 5, Maximum: 15 }, Unit: 'Milliseconds' },
        { MetricName: 'Requests', Timestamp: at(0), Value: 4, Unit: 'Count' },
        { MetricName: 'Requests', Timestamp: at(1), Value: 6, Unit: 'Count' },
        { MetricName: 'Errors', Timestamp: at(1), Value: 3, Unit: 'Count' },
      ],
    }),
  );
});
afterAll(() => server?.stop());

describe('CloudWatch metrics', () => {
  it('aggregates a metric per period with statistics and percentiles', async () => {
    const out = await cw().send(
      new GetMetricStatisticsCommand({
        Namespace: 'App',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Api', Value: 'get' }],
        StartTime: at(0),
        EndTime: at(5),
        Period: 60,
        Statistics: ['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum'],
      }),
    );
    const points = out.Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(out.Label).toBe('Latency');
    expect(points).toEqual([
      { Timestamp: at(0), Sum: 40, Average: 20, SampleCount: 2, Minimum: 10, Maximum: 30, Unit: 'Milliseconds' },
      { Timestamp: at(1), Sum: 106, Average: 26.5, SampleCount: 4, Minimum: 1, Maximum: 100, Unit: 'Milliseconds' },
    ]);
    const p = await cw().send(
      new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'get' }], StartTime: at(0), EndTime: at(5), Period: 300, ExtendedStatistics: ['p50', 'p99'] }),
    );
    expect(p.Datapoints).toEqual([{ Timestamp: at(0), Unit: 'Milliseconds', ExtendedStatistics: { p50: 3, p99: 100 } }]);
  });

  it('keeps each dimension set its own metric and lists them', async () => {
    const put = await cw().send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'put' }], StartTime: at(0), EndTime: at(5), Period: 60, Statistics: ['Average'] }));
    expect(put.Datapoints).toEqual([{ Timestamp: at(1), Average: 10, Unit: 'Milliseconds' }]);
    const none = await cw().send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Latency', StartTime: at(0), EndTime: at(5), Period: 60, Statistics: ['Sum'] }));
    expect(none.Datapoints).toEqual([]);
    const listed = await cw().send(new ListMetricsCommand({ Namespace: 'App', Dimensions: [{ Name: 'Api' }] }));
    expect(listed.Metrics!.map((m) => `${m.MetricName}:${m.Dimensions![0].Value}`)).toEqual(['Latency:get', 'Latency:put']);
    const all = await cw().send(new ListMetricsCommand({ Namespace: 'App' }));
    expect(all.Metrics).toHaveLength(4);
  });

  it('answers metric data queries with metric math', async () => {
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(3),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          { Id: 'req', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Requests' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'err', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'rate', Expression: '100 * FILL(err, 0) / req', Label: 'Error rate' },
          { Id: 'total', Expression: 'SUM(METRICS())' },
          { Id: 'avg', Expression: 'AVG(req)' },
          { Id: 'high', Expression: 'IF(req > 5, req, 0)' },
        ],
      }),
    );
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r]));
    expect(Object.keys(byId)).toEqual(['rate', 'total', 'avg', 'high']);
    expect(byId.rate).toMatchObject({ Label: 'Error rate', Timestamps: [at(0), at(1)], Values: [0, 50], StatusCode: 'Complete' });
    expect(byId.total).toMatchObject({ Timestamps: [at(0), at(1)], Values: [4, 9] });
    expect(byId.avg).toMatchObject({ Timestamps: [at(0), at(1), at(2)], Values: [5, 5, 5] });
    expect(byId.high).toMatchObject({ Values: [0, 6] });
  });

  it('pages metric data by MaxDatapoints', async () => {
    const query = { Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Requests' }, Period: 60, Stat: 'Sum' } };
    const first = await cw().send(new GetMetricDataCommand({ StartTime: at(0), EndTime: at(3), MaxDatapoints: 1, MetricDataQueries: [query] }));
    expect(first.MetricDataResults![0]).toMatchObject({ Label: 'Requests', Timestamps: [at(1)], Values: [6], StatusCode: 'PartialData' });
    const second = await cw().send(new GetMetricDataCommand({ StartTime: at(0), EndTime: at(3), MaxDatapoints: 1, MetricDataQueries: [query], NextToken: first.NextToken }));
    expect(second.MetricDataResults![0]).toMatchObject({ Timestamps: [at(0)], Values: [4], StatusCode: 'Complete' });
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses bad input with CloudWatch codes and texts', async () => {
    const period = await awsError(cw().send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Requests', StartTime: at(0), EndTime: at(3), Period: 61, Statistics: ['Sum'] })));
    expect(period).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    const both = await awsError(cw().send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Requests', StartTime: at(0), EndTime: at(3), Period: 60 })));
    expect(both).toMatchObject({ name: 'InvalidParameterCombinationException', message: 'Must specify either Statistics or ExtendedStatistics, but not both.' });
    const many = await awsError(cw().send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Requests', StartTime: at(0), EndTime: at(2000), Period: 60, Statistics: ['Sum'] })));
    expect(many.message).toBe('You have requested up to 2,000 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.');
    const combo = await awsError(cw().send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'X', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] })));
    expect(combo).toMatchObject({ name: 'InvalidParameterCombinationException', message: 'The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.' });
    const res = await awsError(cw().send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'X', Value: 1, StorageResolution: 300 }] })));
    expect(res).toMatchObject({ name: 'InvalidParameterValueException', message: 'The parameter MetricData.member.1.StorageResolution must be a value in the set [ 1, 60 ].' });
    const reserved = await awsError(cw().send(new PutMetricDataCommand({ Namespace: 'AWS/CodeBuild', MetricData: [{ MetricName: 'Builds', Value: 1 }] })));
    expect(reserved.name).toBe('InvalidParameterValueException');
    const expr = await awsError(cw().send(new GetMetricDataCommand({ StartTime: at(0), EndTime: at(3), MetricDataQueries: [{ Id: 'e1', Expression: 'nope * 2' }] })));
    expect(expr).toMatchObject({ name: 'InvalidParameterValueException', message: 'Error in expression e1: Unrecognized identifier nope' });
    // Nothing of a refused request was stored.
    expect((await cw().send(new ListMetricsCommand({ MetricName: 'X' }))).Metrics).toEqual([]);
  });

  it('keeps high-resolution datapoints per second', async () => {
    await cw().send(
      new PutMetricDataCommand({
        Namespace: 'Hi',
        MetricData: [
          { MetricName: 'Q', Timestamp: at(9, 1), Value: 1, StorageResolution: 1 },
          { MetricName: 'Q', Timestamp: at(9, 12), Value: 2, StorageResolution: 1 },
        ],
      }),
    );
    const out = await cw().send(new GetMetricStatisticsCommand({ Namespace: 'Hi', MetricName: 'Q', StartTime: at(9), EndTime: at(10), Period: 10, Statistics: ['Sum'] }));
    expect(out.Datapoints!.map((d) => d.Sum).sort()).toEqual([1, 2]);
  });
});
