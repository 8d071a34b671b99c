import type { GetMetricDataInput, GetMetricDataOutput, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { operation, type OperationSpec } from '../core/service.js';
import { invalidParameterValue } from './errors.js';
import { timeRange } from './metric-operations.js';
import type { Metrics } from './metrics.js';
import { pageToken, readPageToken } from './pagination.js';
import { checkQueries, runQueries } from './queries.js';

const DEFAULT_MAX_DATAPOINTS = 100_800;

export function getMetricDataOperations(metrics: Metrics): Record<string, OperationSpec> {
  return {
    GetMetricData: operation<GetMetricDataInput, GetMetricDataOutput>({
      iam: { action: 'cloudwatch:GetMetricData', resource: () => '*' },
      handler: (input, ctx) => {
        const queries = input.MetricDataQueries!;
        checkQueries(queries);
        const { start, end } = timeRange(input);
        if (input.ScanBy !== undefined && input.ScanBy !== 'TimestampAscending' && input.ScanBy !== 'TimestampDescending') {
          throw invalidParameterValue(`The value ${input.ScanBy} for parameter ScanBy is invalid.`);
        }
        const max = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
        if (max < 1) throw invalidParameterValue('The parameter MaxDatapoints must be greater than 0.');
        const skip = readPageToken('GetMetricData', input.NextToken);
        const periods = queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Period!] : q.Period ? [q.Period] : []));
        // Periods start on multiples of the period, so the start time is rounded down to the coarsest one.
        const coarsest = Math.max(1, ...periods) * 1000;
        const from = Math.floor(start / coarsest) * coarsest;
        const results = runQueries(metrics, ctx, queries, from, end);
        const ascending = input.ScanBy === 'TimestampAscending';
        // A page is a window of `max` datapoints over all results' datapoints in order; the token says where it starts.
        let before = 0;
        let emitted = 0;
        let truncated = false;
        const out: MetricDataResult[] = [];
        for (const r of results) {
          if (r.query.ReturnData === false) continue;
          if (r.value.kind !== 'series') throw invalidParameterValue(`Error in expression ${r.query.Id}: the expression must return a single time series.`);
          const points = [...r.value.s.points].sort((a, b) => (ascending ? a[0] - b[0] : b[0] - a[0]));
          const first = Math.min(points.length, Math.max(0, skip - before));
          const taken = points.slice(first, first + Math.max(0, max - emitted));
          before += points.length;
          emitted += taken.length;
          const complete = first + taken.length >= points.length;
          if (!complete) truncated = true;
          out.push({ Id: r.query.Id, Label: r.label, Timestamps: taken.map(([t]) => new Date(t)), Values: taken.map(([, v]) => v), StatusCode: complete ? 'Complete' : 'PartialData' });
        }
        return { MetricDataResults: out, Messages: [], ...(truncated ? { NextToken: pageToken('GetMetricData', skip + emitted) } : {}) };
      },
    }),
  };
}
