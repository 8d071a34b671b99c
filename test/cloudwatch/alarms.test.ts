import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { cloudwatch, manualClock } from './helpers.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const clock = manualClock(T0);
let server: RunningServer;
const cw = () => cloudwatch(server);
const state = async (name: string) => {
  const out = await cw().send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
  return [...out.MetricAlarms!, ...out.CompositeAlarms!][0];
};
/** One datapoint a minute (the minute starting at T0 + i minutes), then the evaluation at the end of the last one. */
async function feed(metric: string, values: number[]): Promise<void> {
  await cw().send(new PutMetricDataCommand({ Namespace: 'Alarms', MetricData: values.map((v, i) => ({ MetricName: metric, Value: v, Timestamp: new Date(T0 + i * 60_000) })) }));
}
async function evaluateAt(minute: number): Promise<void> {
  clock.advance(T0 + minute * 60_000 + 1000 - clock.now().getTime());
  await server.scheduler.tick();
}

beforeAll(async () => {
  server = await testServer({ clock });
});
afterAll(() => server?.stop());

describe('CloudWatch alarms', () => {
  it('goes to ALARM when M of the last N datapoints breach, and reads percentiles and metric math', async () => {
    await feed('Latency', [5, 50, 7, 60]);
    await cw().send(
      new PutMetricAlarmCommand({
        AlarmName: 'two-of-three',
        Namespace: 'Alarms',
        MetricName: 'Latency',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 40,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await cw().send(
      new PutMetricAlarmCommand({ AlarmName: 'p90', Namespace: 'Alarms', MetricName: 'Latency', ExtendedStatistic: 'p90', Period: 60, EvaluationPeriods: 1, Threshold: 100, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
    );
    await cw().send(
      new PutMetricAlarmCommand({
        AlarmName: 'math',
        EvaluationPeriods: 1,
        Threshold: 100,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          { Id: 'l', MetricStat: { Metric: { Namespace: 'Alarms', MetricName: 'Latency' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'e', Expression: 'l * 2', Label: 'Doubled' },
        ],
      }),
    );
    await evaluateAt(4);
    const alarm = await state('two-of-three');
    expect(alarm.StateValue).toBe('ALARM');
    expect(alarm.StateReason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [60.0 (01/03/26 12:03:00), 50.0 (01/03/26 12:01:00)] were greater than the threshold (40.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect(await state('p90')).toMatchObject({ StateValue: 'OK' });
    expect((await state('math')).StateValue).toBe('ALARM');
    const forMetric = await cw().send(new DescribeAlarmsForMetricCommand({ Namespace: 'Alarms', MetricName: 'Latency', Statistic: 'Maximum' }));
    expect(forMetric.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['two-of-three']);
  });

  it('turns INSUFFICIENT_DATA when data stops, with missing data treated as missing', async () => {
    await evaluateAt(20);
    expect(await state('two-of-three')).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', StateReason: 'Insufficient Data: 3 datapoints were unknown.' });
  });

  it('combines alarms in a composite alarm that follows its children at once', async () => {
    await cw().send(new SetAlarmStateCommand({ AlarmName: 'p90', StateValue: 'OK', StateReason: 'reset' }));
    await cw().send(new PutCompositeAlarmCommand({ AlarmName: 'any-trouble', AlarmRule: 'ALARM("p90") OR ALARM(math)' }));
    expect((await state('any-trouble')).StateValue).toBe('OK');
    await cw().send(new SetAlarmStateCommand({ AlarmName: 'math', StateValue: 'ALARM', StateReason: 'forced' }));
    await cw().send(new SetAlarmStateCommand({ AlarmName: 'p90', StateValue: 'ALARM', StateReason: 'forced' }));
    const composite = await state('any-trouble');
    expect(composite.StateValue).toBe('ALARM');
    expect(composite.StateReason).toMatch(/^arn:aws:cloudwatch:us-east-1:000000000000:alarm:math transitioned to ALARM at /);
    const children = await cw().send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'any-trouble' }));
    expect(children.MetricAlarms!.map((a) => a.AlarmName).sort()).toEqual(['math', 'p90']);
    const inUse = await awsError(cw().send(new DeleteAlarmsCommand({ AlarmNames: ['p90'] })));
    expect(inUse.name).toBe('InvalidParameterValueException');
    const history = await cw().send(new DescribeAlarmHistoryCommand({ AlarmName: 'any-trouble', HistoryItemType: 'StateUpdate' }));
    expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual(['Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK']);
  });

  it('refuses bad alarms with CloudWatch codes and texts', async () => {
    const base = { AlarmName: 'bad', Namespace: 'Alarms', MetricName: 'Latency', Statistic: 'Sum' as const, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' as const };
    expect(await awsError(cw().send(new PutMetricAlarmCommand({ ...base, Period: 45 })))).toMatchObject({ name: 'ValidationException', message: 'Period must be 10, 20, 30 or a multiple of 60' });
    expect(await awsError(cw().send(new PutMetricAlarmCommand({ ...base, Period: 60, EvaluationPeriods: 2, DatapointsToAlarm: 3 })))).toMatchObject({
      message: 'DatapointsToAlarm must be less than or equal to EvaluationPeriods.',
    });
    expect(await awsError(cw().send(new PutMetricAlarmCommand({ ...base, Period: 60, EvaluationPeriods: 1441 })))).toMatchObject({
      message: 'Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400) for alarms using period < 3600',
    });
    expect(await awsError(cw().send(new PutCompositeAlarmCommand({ AlarmName: 'c', AlarmRule: 'ALARM("ghost")' })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Could not save the composite alarm as alarms [ghost] in the alarm rule do not exist',
    });
    expect(await awsError(cw().send(new DeleteAlarmsCommand({ AlarmNames: ['ghost'] })))).toMatchObject({ name: 'ResourceNotFound', status: 404 });
    expect((await cw().send(new DescribeAlarmsCommand({ AlarmNames: ['bad', 'c'] }))).MetricAlarms).toEqual([]);
  });
});
