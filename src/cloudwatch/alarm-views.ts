import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { alarmArn } from './arns.js';
import type { AlarmRecord, CompositeAlarmConfig, MetricAlarmConfig } from './alarm-store.js';

function stateFields(a: AlarmRecord) {
  return {
    AlarmName: a.name,
    AlarmArn: alarmArn(a, a.name),
    AlarmConfigurationUpdatedTimestamp: new Date(a.configUpdated),
    ActionsEnabled: a.actionsEnabled,
    OKActions: a.config.OKActions ?? [],
    AlarmActions: a.config.AlarmActions ?? [],
    InsufficientDataActions: a.config.InsufficientDataActions ?? [],
    StateValue: a.state,
    StateReason: a.stateReason,
    ...(a.stateReasonData ? { StateReasonData: a.stateReasonData } : {}),
    StateUpdatedTimestamp: new Date(a.stateUpdated),
    StateTransitionedTimestamp: new Date(a.stateTransitioned),
    ...(a.config.AlarmDescription !== undefined ? { AlarmDescription: a.config.AlarmDescription } : {}),
  };
}

export function metricAlarmView(a: AlarmRecord): MetricAlarm {
  const c = a.config as MetricAlarmConfig;
  return {
    ...stateFields(a),
    ...(c.MetricName !== undefined ? { MetricName: c.MetricName, Namespace: c.Namespace, Dimensions: c.Dimensions ?? [], Period: c.Period } : {}),
    ...(c.Statistic !== undefined ? { Statistic: c.Statistic } : {}),
    ...(c.ExtendedStatistic !== undefined ? { ExtendedStatistic: c.ExtendedStatistic } : {}),
    ...(c.Unit !== undefined ? { Unit: c.Unit } : {}),
    EvaluationPeriods: c.EvaluationPeriods,
    ...(c.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: c.DatapointsToAlarm } : {}),
    ...(c.Threshold !== undefined ? { Threshold: c.Threshold } : {}),
    ComparisonOperator: c.ComparisonOperator,
    ...(c.TreatMissingData !== undefined ? { TreatMissingData: c.TreatMissingData } : {}),
    ...(c.EvaluateLowSampleCountPercentile !== undefined ? { EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile } : {}),
    ...(c.Metrics !== undefined ? { Metrics: c.Metrics } : {}),
    ...(c.ThresholdMetricId !== undefined ? { ThresholdMetricId: c.ThresholdMetricId } : {}),
  };
}

export function compositeAlarmView(a: AlarmRecord): CompositeAlarm {
  const c = a.config as CompositeAlarmConfig;
  return {
    ...stateFields(a),
    AlarmRule: c.AlarmRule,
    ...(c.ActionsSuppressor !== undefined
      ? { ActionsSuppressor: c.ActionsSuppressor, ActionsSuppressorWaitPeriod: c.ActionsSuppressorWaitPeriod, ActionsSuppressorExtensionPeriod: c.ActionsSuppressorExtensionPeriod }
      : {}),
  };
}
