import type {
  AlarmHistoryItem,
  DeleteAlarmsInput,
  DescribeAlarmHistoryInput,
  DescribeAlarmHistoryOutput,
  DescribeAlarmsForMetricInput,
  DescribeAlarmsForMetricOutput,
  DescribeAlarmsInput,
  DescribeAlarmsOutput,
  DisableAlarmActionsInput,
  EnableAlarmActionsInput,
  PutCompositeAlarmInput,
  PutMetricAlarmInput,
  SetAlarmStateInput,
} from '@aws-sdk/client-cloudwatch';
import { AwsError } from '../core/errors.js';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import type { AlarmEngine } from './alarm-engine.js';
import { parseRule, ruleAlarms, RuleError } from './alarm-rule.js';
import type { AlarmRecord } from './alarm-store.js';
import { compositeAlarmView, metricAlarmView } from './alarm-views.js';
import { alarmArn, parseAlarmArn } from './arns.js';
import { invalidParameterCombination, invalidParameterValue, resourceNotFound } from './errors.js';
import { dimensionKey } from './metric-store.js';
import { page } from './pagination.js';
import { checkQueries } from './queries.js';
import { isExtendedStatistic } from './statistics.js';
import { timestampMs } from './time.js';
import { checkTags } from './tag-operations.js';

/** Alarm configuration problems CloudWatch reports as `ValidationError`. */
const validation = (message: string) => new AwsError('ValidationError', message);
const arnOf = (ctx: RequestContext, name: string | undefined) => alarmArn(ctx, name ?? '*');
const requestTags = (tags: { Key?: string; Value?: string }[] | undefined) => Object.fromEntries((tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? '']));
const ACTION_ARN = /^arn:aws[a-z-]*:(sns|lambda|autoscaling|ec2|ssm|ssm-incidents|swf|opsworks|automate):/;

function alarmPeriod(period: number, evaluationPeriods: number): void {
  if (!([10, 20, 30].includes(period) || (period >= 60 && period % 60 === 0))) throw validation('Period must be 10, 20, 30 or a multiple of 60');
  const window = period * evaluationPeriods;
  if (period < 3600 && window > 86_400) throw validation('Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400) for alarms using period < 3600');
  if (window > 604_800) throw validation('Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= 604800)');
}

function checkActions(input: { AlarmActions?: string[]; OKActions?: string[]; InsufficientDataActions?: string[] }): void {
  for (const [member, list] of [['AlarmActions', input.AlarmActions], ['OKActions', input.OKActions], ['InsufficientDataActions', input.InsufficientDataActions]] as const) {
    for (const arn of list ?? []) if (!ACTION_ARN.test(arn)) throw validation(`Invalid arn syntax: ${arn}`);
    if ((list ?? []).length > 5) throw validation(`The collection ${member} must not have a size greater than 5.`);
  }
}

function checkMetricAlarm(i: PutMetricAlarmInput): void {
  if (i.EvaluationPeriods === undefined) throw new AwsError('MissingParameter', 'The parameter EvaluationPeriods is required.');
  if (i.ComparisonOperator === undefined) throw new AwsError('MissingParameter', 'The parameter ComparisonOperator is required.');
  if (['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold'].includes(i.ComparisonOperator)) {
    throw invalidParameterValue('Anomaly detection band alarms are not supported by codesuite: use a static threshold.');
  }
  if (i.DatapointsToAlarm !== undefined && i.DatapointsToAlarm > i.EvaluationPeriods) throw validation('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  if (i.TreatMissingData !== undefined && !['breaching', 'notBreaching', 'ignore', 'missing'].includes(i.TreatMissingData)) {
    throw validation(`Value '${i.TreatMissingData}' at 'treatMissingData' failed to satisfy constraint: Member must satisfy enum value set: [breaching, notBreaching, ignore, missing]`);
  }
  if (i.Metrics) {
    for (const field of ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Dimensions', 'Period', 'Unit'] as const) {
      if (i[field] !== undefined) throw invalidParameterCombination(`The parameters Metrics and ${field} are mutually exclusive.`);
    }
    checkQueries(i.Metrics, 'Metrics');
    const returned = i.Metrics.filter((m) => m.ReturnData !== false);
    if (returned.length !== 1) throw validation('Exactly one element of the metrics list should return data.');
    const period = returned[0].MetricStat?.Period ?? returned[0].Period ?? i.Metrics.find((m) => m.MetricStat)?.MetricStat?.Period;
    if (period === undefined) throw validation('Period must be specified for the metric that returns data.');
    alarmPeriod(period, i.EvaluationPeriods);
  } else {
    if (i.MetricName === undefined || i.Namespace === undefined) throw new AwsError('MissingParameter', `The parameter ${i.MetricName === undefined ? 'MetricName' : 'Namespace'} is required.`);
    if ((i.Statistic === undefined) === (i.ExtendedStatistic === undefined)) throw invalidParameterCombination('Exactly one of Statistic or ExtendedStatistic must be specified.');
    if (i.ExtendedStatistic !== undefined && !isExtendedStatistic(i.ExtendedStatistic)) throw invalidParameterValue(`The value ${i.ExtendedStatistic} for parameter ExtendedStatistic is not supported.`);
    if (i.Period === undefined) throw new AwsError('MissingParameter', 'The parameter Period is required.');
    alarmPeriod(i.Period, i.EvaluationPeriods);
  }
  if (i.Threshold === undefined && i.ThresholdMetricId === undefined) throw new AwsError('MissingParameter', 'The parameter Threshold is required.');
  if (i.ThresholdMetricId !== undefined) throw invalidParameterValue('Anomaly detection band alarms are not supported by codesuite: use a static threshold.');
  checkActions(i);
}

