/**
 * Minimum healthy hosts, as the reference (§2) works it out from AWS's documented examples: M
 * instances must stay healthy, so at most N − M − failed run at once; a failure while instances
 * remain fails the deployment once N − failed ≤ M; at the end it succeeded iff at least max(M, 1)
 * instances did. OneAtATime is M = N − 1: one at a time, any failure but the last one fails it.
 */
export interface MinimumHealthy {
  type: string;
  value: number;
}

/** M for N instances, or `invalid` when the constraint cannot be met even before starting. */
export function minimumHealthyCount(rule: MinimumHealthy, n: number): number | 'invalid' {
  if (rule.type === 'MOST_CONCURRENCY') return Math.max(n - 1, 0);
  const m = rule.type === 'FLEET_PERCENT' ? Math.ceil((n * rule.value) / 100) : rule.value;
  return m >= n ? 'invalid' : m;
}

export interface Counts {
  total: number;
  pending: number;
  inProgress: number;
  succeeded: number;
  failed: number;
}

export type Verdict = { kind: 'start'; count: number } | { kind: 'succeeded' } | { kind: 'failed' };

/** What a deployment does next, given how its instances stand and M. */
export function nextStep(c: Counts, m: number): Verdict {
  if (c.failed > 0 && c.pending > 0 && c.total - c.failed <= m) return { kind: 'failed' };
  if (c.pending === 0 && c.inProgress === 0) return c.succeeded >= Math.max(m, 1) ? { kind: 'succeeded' } : { kind: 'failed' };
  const healthy = c.total - c.failed - c.inProgress;
  return { kind: 'start', count: Math.max(0, Math.min(c.pending, healthy - m)) };
}
