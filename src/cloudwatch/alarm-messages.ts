import type { Dimension, MetricDataQuery, StateValue } from '@aws-sdk/client-cloudwatch';
import { alarmArn } from './arns.js';
import type { AlarmRecord, CompositeAlarmConfig, MetricAlarmConfig } from './alarm-store.js';

const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ca-central-1': 'Canada (Central)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-north-1': 'EU (Stockholm)',
  'eu-south-1': 'EU (Milan)',
  'me-south-1': 'Middle East (Bahrain)',
  'sa-east-1': 'South America (Sao Paulo)',
};

export const regionLongName = (region: string) => REGION_NAMES[region] ?? region;

/** `2021-02-15T14:57:14.419+0000`, the way alarm messages and events write times. */
export function alarmTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Values as Java prints doubles (`1.0`, `21.5`), the way state reasons show them. */
export function javaDouble(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** `dd/MM/yy HH:mm:ss`, the datapoint times in a state reason. */
export function reasonTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const isMetricAlarm = (a: AlarmRecord): a is AlarmRecord & { config: MetricAlarmConfig } => a.type === 'MetricAlarm';

function trigger(c: MetricAlarmConfig): Record<string, unknown> {
  const common = {
    Period: c.Period,
    EvaluationPeriods: c.EvaluationPeriods,
    ...(c.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: c.DatapointsToAlarm } : {}),
    ComparisonOperator: c.ComparisonOperator,
    Threshold: c.Threshold,
    TreatMissingData: c.TreatMissingData ?? '',
    EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile ?? '',
  };
  if (c.Metrics) {
    return {
      Metrics: c.Metrics.map((m) => ({
        Id: m.Id,
        ...(m.Expression ? { Expression: m.Expression } : {}),
        ...(m.MetricStat
          ? { MetricStat: { Metric: { Dimensions: (m.MetricStat.Metric?.Dimensions ?? []).map((d) => ({ value: d.Value, name: d.Name })), MetricName: m.MetricStat.Metric?.MetricName, Namespace: m.MetricStat.Metric?.Namespace }, Period: m.MetricStat.Period, Stat: m.MetricStat.Stat } }
          : {}),
        ...(m.Label ? { Label: m.Label } : {}),
        ReturnData: m.ReturnData ?? true,
      })),
      ...common,
      Period: undefined,
    };
  }
  return {
    MetricName: c.MetricName,
    Namespace: c.Namespace,
    StatisticType: c.ExtendedStatistic ? 'ExtendedStatistic' : 'Statistic',
    ...(c.ExtendedStatistic ? { ExtendedStatistic: c.ExtendedStatistic } : { Statistic: c.Statistic?.toUpperCase() }),
    Unit: c.Unit ?? null,
    Dimensions: (c.Dimensions ?? []).map((d: Dimension) => ({ value: d.Value, name: d.Name })),
    ...common,
  };
}

/** The JSON an SNS alarm action publishes, and its subject. */
export function snsAlarmMessage(a: AlarmRecord, oldState: StateValue, now: number): { subject: string; message: string } {
  const c = a.config;
  const body: Record<string, unknown> = {
    AlarmName: a.name,
    AlarmDescription: c.AlarmDescription ?? null,
    AWSAccountId: a.accountId,
    AlarmConfigurationUpdatedTimestamp: alarmTime(a.configUpdated),
    NewStateValue: a.state,
    NewStateReason: a.stateReason,
    StateChangeTime: alarmTime(now),
    Region: regionLongName(a.region),
    AlarmArn: alarmArn(a, a.name),
    OldStateValue: oldState,
    OKActions: c.OKActions ?? [],
    AlarmActions: c.AlarmActions ?? [],
    InsufficientDataActions: c.InsufficientDataActions ?? [],
  };
  if (isMetricAlarm(a)) body.Trigger = trigger(a.config);
  else {
    body.AlarmRule = (c as CompositeAlarmConfig).AlarmRule;
    body.TriggeringChildren = a.stateReasonData ? (JSON.parse(a.stateReasonData) as { triggeringAlarms?: unknown[] }).triggeringAlarms ?? [] : [];
  }
  return { subject: `${a.state}: "${a.name}" in ${regionLongName(a.region)}`, message: JSON.stringify(body) };
}

function stateDetail(value: StateValue, reason: string, reasonData: string | undefined, ts: number): Record<string, unknown> {
  return { value, reason, ...(reasonData ? { reasonData } : {}), timestamp: alarmTime(ts) };
}

function eventMetrics(c: MetricAlarmConfig): unknown[] {
  const queries: MetricDataQuery[] = c.Metrics ?? [
    { Id: 'm1', MetricStat: { Metric: { Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions }, Period: c.Period, Stat: c.ExtendedStatistic ?? c.Statistic }, ReturnData: true },
  ];
  return queries.map((q) => ({
    id: q.Id,
    ...(q.Expression ? { expression: q.Expression } : {}),
    ...(q.Label ? { label: q.Label } : {}),
    ...(q.MetricStat
      ? {
          metricStat: {
            metric: { namespace: q.MetricStat.Metric?.Namespace, name: q.MetricStat.Metric?.MetricName, dimensions: Object.fromEntries((q.MetricStat.Metric?.Dimensions ?? []).map((d) => [d.Name, d.Value])) },
            period: q.MetricStat.Period,
            stat: q.MetricStat.Stat,
          },
        }
      : {}),
    returnData: q.ReturnData ?? true,
  }));
}

/** The `detail` of a "CloudWatch Alarm State Change" event. */
export function stateChangeDetail(a: AlarmRecord, previous: { state: StateValue; reason: string; reasonData?: string; ts: number }): Record<string, unknown> {
  const c = a.config;
  return {
    alarmName: a.name,
    state: stateDetail(a.state, a.stateReason, a.stateReasonData, a.stateUpdated),
    previousState: stateDetail(previous.state, previous.reason, previous.reasonData, previous.ts),
    configuration: isMetricAlarm(a)
      ? { ...(c.AlarmDescription ? { description: c.AlarmDescription } : {}), metrics: eventMetrics(a.config) }
      : { ...(c.AlarmDescription ? { description: c.AlarmDescription } : {}), alarmRule: (c as CompositeAlarmConfig).AlarmRule, actionsSuppressor: (c as CompositeAlarmConfig).ActionsSuppressor },
  };
}

/** What a Lambda function alarm action receives. */
export function lambdaAlarmEvent(a: AlarmRecord, previous: { state: StateValue; reason: string; reasonData?: string; ts: number }, now: number): string {
  const detail = stateChangeDetail(a, previous);
  return JSON.stringify({
    source: 'aws.cloudwatch',
    alarmArn: alarmArn(a, a.name),
    accountId: a.accountId,
    time: alarmTime(now),
    region: a.region,
    alarmData: { alarmName: a.name, state: detail.state, previousState: detail.previousState, configuration: detail.configuration },
  });
}
