import type { Dimension } from '@aws-sdk/client-cloudwatch';
import type { Db } from '../core/store/db.js';

export interface Scope {
  accountId: string;
  region: string;
}

/** One stored observation set: a single value, a statistic set or a values/counts distribution. */
export interface Sample {
  ts: number;
  unit: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** [value, count] pairs where the caller sent raw values (percentiles need them). */
  distribution?: [number, number][];
}

export interface MetricRow {
  id: number;
  namespace: string;
  name: string;
  dimensions: Dimension[];
  lastPut: number;
}

interface Row {
  id: number;
  namespace: string;
  name: string;
  dimensions: string;
  last_put: number;
}

/** A metric is its namespace, name and exact dimension set: the set is stored sorted so order never matters. */
export function dimensionKey(dimensions: Dimension[] | undefined): string {
  return JSON.stringify([...(dimensions ?? [])].sort((a, b) => (a.Name! < b.Name! ? -1 : a.Name! > b.Name! ? 1 : 0)).map((d) => [d.Name, d.Value]));
}

const toMetric = (r: Row): MetricRow => ({
  id: r.id,
  namespace: r.namespace,
  name: r.name,
  dimensions: (JSON.parse(r.dimensions) as [string, string][]).map(([Name, Value]) => ({ Name, Value })),
  lastPut: r.last_put,
});

/** CloudWatch metrics and their datapoints in SQLite. */
export class MetricStore {
  // Prepared once: PutMetricData writes two rows per datapoint and is the hot path.
  private readonly upsertMetric;
  private readonly insertSample;

  constructor(private readonly db: Db) {
    this.upsertMetric = db.prepare(
      `INSERT INTO cw_metrics (account_id, region, namespace, name, dimensions, last_put) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, region, namespace, name, dimensions) DO UPDATE SET last_put = excluded.last_put RETURNING id`,
    );
    this.insertSample = db.prepare('INSERT INTO cw_datapoints (metric_id, ts, unit, sample_count, sum, minimum, maximum, distribution) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** Writes the samples of one metric, creating the metric on its first datapoint. */
  put(scope: Scope, namespace: string, name: string, dimensions: Dimension[] | undefined, samples: Sample[], now: number): void {
    const { id } = this.upsertMetric.get(scope.accountId, scope.region, namespace, name, dimensionKey(dimensions), now) as { id: number };
    for (const s of samples) this.insertSample.run(id, s.ts, s.unit, s.sampleCount, s.sum, s.minimum, s.maximum, s.distribution ? JSON.stringify(s.distribution) : null);
  }

  find(scope: Scope, namespace: string, name: string, dimensions: Dimension[] | undefined): MetricRow | undefined {
    const row = this.db
      .prepare('SELECT id, namespace, name, dimensions, last_put FROM cw_metrics WHERE account_id = ? AND region = ? AND namespace = ? AND name = ? AND dimensions = ?')
      .get(scope.accountId, scope.region, namespace, name, dimensionKey(dimensions)) as Row | undefined;
    return row && toMetric(row);
  }

  /** Datapoints of a metric with from <= ts < to. */
  samples(metricId: number, from: number, to: number): Sample[] {
    const rows = this.db
      .prepare('SELECT ts, unit, sample_count, sum, minimum, maximum, distribution FROM cw_datapoints WHERE metric_id = ? AND ts >= ? AND ts < ? ORDER BY ts')
      .all(metricId, from, to) as { ts: number; unit: string; sample_count: number; sum: number; minimum: number; maximum: number; distribution: string | null }[];
    return rows.map((r) => ({
      ts: r.ts,
      unit: r.unit,
      sampleCount: r.sample_count,
      sum: r.sum,
      minimum: r.minimum,
      maximum: r.maximum,
      ...(r.distribution ? { distribution: JSON.parse(r.distribution) as [number, number][] } : {}),
    }));
  }

  /** Metrics of a scope in a stable order (namespace, name, dimensions), optionally only those put since a time. */
  list(scope: Scope, filter: { namespace?: string; name?: string; since?: number }): MetricRow[] {
    const rows = this.db
      .prepare(
        `SELECT id, namespace, name, dimensions, last_put FROM cw_metrics WHERE account_id = @account AND region = @region
         AND (@namespace IS NULL OR namespace = @namespace) AND (@name IS NULL OR name = @name) AND last_put >= @since
         ORDER BY namespace, name, dimensions`,
      )
      .all({ account: scope.accountId, region: scope.region, namespace: filter.namespace ?? null, name: filter.name ?? null, since: filter.since ?? 0 }) as Row[];
    return rows.map(toMetric);
  }

  /** Deletes datapoints past CloudWatch's longest retention (455 days) and metrics left with none. */
  purge(before: number): number {
    const removed = this.db.prepare('DELETE FROM cw_datapoints WHERE ts < ?').run(before).changes;
    if (removed > 0) this.db.prepare('DELETE FROM cw_metrics WHERE id NOT IN (SELECT DISTINCT metric_id FROM cw_datapoints)').run();
    return removed;
  }
}
