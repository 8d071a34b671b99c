import type {
  DeleteMetricFilterRequest,
  DescribeMetricFiltersRequest,
  DescribeMetricFiltersResponse,
  MetricTransformation,
  PutMetricFilterRequest,
  TestMetricFilterRequest,
  TestMetricFilterResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { rootCaller } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { AwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { groupArn } from './arns.js';
import { invalidParameter } from './errors.js';
import { compileFilterPattern, extractDelimited, selectJson } from './filter-pattern.js';
import type { Logs } from './logs.js';

const JOB = 'logs.metric-filters';
/** How often new log events are run through the metric filters. */
const EVERY_MS = 5_000;
const MAX_FILTERS_PER_GROUP = 100;
const SCAN_BATCH = 10_000;
const DAY = 24 * 3600_000;

interface FilterRow {
  group_id: number;
  name: string;
  pattern: string;
  transformations: string;
  created_at: number;
  last_seq: number;
  group_name: string;
  account_id: string;
  region: string;
}

/** A transformation's value or dimension: a number, `$.json.path`, or `$field` of a space-delimited pattern. */
function pick(spec: string, pattern: string, message: string): string | undefined {
  if (!spec.startsWith('$')) return spec;
  if (spec.startsWith('$.')) {
    const v = selectJson(message, spec);
    return v === undefined || v === null || typeof v === 'object' ? undefined : String(v);
  }
  return extractDelimited(pattern, message)[spec];
}

function checkTransformation(t: MetricTransformation): void {
  const value = t.metricValue!;
  if (!value.startsWith('$') && !Number.isFinite(Number(value))) throw invalidParameter('Invalid metric value: must be a number or a field selector such as $.latency or $size.');
  if (t.metricNamespace!.startsWith('AWS/')) throw invalidParameter('Invalid metric namespace: the AWS/ prefix is reserved.');
  if (Object.keys(t.dimensions ?? {}).length > 3) throw invalidParameter('A metric filter can have at most 3 dimensions.');
  if (t.defaultValue !== undefined && Object.keys(t.dimensions ?? {}).length > 0) throw invalidParameter('A metric filter with dimensions cannot have a default value.');
}

/**
 * Metric filters: log events of a group that match a filter's pattern become datapoints of its
 * metric, published to CloudWatch through the internal client (as the group's account). A job on
 * the scheduler reads the events past each filter's cursor and moves the cursor once their
 * datapoints were handed over, so across a restart nothing ingested is skipped (at least once).
 */
export function metricFilterOperations(logs: Logs, deps: ServiceDeps): Record<string, OperationSpec> {
  const db = deps.db;
  const filters = (groupId?: number) =>
    db
      .prepare(
        `SELECT f.*, g.name AS group_name, g.account_id, g.region FROM logs_metric_filters f JOIN logs_groups g ON g.id = f.group_id
         WHERE (? IS NULL OR f.group_id = ?) ORDER BY g.name, f.name`,
      )
      .all(groupId ?? null, groupId ?? null) as FilterRow[];

  const run = async () => {
    for (const f of filters()) {
      const events = db.prepare('SELECT seq, timestamp, message FROM logs_events WHERE group_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(f.group_id, f.last_seq, SCAN_BATCH) as {
        seq: number;
        timestamp: number;
        message: string;
      }[];
      if (events.length === 0) continue;
      const matches = compileFilterPattern(f.pattern);
      const now = deps.clock.now().getTime();
      for (const t of JSON.parse(f.transformations) as MetricTransformation[]) {
        const data: MetricDatum[] = [];
        for (const e of events) {
          if (e.timestamp < now - 14 * DAY || !matches(e.message)) continue;
          const value = Number(pick(t.metricValue!, f.pattern, e.message));
          const dims = Object.entries(t.dimensions ?? {}).map(([Name, spec]) => ({ Name, Value: pick(spec, f.pattern, e.message) }));
          if (!Number.isFinite(value) || dims.some((d) => d.Value === undefined || d.Value === '')) continue;
          data.push({ MetricName: t.metricName, Timestamp: new Date(e.timestamp), Value: value, ...(t.unit ? { Unit: t.unit } : {}), ...(dims.length ? { Dimensions: dims } : {}) });
        }
        if (data.length === 0 && t.defaultValue !== undefined) data.push({ MetricName: t.metricName, Timestamp: new Date(now), Value: t.defaultValue, ...(t.unit ? { Unit: t.unit } : {}) });
        for (let i = 0; i < data.length; i += 1000) {
          try {
            await deps.internal.call('cloudwatch', 'PutMetricData', { Namespace: t.metricNamespace, MetricData: data.slice(i, i + 1000) }, { caller: rootCaller(f.account_id), region: f.region });
          } catch (err) {
            deps.logger.warn({ err, filter: f.name, group: f.group_name }, 'metric filter could not publish');
          }
        }
      }
      db.prepare('UPDATE logs_metric_filters SET last_seq = ? WHERE group_id = ? AND name = ?').run(events.at(-1)!.seq, f.group_id, f.name);
    }
    deps.scheduler.enqueue({ kind: JOB, key: JOB, payload: {}, runAt: deps.clock.now().getTime() + EVERY_MS });
  };
  deps.scheduler.register(JOB, run);
  deps.scheduler.enqueue({ kind: JOB, key: JOB, payload: {}, runAt: deps.clock.now().getTime() + EVERY_MS, ifAbsent: true });

  const arnOf = (ctx: { accountId: string; region: string }, name: string | undefined) => groupArn({ accountId: ctx.accountId, region: ctx.region, name: name ?? '*' });
  return {
    PutMetricFilter: operation<PutMetricFilterRequest, object>({
      iam: { action: 'logs:PutMetricFilter', resource: (i, ctx) => arnOf(ctx, i.logGroupName) },
      handler: (input, ctx) => {
        const group = logs.requireGroup(ctx, input.logGroupName!);
        compileFilterPattern(input.filterPattern);
        if (input.metricTransformations!.length !== 1) throw invalidParameter('Exactly one metric transformation is allowed.');
        input.metricTransformations!.forEach(checkTransformation);
        const existing = db.prepare('SELECT 1 FROM logs_metric_filters WHERE group_id = ? AND name = ?').get(group.id, input.filterName);
        const count = (db.prepare('SELECT COUNT(*) AS n FROM logs_metric_filters WHERE group_id = ?').get(group.id) as { n: number }).n;
        if (!existing && count >= MAX_FILTERS_PER_GROUP) throw new AwsError('LimitExceededException', 'Resource limit exceeded.');
        // A new filter sees events ingested from now on; a replaced one keeps its place.
        const lastSeq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM logs_events').get() as { s: number }).s;
        db.prepare(
          `INSERT INTO logs_metric_filters (group_id, name, pattern, transformations, created_at, last_seq) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (group_id, name) DO UPDATE SET pattern = excluded.pattern, transformations = excluded.transformations`,
        ).run(group.id, input.filterName, input.filterPattern, JSON.stringify(input.metricTransformations), logs.now(), lastSeq);
        return {};
      },
    }),
    DescribeMetricFilters: operation<DescribeMetricFiltersRequest, DescribeMetricFiltersResponse>({
      iam: { action: 'logs:DescribeMetricFilters', resource: (i, ctx) => arnOf(ctx, i.logGroupName) },
      handler: (input, ctx) => {
        if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) throw invalidParameter('metricName and metricNamespace must be specified together.');
        const groupId = input.logGroupName !== undefined ? logs.requireGroup(ctx, input.logGroupName).id : undefined;
        const all = filters(groupId).filter(
          (f) =>
            f.account_id === ctx.accountId &&
            f.region === ctx.region &&
            (input.filterNamePrefix === undefined || f.name.startsWith(input.filterNamePrefix)) &&
            (input.metricName === undefined ||
              (JSON.parse(f.transformations) as MetricTransformation[]).some((t) => t.metricName === input.metricName && t.metricNamespace === input.metricNamespace)),
        );
        const offset = input.nextToken !== undefined ? Number.parseInt(Buffer.from(input.nextToken, 'base64').toString(), 10) : 0;
        if (!Number.isInteger(offset) || offset < 0) throw invalidParameter('The specified nextToken is invalid.');
        const limit = input.limit ?? 50;
        const page = all.slice(offset, offset + limit);
        return {
          metricFilters: page.map((f) => ({ filterName: f.name, filterPattern: f.pattern, metricTransformations: JSON.parse(f.transformations), creationTime: f.created_at, logGroupName: f.group_name })),
          ...(offset + limit < all.length ? { nextToken: Buffer.from(String(offset + limit)).toString('base64') } : {}),
        };
      },
    }),
    DeleteMetricFilter: operation<DeleteMetricFilterRequest, object>({
      iam: { action: 'logs:DeleteMetricFilter', resource: (i, ctx) => arnOf(ctx, i.logGroupName) },
      handler: (input, ctx) => {
        const group = logs.requireGroup(ctx, input.logGroupName!);
        const removed = db.prepare('DELETE FROM logs_metric_filters WHERE group_id = ? AND name = ?').run(group.id, input.filterName).changes;
        if (removed === 0) throw new AwsError('ResourceNotFoundException', 'The specified resource does not exist.');
        return {};
      },
    }),
    TestMetricFilter: operation<TestMetricFilterRequest, TestMetricFilterResponse>({
      iam: { action: 'logs:TestMetricFilter', resource: () => '*' },
      handler: (input) => {
        const matches = compileFilterPattern(input.filterPattern);
        return {
          matches: input.logEventMessages!.flatMap((message, i) =>
            matches(message) ? [{ eventNumber: i + 1, eventMessage: message, extractedValues: extractDelimited(input.filterPattern!, message) }] : [],
          ),
        };
      },
    }),
  };
}
