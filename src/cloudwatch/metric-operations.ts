import type {
  Datapoint,
  GetMetricStatisticsInput,
  GetMetricStatisticsOutput,
  ListMetricsInput,
  ListMetricsOutput,
  PutMetricDataInput,
} from '@aws-sdk/client-cloudwatch';
import { operation, type OperationSpec } from '../core/service.js';
import { invalidParameterCombination, invalidParameterValue } from './errors.js';
import { checkPeriod, type Metrics } from './metrics.js';
import { page } from './pagination.js';
import { isExtendedStatistic, statistic } from './statistics.js';
import { timestampMs } from './time.js';

const DAY = 24 * 3600_000;
/** Metrics are listed for two weeks after their last datapoint. */
const LISTED_FOR_MS = 14 * DAY;
const LIST_PAGE = 500;
const MAX_DATAPOINTS = 1440;

/** Start must come before end, as CloudWatch words it. */
export function timeRange(input: { StartTime?: unknown; EndTime?: unknown }): { start: number; end: number } {
  const start = timestampMs(input.StartTime, 'StartTime');
  const end = timestampMs(input.EndTime, 'EndTime');
  if (start === end) throw invalidParameterValue('The parameter StartTime must not equal parameter EndTime.');
  if (start > end) throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
  return { start, end };
}

export function metricOperations(metrics: Metrics): Record<string, OperationSpec> {
  return {
    PutMetricData: operation<PutMetricDataInput, object>({
      iam: { action: 'cloudwatch:PutMetricData', resource: () => '*', conditionKeys: (i) => ({ 'cloudwatch:namespace': i.Namespace ?? '' }) },
      handler: (input, ctx) => {
        if (input.Namespace!.startsWith('AWS/')) throw invalidParameterValue(`The value ${input.Namespace} for parameter Namespace is invalid.`);
        const data = [...(input.MetricData ?? []), ...(input.EntityMetricData ?? []).flatMap((e) => e.MetricData ?? [])];
        if (data.length === 0) throw invalidParameterValue('At least one of the parameters MetricData and EntityMetricData must be specified.');
        if (data.length > 1000) throw invalidParameterValue('The collection MetricData must not have a size greater than 1000.');
        metrics.put(ctx, input.Namespace!, data);
        return {};
      },
    }),
    GetMetricStatistics: operation<GetMetricStatisticsInput, GetMetricStatisticsOutput>({
      iam: { action: 'cloudwatch:GetMetricStatistics', resource: () => '*' },
      handler: (input, ctx) => {
        const stats = input.Statistics ?? [];
        const extended = input.ExtendedStatistics ?? [];
        if ((stats.length > 0) === (extended.length > 0)) throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
        for (const e of extended) if (!isExtendedStatistic(e)) throw invalidParameterValue(`The value ${e} for parameter ExtendedStatistics is not supported.`);
        checkPeriod(input.Period!);
        const { start, end } = timeRange(input);
        const periodMs = input.Period! * 1000;
        const from = Math.floor(start / periodMs) * periodMs;
        const requested = Math.ceil((end - from) / periodMs);
        if (requested > MAX_DATAPOINTS) {
          throw invalidParameterCombination(
            `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
          );
        }
        const buckets = metrics.buckets(ctx, { namespace: input.Namespace!, name: input.MetricName!, dimensions: input.Dimensions }, from, end, input.Period!, { unit: input.Unit });
        const datapoints: Datapoint[] = buckets.map((b) => {
          const point: Datapoint = { Timestamp: new Date(b.start), Unit: b.unit as Datapoint['Unit'] };
          for (const s of stats) (point as Record<string, unknown>)[s] = statistic(b, s);
          if (extended.length > 0) {
            point.ExtendedStatistics = {};
            for (const e of extended) {
              const v = statistic(b, e);
              if (v !== undefined) point.ExtendedStatistics[e] = v;
            }
          }
          return point;
        });
        return { Label: input.MetricName, Datapoints: datapoints };
      },
    }),
    ListMetrics: operation<ListMetricsInput, ListMetricsOutput>({
      iam: { action: 'cloudwatch:ListMetrics', resource: () => '*' },
      handler: (input, ctx) => {
        const now = metrics.now();
        if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') throw invalidParameterValue(`The value ${input.RecentlyActive} for parameter RecentlyActive is invalid.`);
        const since = input.RecentlyActive === 'PT3H' ? now - 3 * 3600_000 : now - LISTED_FOR_MS;
        const filters = input.Dimensions ?? [];
        const all = metrics.store
          .list(ctx, { namespace: input.Namespace, name: input.MetricName, since })
          .filter((m) => filters.every((f) => m.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))));
        const { items, next } = page('ListMetrics', all, input.NextToken, LIST_PAGE);
        return {
          Metrics: items.map((m) => ({ Namespace: m.namespace, MetricName: m.name, Dimensions: m.dimensions })),
          ...(next ? { NextToken: next } : {}),
        };
      },
    }),
  };
}
