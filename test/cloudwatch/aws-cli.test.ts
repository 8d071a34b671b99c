import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsCli, awsCliFailure, installedAwsClis } from '../helpers/aws-cli.js';
import { testServer } from '../helpers/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

// CLI v1 (current botocore) sends AWS JSON 1.0; CLI v2 2.9 carries an older model and sends Query.
const clis = installedAwsClis();

describe.skipIf(clis.length === 0)('the AWS CLI against CloudWatch', () => {
  for (const cli of clis) {
    const aws = (args: string[]) => awsCli(cli, ['--endpoint-url', server.endpoint, ...args]);
    const ns = `Cli/${cli.version.replace(/\W/g, '')}`;

    it(`${cli.version} puts metric data, reads statistics and metric data, and lists the metric`, async () => {
      const now = new Date();
      const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
      await aws(['cloudwatch', 'put-metric-data', '--namespace', ns, '--metric-data', JSON.stringify([
        { MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'main' }], Value: 3, Unit: 'Count', Timestamp: minute.toISOString() },
        { MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'main' }], StatisticValues: { SampleCount: 2, Sum: 5, Minimum: 1, Maximum: 4 }, Unit: 'Count', Timestamp: minute.toISOString() },
      ])]);
      const range = ['--start-time', new Date(minute.getTime() - 60_000).toISOString(), '--end-time', new Date(minute.getTime() + 120_000).toISOString()];
      const stats = await aws(['cloudwatch', 'get-metric-statistics', '--namespace', ns, '--metric-name', 'Jobs', '--dimensions', 'Name=Queue,Value=main', '--period', '60', '--statistics', 'Sum', 'Maximum', 'SampleCount', ...range]);
      expect(stats.Datapoints).toHaveLength(1);
      expect(stats.Datapoints[0]).toMatchObject({ Sum: 8, Maximum: 4, SampleCount: 3, Unit: 'Count' });
      const data = await aws(['cloudwatch', 'get-metric-data', ...range, '--metric-data-queries', JSON.stringify([
        { Id: 'jobs', MetricStat: { Metric: { Namespace: ns, MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'main' }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'doubled', Expression: 'jobs * 2', Label: 'Doubled' },
      ])]);
      expect(data.MetricDataResults).toEqual([expect.objectContaining({ Id: 'doubled', Label: 'Doubled', Values: [16], StatusCode: 'Complete' })]);
      const listed = await aws(['cloudwatch', 'list-metrics', '--namespace', ns]);
      expect(listed.Metrics).toEqual([{ Namespace: ns, MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'main' }] }]);
    }, 300_000);

    it(`${cli.version} manages an alarm and gets CloudWatch's errors`, async () => {
      const name = `cli-alarm-${cli.version.replace(/\W/g, '')}`;
      await aws(['cloudwatch', 'put-metric-alarm', '--alarm-name', name, '--namespace', ns, '--metric-name', 'Jobs', '--statistic', 'Sum', '--period', '60',
        '--evaluation-periods', '2', '--datapoints-to-alarm', '1', '--threshold', '10', '--comparison-operator', 'GreaterThanThreshold', '--treat-missing-data', 'ignore', '--tags', 'Key=team,Value=ops']);
      await aws(['cloudwatch', 'set-alarm-state', '--alarm-name', name, '--state-value', 'ALARM', '--state-reason', 'testing']);
      const described = await aws(['cloudwatch', 'describe-alarms', '--alarm-names', name]);
      expect(described.MetricAlarms[0]).toMatchObject({ AlarmName: name, StateValue: 'ALARM', StateReason: 'testing', EvaluationPeriods: 2, DatapointsToAlarm: 1, Threshold: 10 });
      const arn = described.MetricAlarms[0].AlarmArn;
      expect((await aws(['cloudwatch', 'list-tags-for-resource', '--resource-arn', arn])).Tags).toEqual([{ Key: 'team', Value: 'ops' }]);
      await aws(['cloudwatch', 'disable-alarm-actions', '--alarm-names', name]);
      expect((await aws(['cloudwatch', 'describe-alarms', '--alarm-names', name])).MetricAlarms[0].ActionsEnabled).toBe(false);

      const period = await awsCliFailure(cli, ['--endpoint-url', server.endpoint, 'cloudwatch', 'put-metric-alarm', '--alarm-name', 'bad', '--namespace', ns, '--metric-name', 'Jobs',
        '--statistic', 'Sum', '--period', '45', '--evaluation-periods', '1', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold']);
      expect(period).toContain('An error occurred (ValidationError) when calling the PutMetricAlarm operation: Period must be 10, 20, 30 or a multiple of 60');
      const missing = await awsCliFailure(cli, ['--endpoint-url', server.endpoint, 'cloudwatch', 'set-alarm-state', '--alarm-name', 'nope', '--state-value', 'OK', '--state-reason', 'x']);
      expect(missing).toContain('An error occurred (ResourceNotFound) when calling the SetAlarmState operation: Alarm nope does not exist');

      await aws(['cloudwatch', 'delete-alarms', '--alarm-names', name]);
      expect((await aws(['cloudwatch', 'describe-alarms', '--alarm-names', name])).MetricAlarms).toEqual([]);
    }, 300_000);
  }
});
