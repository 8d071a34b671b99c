import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PermanentJobFailure, RetryJobAt, Scheduler } from '../../src/core/scheduler.js';
import { openDatabase } from '../../src/core/store/db.js';
import { parseSchedule } from '../../src/events/schedule.js';
import { FakeClock, MINUTE } from '../logs/helpers.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const next = (expression: string, after: string, anchor = after) => iso(parseSchedule(expression)?.next(at(after), at(anchor)));

describe('schedule expressions', () => {
  it('rate: singular for 1, plural otherwise, ticking from when the schedule was set', () => {
    expect(next('rate(5 minutes)', '2026-01-01T00:07:00.000Z', '2026-01-01T00:00:30.000Z')).toBe('2026-01-01T00:10:30.000Z');
    expect(next('rate(1 hour)', '2026-01-01T00:00:00.000Z')).toBe('2026-01-01T01:00:00.000Z');
    expect(next('rate(2 days)', '2026-01-01T00:00:00.000Z')).toBe('2026-01-03T00:00:00.000Z');
    for (const bad of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'rate(5 weeks)', 'rate(-1 minutes)', 'rate(5minutes)']) {
      expect(parseSchedule(bad), bad).toBeUndefined();
    }
  });

  it('cron: the AWS documentation examples, in UTC', () => {
    // 10:15 every day
    expect(next('cron(15 10 * * ? *)', '2026-03-04T11:00:00.000Z')).toBe('2026-03-05T10:15:00.000Z');
    // 18:00 Monday to Friday
    expect(next('cron(0 18 ? * MON-FRI *)', '2026-03-06T18:00:00.000Z')).toBe('2026-03-09T18:00:00.000Z');
    // 08:00 on the first day of the month
    expect(next('cron(0 8 1 * ? *)', '2026-03-04T00:00:00.000Z')).toBe('2026-04-01T08:00:00.000Z');
    // every 10 minutes, weekdays
    expect(next('cron(0/10 * ? * MON-FRI *)', '2026-03-04T12:01:00.000Z')).toBe('2026-03-04T12:10:00.000Z');
    // every 5 minutes between 08:00 and 17:55 on weekdays
    expect(next('cron(0/5 8-17 ? * MON-FRI *)', '2026-03-06T17:55:00.000Z')).toBe('2026-03-09T08:00:00.000Z');
    // 09:00 on the first Monday of the month
    expect(next('cron(0 9 ? * 2#1 *)', '2026-03-04T00:00:00.000Z')).toBe('2026-04-06T09:00:00.000Z');
    // last day of the month, last Friday, nearest weekday
    expect(next('cron(0 0 L * ? *)', '2026-02-01T00:00:00.000Z')).toBe('2026-02-28T00:00:00.000Z');
    expect(next('cron(0 0 ? * 6L *)', '2026-02-01T00:00:00.000Z')).toBe('2026-02-27T00:00:00.000Z');
    expect(next('cron(0 0 15W * ? *)', '2026-02-01T00:00:00.000Z')).toBe('2026-02-16T00:00:00.000Z');
    // a year that has passed never fires again
    expect(next('cron(0 0 1 1 ? 2020)', '2026-01-01T00:00:00.000Z')).toBeUndefined();
  });

  it('cron: refuses what AWS refuses', () => {
    for (const bad of ['cron(0 18 * * MON-FRI *)', 'cron(7 20 * * 1-7 *)', 'cron(0 18 ? * ? *)', 'cron(15 12 * * 0)', 'cron(60 * * * ? *)', 'cron(0 24 * * ? *)', 'cron(0 0 ? * 8 *)', 'cron(* * * 13 ? *)']) {
      expect(parseSchedule(bad), bad).toBeUndefined();
    }
  });
});

describe('the job scheduler', () => {
  const setup = () => {
    const db = openDatabase(undefined);
    const clock = new FakeClock(at('2026-01-01T00:00:00.000Z'));
    return { db, clock, scheduler: new Scheduler(db, clock, pino({ level: 'silent' })) };
  };

  it('runs jobs when the clock says they are due, not before', async () => {
    const { scheduler, clock } = setup();
    const ran: string[] = [];
    scheduler.register<{ name: string }>('say', (job) => void ran.push(job.payload.name));
    scheduler.enqueue({ kind: 'say', payload: { name: 'now' } });
    scheduler.enqueue({ kind: 'say', payload: { name: 'later' }, runAt: clock.ms + MINUTE });
    expect(await scheduler.tick()).toBe(1);
    expect(ran).toEqual(['now']);
    clock.advance(MINUTE);
    await scheduler.tick();
    expect(ran).toEqual(['now', 'later']);
    expect(scheduler.pending()).toEqual([]);
  });

  it('retries with back-off, honours RetryJobAt and PermanentJobFailure', async () => {
    const { scheduler, clock, db } = setup();
    let calls = 0;
    scheduler.register('flaky', () => {
      calls++;
      if (calls < 3) throw new Error('not yet');
    });
    scheduler.register('later', (job) => {
      if (job.attempts === 1) throw new RetryJobAt('wait an hour', clock.ms + 60 * MINUTE);
    });
    scheduler.register('broken', () => {
      throw new PermanentJobFailure('never');
    });
    scheduler.enqueue({ kind: 'flaky', payload: {} });
    scheduler.enqueue({ kind: 'later', payload: {} });
    scheduler.enqueue({ kind: 'broken', payload: {} });
    await scheduler.tick();
    expect(calls).toBe(1);
    clock.advance(1000);
    await scheduler.tick();
    expect(calls).toBe(2);
    clock.advance(2000);
    await scheduler.tick();
    expect(calls).toBe(3);
    expect(scheduler.pending().map((j) => j.kind)).toEqual(['later']);
    clock.advance(60 * MINUTE);
    await scheduler.tick();
    expect(scheduler.pending()).toEqual([]);
    expect(db.prepare("SELECT kind, last_error FROM scheduler_jobs WHERE status = 'failed'").all()).toEqual([{ kind: 'broken', last_error: 'never' }]);
  });

  it('keeps one pending job per key, and a job that re-enqueues its own key is not lost', async () => {
    const { scheduler, clock } = setup();
    let fired = 0;
    scheduler.register('tick', () => {
      fired++;
      scheduler.enqueue({ kind: 'tick', key: 'clock', payload: {}, runAt: clock.ms + MINUTE });
    });
    scheduler.enqueue({ kind: 'tick', key: 'clock', payload: {}, runAt: clock.ms + MINUTE });
    scheduler.enqueue({ kind: 'tick', key: 'clock', payload: {}, runAt: clock.ms + MINUTE, ifAbsent: true });
    expect(scheduler.pending()).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      clock.advance(MINUTE);
      await scheduler.tick();
    }
    expect(fired).toBe(3);
    expect(scheduler.pending()).toHaveLength(1);
    scheduler.cancel('clock');
    expect(scheduler.pending()).toHaveLength(0);
  });

  it('reloads unfinished work after a restart: a job that was running runs again', async () => {
    const { db, clock } = setup();
    const first = new Scheduler(db, clock, pino({ level: 'silent' }));
    first.enqueue({ kind: 'work', payload: { n: 1 } });
    // The process died while the job ran.
    db.prepare("UPDATE scheduler_jobs SET status = 'running', attempts = 1").run();
    const second = new Scheduler(db, clock, pino({ level: 'silent' }));
    const seen: number[] = [];
    second.register<{ n: number }>('work', (job) => {
      seen.push(job.attempts);
    });
    await second.tick();
    expect(seen).toEqual([2]);
    expect(second.pending()).toEqual([]);
  });
});
