import { describe, expect, it } from 'vitest';
import { minimumHealthyCount, nextStep, type Counts } from '../../src/codedeploy/health.js';

const ONE = { type: 'MOST_CONCURRENCY', value: 1 };
const HALF = { type: 'FLEET_PERCENT', value: 50 };
const ALL = { type: 'HOST_COUNT', value: 0 };

/** Runs a deployment of N instances to the end; `fails` are the (1-based) start positions that fail. */
function simulate(rule: { type: string; value: number }, n: number, fails: number[] = []): { result: string; maxConcurrent: number; started: number } {
  const m = minimumHealthyCount(rule, n);
  if (m === 'invalid') return { result: 'invalid', maxConcurrent: 0, started: 0 };
  const c: Counts = { total: n, pending: n, inProgress: 0, succeeded: 0, failed: 0 };
  let started = 0;
  let maxConcurrent = 0;
  const running: number[] = [];
  for (;;) {
    const step = nextStep(c, m);
    if (step.kind !== 'start') return { result: step.kind, maxConcurrent, started };
    for (let i = 0; i < step.count; i++) {
      running.push(++started);
      c.pending--;
      c.inProgress++;
    }
    maxConcurrent = Math.max(maxConcurrent, c.inProgress);
    // The oldest instance in progress finishes next.
    const done = running.shift()!;
    c.inProgress--;
    if (fails.includes(done)) c.failed++;
    else c.succeeded++;
  }
}

describe('minimum healthy hosts (reference §2)', () => {
  it('OneAtATime deploys one at a time and tolerates a failure on the last instance only', () => {
    for (let n = 1; n <= 10; n++) {
      expect(simulate(ONE, n)).toEqual({ result: 'succeeded', maxConcurrent: 1, started: n });
      if (n > 1) expect(simulate(ONE, n, [n]).result).toBe('succeeded');
      expect(simulate(ONE, n, [1])).toMatchObject({ result: 'failed', started: 1 });
    }
    expect(simulate(ONE, 1, [1]).result).toBe('failed');
  });

  it('HalfAtATime deploys floor(N/2) at a time and needs ceil(N/2) successes; one instance is invalid', () => {
    expect(simulate(HALF, 1).result).toBe('invalid');
    for (let n = 2; n <= 10; n++) {
      const r = simulate(HALF, n);
      expect(r).toEqual({ result: 'succeeded', maxConcurrent: Math.floor(n / 2), started: n });
      expect(minimumHealthyCount(HALF, n)).toBe(Math.ceil(n / 2));
    }
    // N=4: M=2, two at a time; one failure in the first pair leaves one slot: the deployment goes on.
    expect(simulate(HALF, 4, [1]).result).toBe('succeeded');
    // Two failures leave N − failed = 2 ≤ M while instances remain: fail fast.
    expect(simulate(HALF, 4, [1, 2])).toMatchObject({ result: 'failed', started: 2 });
  });

  it('AllAtOnce deploys everything at once and needs one success', () => {
    for (let n = 1; n <= 10; n++) {
      expect(simulate(ALL, n)).toEqual({ result: 'succeeded', maxConcurrent: n, started: n });
      const allButOne = Array.from({ length: n - 1 }, (_, i) => i + 1);
      expect(simulate(ALL, n, allButOne).result).toBe('succeeded');
    }
    expect(simulate(ALL, 3, [1, 2, 3]).result).toBe('failed');
  });

  it('custom HOST_COUNT and FLEET_PERCENT follow the documented nine-instance examples', () => {
    expect(simulate({ type: 'HOST_COUNT', value: 6 }, 9)).toEqual({ result: 'succeeded', maxConcurrent: 3, started: 9 });
    expect(minimumHealthyCount({ type: 'FLEET_PERCENT', value: 40 }, 9)).toBe(4);
    expect(simulate({ type: 'FLEET_PERCENT', value: 40 }, 9).maxConcurrent).toBe(5);
    expect(simulate({ type: 'HOST_COUNT', value: 6 }, 9, [1, 2, 3, 4]).result).toBe('failed');
    // 95% of 10 is 10 instances: the constraint can never be met.
    expect(minimumHealthyCount({ type: 'FLEET_PERCENT', value: 95 }, 10)).toBe('invalid');
    expect(minimumHealthyCount({ type: 'HOST_COUNT', value: 3 }, 3)).toBe('invalid');
    for (let n = 1; n <= 10; n++) {
      for (let v = 0; v < n; v++) expect(simulate({ type: 'HOST_COUNT', value: v }, n).maxConcurrent).toBe(n - v);
    }
  });

  it('N=10 checks: M=8 runs two at a time; two failures fail unless the second is the last', () => {
    const m8 = { type: 'HOST_COUNT', value: 8 };
    expect(simulate(m8, 10).maxConcurrent).toBe(2);
    expect(simulate(m8, 10, [1, 3]).result).toBe('failed');
    expect(simulate(m8, 10, [1, 10]).result).toBe('succeeded');
  });
});
