import type { Sample } from './metric-store.js';

/** The samples of one period, merged. */
export interface Bucket {
  start: number;
  unit: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** Raw values with counts; statistic sets carry none (they have no distribution). */
  values: [number, number][];
}

/** Groups samples into periods of `periodMs` counted from `origin` (the epoch for queries, the evaluation time for alarms). */
export function bucketize(samples: Sample[], origin: number, periodMs: number): Map<number, Bucket> {
  const buckets = new Map<number, Bucket>();
  for (const s of samples) {
    const start = origin + Math.floor((s.ts - origin) / periodMs) * periodMs;
    let b = buckets.get(start);
    if (!b) {
      b = { start, unit: s.unit, sampleCount: 0, sum: 0, minimum: Infinity, maximum: -Infinity, values: [] };
      buckets.set(start, b);
    }
    b.sampleCount += s.sampleCount;
    b.sum += s.sum;
    b.minimum = Math.min(b.minimum, s.minimum);
    b.maximum = Math.max(b.maximum, s.maximum);
    if (s.distribution) b.values.push(...s.distribution);
    else if (s.sampleCount === 1) b.values.push([s.sum, 1]);
  }
  return buckets;
}

export const SIMPLE_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

/** `p99`, `p99.9`, `tm90`, `tm(10%:90%)`: the extended statistics codesuite computes. */
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,2})?|100)$/;
const TRIMMED = /^tm(\d{1,2}(?:\.\d{1,2})?|100)$/;
const TRIMMED_RANGE = /^tm\((\d{1,2}(?:\.\d{1,2})?|100)?%:(\d{1,2}(?:\.\d{1,2})?|100)?%\)$/i;

export function isExtendedStatistic(stat: string): boolean {
  return PERCENTILE.test(stat) || TRIMMED.test(stat) || TRIMMED_RANGE.test(stat);
}

export function isStatistic(stat: string): boolean {
  return (SIMPLE_STATISTICS as readonly string[]).includes(stat) || isExtendedStatistic(stat);
}

function sorted(values: [number, number][]): [number, number][] {
  return [...values].sort((a, b) => a[0] - b[0]);
}

/** Nearest-rank percentile over the weighted values. */
function percentile(values: [number, number][], p: number): number | undefined {
  const all = sorted(values);
  const total = all.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [v, c] of all) {
    seen += c;
    if (seen >= rank) return v;
  }
  return all.at(-1)![0];
}

/** Mean of the values between two percentiles (bounds inclusive of the lower, exclusive of the upper). */
function trimmedMean(values: [number, number][], low: number, high: number): number | undefined {
  const lo = percentile(values, low) ?? -Infinity;
  const hi = percentile(values, high);
  if (hi === undefined) return undefined;
  let sum = 0;
  let count = 0;
  for (const [v, c] of values) {
    if ((low === 0 ? v >= lo : v > lo) && v <= hi) {
      sum += v * c;
      count += c;
    }
  }
  return count === 0 ? undefined : sum / count;
}

/** One statistic of a bucket, or undefined where the bucket cannot say (a percentile of statistic sets only). */
export function statistic(b: Bucket, stat: string): number | undefined {
  switch (stat) {
    case 'SampleCount':
      return b.sampleCount;
    case 'Sum':
      return b.sum;
    case 'Average':
      return b.sampleCount === 0 ? undefined : b.sum / b.sampleCount;
    case 'Minimum':
      return b.minimum;
    case 'Maximum':
      return b.maximum;
  }
  let m = PERCENTILE.exec(stat);
  if (m) return percentile(b.values, Number(m[1]));
  m = TRIMMED.exec(stat);
  if (m) return trimmedMean(b.values, 0, Number(m[1]));
  m = TRIMMED_RANGE.exec(stat);
  if (m) return trimmedMean(b.values, Number(m[1] ?? 0), Number(m[2] ?? 100));
  return undefined;
}