function historyView(h: { alarmName: string; alarmType: AlarmRecord['type']; ts: number; itemType: string; summary: string; data: string }): AlarmHistoryItem {
  return { AlarmName: h.alarmName, AlarmType: h.alarmType, Timestamp: new Date(h.ts), HistoryItemType: h.itemType as AlarmHistoryItem['HistoryItemType'], HistorySummary: h.summary, HistoryData: h.data };
}

export function alarmOperations(engine: AlarmEngine): Record<string, OperationSpec> {
  const store = engine.store;
  const configUpdate = (ctx: RequestContext, a: AlarmRecord | undefined, name: string, type: AlarmRecord['type'], config: object) =>
    store.addHistory(ctx, {
      alarmName: name,
      alarmType: type,
      ts: engine.now(),
      itemType: 'ConfigurationUpdate',
      summary: `Alarm "${name}" ${a ? 'updated' : 'created'}`,
      data: JSON.stringify({ version: '1.0', type: a ? 'Update' : 'Create', ...(a ? { originalConfig: a.config } : {}), updatedConfig: config }),
    });
  const save = (ctx: RequestContext, name: string, type: AlarmRecord['type'], input: { Tags?: { Key?: string; Value?: string }[]; ActionsEnabled?: boolean }) => {
    const { Tags, ...config } = input;
    const existing = store.get(ctx, name);
    if (existing && existing.type !== type) throw invalidParameterValue(`The alarm ${name} already exists as a ${existing.type === 'MetricAlarm' ? 'metric' : 'composite'} alarm.`);
    const tags = Object.fromEntries((Tags ?? []).map((t) => [t.Key!, t.Value!]));
    checkTags(store.tags(alarmArn(ctx, name)), tags);
    engine.deps.db.transaction(() => {
      store.save(ctx, name, type, config, input.ActionsEnabled ?? true, engine.now());
      // Tags are only set when an alarm is created; later puts leave them to TagResource.
      if (!existing) store.putTags(alarmArn(ctx, name), tags);
      configUpdate(ctx, existing, name, type, config);
    })();
  };
  const require = (ctx: RequestContext, name: string) => {
    const a = store.get(ctx, name);
    if (!a) throw resourceNotFound(`Alarm ${name} does not exist`);
    return a;
  };
  return {
    PutMetricAlarm: operation<PutMetricAlarmInput, object>({
      iam: { action: 'cloudwatch:PutMetricAlarm', resource: (i, ctx) => arnOf(ctx, i.AlarmName), conditionKeys: (i) => requestTags(i.Tags) },
      handler: (input, ctx) => {
        checkMetricAlarm(input);
        save(ctx, input.AlarmName!, 'MetricAlarm', input);
        return {};
      },
    }),
    PutCompositeAlarm: operation<PutCompositeAlarmInput, object>({
      iam: { action: 'cloudwatch:PutCompositeAlarm', resource: (i, ctx) => arnOf(ctx, i.AlarmName), conditionKeys: (i) => requestTags(i.Tags) },
      handler: (input, ctx) => {
        let refs: string[];
        try {
          refs = ruleAlarms(parseRule(input.AlarmRule!));
        } catch (err) {
          if (err instanceof RuleError) throw invalidParameterValue(err.message);
          throw err;
        }
        if (refs.includes(input.AlarmName!) || refs.includes(alarmArn(ctx, input.AlarmName!))) throw invalidParameterValue('The alarm rule must not reference the composite alarm itself.');
        const missing = refs.filter((r) => !store.get(parseAlarmArn(r) ?? ctx, parseAlarmArn(r)?.name ?? r));
        if (missing.length > 0) throw invalidParameterValue(`Could not save the composite alarm as alarms [${missing.join(', ')}] in the alarm rule do not exist`);
        checkActions(input);
        save(ctx, input.AlarmName!, 'CompositeAlarm', input);
        // A composite alarm has all it needs to be evaluated at once.
        engine.evaluateComposite(store.get(ctx, input.AlarmName!)!, engine.now());
        return {};
      },
    }),
    DescribeAlarms: operation<DescribeAlarmsInput, DescribeAlarmsOutput>({
      iam: { action: 'cloudwatch:DescribeAlarms', resource: () => '*' },
      handler: (input, ctx) => {
        if (input.AlarmNames?.length && input.AlarmNamePrefix !== undefined) throw invalidParameterCombination('AlarmNames and AlarmNamePrefix are mutually exclusive.');
        const types = input.AlarmTypes ?? (input.ChildrenOfAlarmName || input.ParentsOfAlarmName ? ['MetricAlarm', 'CompositeAlarm'] : ['MetricAlarm']);
        let alarms = store.list(ctx).filter(
          (a) =>
            types.includes(a.type) &&
            (!input.AlarmNames?.length || input.AlarmNames.includes(a.name)) &&
            (input.AlarmNamePrefix === undefined || a.name.startsWith(input.AlarmNamePrefix)) &&
            (input.StateValue === undefined || a.state === input.StateValue) &&
            (input.ActionPrefix === undefined || [...(a.config.AlarmActions ?? []), ...(a.config.OKActions ?? []), ...(a.config.InsufficientDataActions ?? [])].some((x) => x.startsWith(input.ActionPrefix!))),
        );
        if (input.ChildrenOfAlarmName) {
          const parent = store.get(ctx, input.ChildrenOfAlarmName);
          const refs = parent?.type === 'CompositeAlarm' ? ruleAlarms(parseRule((parent.config as PutCompositeAlarmInput).AlarmRule!)) : [];
          alarms = alarms.filter((a) => refs.includes(a.name) || refs.includes(alarmArn(a, a.name)));
        }
        if (input.ParentsOfAlarmName) {
          const child = input.ParentsOfAlarmName;
          alarms = alarms.filter((a) => a.type === 'CompositeAlarm' && ruleAlarms(parseRule((a.config as PutCompositeAlarmInput).AlarmRule!)).some((r) => r === child || r === alarmArn(ctx, child)));
        }
        const { items, next } = page('DescribeAlarms', alarms, input.NextToken, input.MaxRecords ?? 50);
        return {
          MetricAlarms: items.filter((a) => a.type === 'MetricAlarm').map(metricAlarmView),
          CompositeAlarms: items.filter((a) => a.type === 'CompositeAlarm').map(compositeAlarmView),
          ...(next ? { NextToken: next } : {}),
        };
      },
    }),
    DescribeAlarmsForMetric: operation<DescribeAlarmsForMetricInput, DescribeAlarmsForMetricOutput>({
      iam: { action: 'cloudwatch:DescribeAlarmsForMetric', resource: () => '*' },
      handler: (input, ctx) => {
        const key = dimensionKey(input.Dimensions);
        const alarms = store.list(ctx).filter((a) => {
          if (a.type !== 'MetricAlarm') return false;
          const c = a.config as PutMetricAlarmInput;
          const queries = c.Metrics?.flatMap((m) => (m.MetricStat ? [{ ns: m.MetricStat.Metric?.Namespace, name: m.MetricStat.Metric?.MetricName, dims: m.MetricStat.Metric?.Dimensions, stat: m.MetricStat.Stat, period: m.MetricStat.Period, unit: m.MetricStat.Unit }] : [])) ?? [
            { ns: c.Namespace, name: c.MetricName, dims: c.Dimensions, stat: c.Statistic ?? c.ExtendedStatistic, period: c.Period, unit: c.Unit },
          ];
          return queries.some(
            (q) =>
              q.ns === input.Namespace &&
              q.name === input.MetricName &&
              (input.Dimensions === undefined || dimensionKey(q.dims) === key) &&
              (input.Statistic === undefined || q.stat === input.Statistic) &&
              (input.ExtendedStatistic === undefined || q.stat === input.ExtendedStatistic) &&
              (input.Period === undefined || q.period === input.Period) &&
              (input.Unit === undefined || q.unit === input.Unit),
          );
        });
        return { MetricAlarms: alarms.map(metricAlarmView) };
      },
    }),
    DescribeAlarmHistory: operation<DescribeAlarmHistoryInput, DescribeAlarmHistoryOutput>({
      iam: { action: 'cloudwatch:DescribeAlarmHistory', resource: (i, ctx) => arnOf(ctx, i.AlarmName) },
      handler: (input, ctx) => {
        const types = input.AlarmTypes ?? ['MetricAlarm', 'CompositeAlarm'];
        const start = input.StartDate !== undefined ? timestampMs(input.StartDate, 'StartDate') : -Infinity;
        const end = input.EndDate !== undefined ? timestampMs(input.EndDate, 'EndDate') : Infinity;
        let items = store
          .history(ctx, input.AlarmName)
          .filter((h) => types.includes(h.alarmType) && (input.HistoryItemType === undefined || h.itemType === input.HistoryItemType) && h.ts >= start && h.ts <= end);
        if (input.ScanBy === 'TimestampAscending') items = items.reverse();
        const { items: pageItems, next } = page('DescribeAlarmHistory', items, input.NextToken, input.MaxRecords ?? 100);
        return { AlarmHistoryItems: pageItems.map(historyView), ...(next ? { NextToken: next } : {}) };
      },
    }),
    SetAlarmState: operation<SetAlarmStateInput, object>({
      iam: { action: 'cloudwatch:SetAlarmState', resource: (i, ctx) => arnOf(ctx, i.AlarmName) },
      handler: (input, ctx) => {
        const a = require(ctx, input.AlarmName!);
        if (input.StateReasonData !== undefined) {
          try {
            JSON.parse(input.StateReasonData);
          } catch {
            throw new AwsError('InvalidFormat', 'The StateReasonData provided is not valid JSON.');
          }
        }
        engine.transition(a, { state: input.StateValue!, reason: input.StateReason!, reasonData: input.StateReasonData }, engine.now());
        return {};
      },
    }),
    EnableAlarmActions: operation<EnableAlarmActionsInput, object>({
      iam: { action: 'cloudwatch:EnableAlarmActions', resource: (i, ctx) => arnOf(ctx, i.AlarmNames?.[0]) },
      handler: (input, ctx) => {
        store.setActionsEnabled(ctx, input.AlarmNames!, true);
        return {};
      },
    }),
    DisableAlarmActions: operation<DisableAlarmActionsInput, object>({
      iam: { action: 'cloudwatch:DisableAlarmActions', resource: (i, ctx) => arnOf(ctx, i.AlarmNames?.[0]) },
      handler: (input, ctx) => {
        store.setActionsEnabled(ctx, input.AlarmNames!, false);
        return {};
      },
    }),
    DeleteAlarms: operation<DeleteAlarmsInput, object>({
      iam: { action: 'cloudwatch:DeleteAlarms', resource: (i, ctx) => arnOf(ctx, i.AlarmNames?.[0]) },
      handler: (input, ctx) => {
        const names = input.AlarmNames!;
        const missing = names.filter((n) => !store.get(ctx, n));
        if (missing.length > 0) throw resourceNotFound(`${missing.length === 1 ? 'Alarm' : 'Alarms'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`);
        // A composite alarm's children cannot go while it still reads them.
        for (const parent of store.list(ctx)) {
          if (parent.type !== 'CompositeAlarm' || names.includes(parent.name)) continue;
          const refs = ruleAlarms(parseRule((parent.config as PutCompositeAlarmInput).AlarmRule!));
          const used = names.find((n) => refs.includes(n) || refs.includes(alarmArn(ctx, n)));
          if (used) throw invalidParameterValue(`The alarm ${used} is referenced by the composite alarm ${parent.name} and cannot be deleted.`);
        }
        engine.deps.db.transaction(() => {
          for (const name of names) {
            store.delete(ctx, name);
            store.removeTags(alarmArn(ctx, name));
          }
        })();
        return {};
      },
    }),
  };
}
