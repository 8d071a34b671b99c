import type { Dimension, MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { ServiceDeps } from '../core/deps.js';
import { invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';
import { MetricStore, type Sample, type Scope } from './metric-store.js';
import { timestampMs } from './time.js';
import { bucketize, statistic, type Bucket } from './statistics.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** CloudWatch keeps datapoints 455 days (as hourly aggregates past 63 days). */
export const RETENTION_MS = 455 * DAY;

/** A metric as queries name it. */
export interface MetricRef {
  namespace: string;
  name: string;
  dimensions?: Dimension[];
}

/** Periods CloudWatch accepts: the high-resolution ones, or whole minutes. */
export function validPeriod(period: number): boolean {
  return [1, 5, 10, 20, 30].includes(period) || (period >= 60 && period % 60 === 0);
}

export function checkPeriod(period: number, member = 'Period'): void {
  if (!validPeriod(period)) throw invalidParameterValue(`The parameter ${member} must be a valid period: 1, 5, 10, 20, 30 or a multiple of 60.`);
}

/**
 * Data older than 3 hours exists only at one-minute resolution, older than 15 days at five
 * minutes and older than 63 days at one hour: a query for older data with a finer period gets none.
 */
export function retainedAt(period: number, start: number, now: number): boolean {
  const age = now - start;
  if (age > 63 * DAY) return period % 3600 === 0;
  if (age > 15 * DAY) return period % 300 === 0;
  if (age > 3 * HOUR) return period % 60 === 0;
  return true;
}

/** Turns one MetricDatum into stored samples, checking it as CloudWatch does. */
function toSample(d: MetricDatum, member: string, now: number): Sample {
  const value = d.Value !== undefined;
  const set = d.StatisticValues !== undefined;
  const values = d.Values !== undefined && d.Values.length > 0;
  if (value && set) throw invalidParameterCombination(`The parameters ${member}.Value and ${member}.StatisticValues are mutually exclusive and you have specified both.`);
  if (value && values) throw invalidParameterCombination(`The parameters ${member}.Value and ${member}.Values are mutually exclusive and you have specified both.`);
  if (set && values) throw invalidParameterCombination(`The parameters ${member}.StatisticValues and ${member}.Values are mutually exclusive and you have specified both.`);
  if (!value && !set && !values) throw missingParameter(`The parameter ${member}.Value is required.`);
  if (d.StorageResolution !== undefined && d.StorageResolution !== 1 && d.StorageResolution !== 60) {
    throw invalidParameterValue(`The parameter ${member}.StorageResolution must be a value in the set [ 1, 60 ].`);
  }
  const ts = d.Timestamp !== undefined ? timestampMs(d.Timestamp, `${member}.Timestamp`) : now;
  if (ts < now - 14 * DAY) throw invalidParameterValue(`The parameter ${member}.Timestamp must specify a time no more than two weeks in the past.`);
  if (ts > now + 2 * HOUR) throw invalidParameterValue(`The parameter ${member}.Timestamp must specify a time no more than two hours in the future.`);
  // Standard-resolution data is kept per minute, high-resolution data per second.
  const grain = d.StorageResolution === 1 ? 1000 : MINUTE;
  const base = { ts: Math.floor(ts / grain) * grain, unit: d.Unit ?? 'None' };
  const finite = (n: number, what: string) => {
    if (!Number.isFinite(n) || Math.abs(n) > 2 ** 360) throw invalidParameterValue(`The value ${n} for parameter ${member}.${what} is invalid.`);
    return n;
  };
  if (value) {
    const v = finite(d.Value!, 'Value');
    return { ...base, sampleCount: 1, sum: v, minimum: v, maximum: v };
  }
  if (set) {
    const s = d.StatisticValues!;
    if (s.SampleCount! <= 0) throw invalidParameterValue(`The parameter ${member}.StatisticValues.SampleCount must be greater than 0.`);
    if (s.Minimum! > s.Maximum!) throw invalidParameterValue(`The parameter ${member}.StatisticValues.Maximum must be greater than or equal to ${member}.StatisticValues.Minimum.`);
    return { ...base, sampleCount: finite(s.SampleCount!, 'StatisticValues.SampleCount'), sum: finite(s.Sum!, 'StatisticValues.Sum'), minimum: finite(s.Minimum!, 'StatisticValues.Minimum'), maximum: finite(s.Maximum!, 'StatisticValues.Maximum') };
  }
  const vals = d.Values!;
  const counts = d.Counts && d.Counts.length > 0 ? d.Counts : vals.map(() => 1);
  if (vals.length > 150) throw invalidParameterValue(`The collection ${member}.Values must not have a size greater than 150.`);
  if (counts.length !== vals.length) throw invalidParameterValue(`The parameters ${member}.Values and ${member}.Counts must be of the same size.`);
  const distribution = vals.map((v, i) => [finite(v, `Values.member.${i + 1}`), finite(counts[i], `Counts.member.${i + 1}`)] as [number, number]);
  return {
    ...base,
    sampleCount: distribution.reduce((n, [, c]) => n + c, 0),
    sum: distribution.reduce((n, [v, c]) => n + v * c, 0),
    minimum: Math.min(...vals),
    maximum: Math.max(...vals),
    distribution,
  };
}

/** Metric storage and the bucketed reads every query (statistics, metric data, alarms) shares. */
export class Metrics {
  readonly store: MetricStore;

  constructor(private readonly deps: ServiceDeps) {
    this.store = new MetricStore(deps.db);
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** Checks every datum first, then writes them all in one transaction: a request is stored whole or not at all. */
  put(scope: Scope, namespace: string, data: MetricDatum[]): void {
    const now = this.now();
    const samples = data.map((d, i) => toSample(d, `MetricData.member.${i + 1}`, now));
    this.deps.db.transaction(() => {
      data.forEach((d, i) => this.store.put(scope, namespace, d.MetricName!, d.Dimensions, [samples[i]], now));
    })();
  }

  /** A service's own datapoint (AWS/ namespaces are written here, never through PutMetricData). */
  record(scope: Scope, namespace: string, name: string, dimensions: Dimension[], value: number, unit: string): void {
    const now = this.now();
    const ts = Math.floor(now / MINUTE) * MINUTE;
    this.store.put(scope, namespace, name, dimensions, [{ ts, unit, sampleCount: 1, sum: value, minimum: value, maximum: value }], now);
  }

  /** Buckets of a metric over [from, to), periods counted from `origin`, optionally of one unit only. */
  buckets(scope: Scope, ref: MetricRef, from: number, to: number, periodSeconds: number, options: { origin?: number; unit?: string } = {}): Bucket[] {
    const metric = this.store.find(scope, ref.namespace, ref.name, ref.dimensions);
    if (!metric || !retainedAt(periodSeconds, from, this.now())) return [];
    const samples = this.store.samples(metric.id, from, to).filter((s) => options.unit === undefined || s.unit === options.unit);
    return [...bucketize(samples, options.origin ?? 0, periodSeconds * 1000).values()].sort((a, b) => a.start - b.start);
  }

  /** A statistic per bucket: the time series a metric query or an alarm sees. */
  series(scope: Scope, ref: MetricRef, from: number, to: number, periodSeconds: number, stat: string, options: { origin?: number; unit?: string } = {}): Map<number, number> {
    const out = new Map<number, number>();
    for (const b of this.buckets(scope, ref, from, to, periodSeconds, options)) {
      const v = statistic(b, stat);
      if (v !== undefined) out.set(b.start, v);
    }
    return out;
  }
}
