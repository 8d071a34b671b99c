import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { invalidParameterValue } from './errors.js';
import { evaluate, MathError, parseExpression, referencedIds, type MathValue, type Series } from './metric-math.js';
import { checkPeriod, type Metrics } from './metrics.js';
import type { Scope } from './metric-store.js';
import { isStatistic } from './statistics.js';

export interface QueryResult {
  query: MetricDataQuery;
  label: string;
  value: MathValue;
}

/** Checks a set of metric data queries as CloudWatch does before running any of them. */
export function checkQueries(queries: MetricDataQuery[], member = 'MetricDataQueries'): void {
  if (queries.length > 500) throw invalidParameterValue(`The collection ${member} must not have a size greater than 500.`);
  const ids = new Set<string>();
  queries.forEach((q, i) => {
    const at = `${member}.member.${i + 1}`;
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id!)) throw invalidParameterValue(`The value ${q.Id} for parameter ${at}.Id is invalid. It must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(q.Id!)) throw invalidParameterValue(`The value ${q.Id} for parameter ${at}.Id is not unique.`);
    ids.add(q.Id!);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) throw invalidParameterValue(`The parameter ${at} must contain either MetricStat or Expression, but not both.`);
    if (q.MetricStat) {
      checkPeriod(q.MetricStat.Period!, `${at}.MetricStat.Period`);
      if (!isStatistic(q.MetricStat.Stat!)) throw invalidParameterValue(`The value ${q.MetricStat.Stat} for parameter ${at}.MetricStat.Stat is not supported.`);
    }
    if (q.Period !== undefined) checkPeriod(q.Period, `${at}.Period`);
  });
  if (!queries.some((q) => q.ReturnData !== false)) throw invalidParameterValue(`At least one of the ${member} must have ReturnData set to true.`);
}

/** The period an expression is evaluated at: its own, else the finest of the metrics it reads. */
function periodOf(q: MetricDataQuery, queries: MetricDataQuery[]): number {
  return q.MetricStat?.Period ?? q.Period ?? Math.min(60, ...queries.flatMap((o) => (o.MetricStat ? [o.MetricStat.Period!] : [])));
}

/**
 * Runs metric and expression queries over [from, to), periods counted from `origin`: metrics are
 * read from the store, expressions evaluated once their ids are known (cycles are refused).
 */
export function runQueries(metrics: Metrics, scope: Scope, queries: MetricDataQuery[], from: number, to: number, origin = 0): QueryResult[] {
  const byId = new Map(queries.map((q) => [q.Id!, q]));
  const values = new Map<string, MathValue>();
  const evaluating = new Set<string>();
  const metricSeries = (q: MetricDataQuery): Series => {
    const stat = q.MetricStat!;
    const points = metrics.series(
      scope,
      { namespace: stat.Metric!.Namespace!, name: stat.Metric!.MetricName!, dimensions: stat.Metric!.Dimensions },
      from,
      to,
      stat.Period!,
      stat.Stat!,
      { origin, unit: stat.Unit },
    );
    return { id: q.Id!, label: q.Label ?? stat.Metric!.MetricName!, points };
  };
  const valueOf = (id: string): MathValue => {
    const known = values.get(id);
    if (known) return known;
    const q = byId.get(id);
    if (!q) throw new MathError(`Unrecognized identifier ${id}`);
    if (evaluating.has(id)) throw new MathError(`Circular dependency on ${id}`);
    evaluating.add(id);
    let value: MathValue;
    if (q.MetricStat) value = { kind: 'series', s: metricSeries(q) };
    else {
      const period = periodOf(q, queries);
      const start = origin + Math.floor((from - origin) / (period * 1000)) * period * 1000;
      const grid: number[] = [];
      for (let t = start; t < to; t += period * 1000) grid.push(t);
      try {
        const node = parseExpression(q.Expression!);
        for (const ref of referencedIds(node)) if (!byId.has(ref) && !['REPEAT', 'LINEAR'].includes(ref.toUpperCase())) throw new MathError(`Unrecognized identifier ${ref}`);
        value = evaluate(node, {
          grid,
          periodSeconds: period,
          resolve: valueOf,
          metrics: () => queries.filter((o) => o.MetricStat).map((o) => (valueOf(o.Id!) as { s: Series }).s),
        });
      } catch (err) {
        if (err instanceof MathError) throw invalidParameterValue(`Error in expression ${q.Id}: ${err.message}`);
        throw err;
      }
      // A scalar result is drawn across the whole range.
      if (value.kind === 'scalar') value = { kind: 'series', s: { id: q.Id!, label: q.Id!, points: new Map(grid.map((t) => [t, (value as { v: number }).v])) } };
    }
    evaluating.delete(id);
    values.set(id, value);
    return value;
  };
  return queries.map((q) => {
    const value = valueOf(q.Id!);
    return { query: q, label: q.Label ?? (q.MetricStat ? q.MetricStat.Metric!.MetricName! : q.Id!), value };
  });
}
