import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { migrate, type Db, type Migration } from './store/db.js';

/** One unit of durable work: written before it runs, removed only once it has run. */
export interface Job<P = unknown> {
  id: number;
  kind: string;
  /** At most one pending job per key: enqueueing a key again replaces the pending job. */
  key: string | null;
  payload: P;
  runAt: number;
  /** Runs so far, including the one in progress. */
  attempts: number;
  createdAt: number;
}

export type JobHandler<P = unknown> = (job: Job<P>) => void | Promise<void>;

/** Thrown by a handler whose job can never succeed: the job ends as failed at once. */
export class PermanentJobFailure extends Error {}

/** Thrown by a handler that wants to run again at a time of its choosing. */
export class RetryJobAt extends Error {
  constructor(
    message: string,
    readonly runAt: number,
  ) {
    super(message);
  }
}

export interface EnqueueOptions<P> {
  kind: string;
  payload: P;
  /** Epoch milliseconds; now when omitted. */
  runAt?: number;
  key?: string;
  /** Keep an existing pending job of the same key instead of replacing it. */
  ifAbsent?: boolean;
  /** Attempts before an unexpected error ends the job as failed (handlers may retry on their own terms). */
  maxAttempts?: number;
}

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE scheduler_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        key TEXT UNIQUE,
        payload TEXT NOT NULL,
        run_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'failed')),
        version INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX scheduler_jobs_due ON scheduler_jobs (status, run_at);
    `,
  },
];

interface JobRow {
  id: number;
  kind: string;
  key: string | null;
  payload: string;
  run_at: number;
  attempts: number;
  max_attempts: number;
  version: number;
  created_at: number;
}

const BATCH = 50;
/** A tick never loops forever on work that keeps becoming due (a clock that does not move). */
const MAX_ROUNDS = 20;

/** Exponential back-off from one second, capped at five minutes. */
export function backoffMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 5 * 60_000);
}

/**
 * The one persisted job scheduler of a server: every service that needs work done later (event
 * delivery, schedules, builds) enqueues jobs here. Jobs live in the database, so a restart reloads
 * what was not finished; a job that was running when the process stopped runs again (at least
 * once). Time comes from the injected clock, and `tick()` runs everything due, so tests drive it
 * step by step instead of sleeping; a timer calls `tick()` while the server runs.
 */
export class Scheduler {
  private readonly handlers = new Map<string, JobHandler<any>>();
  private ticking: Promise<number> = Promise.resolve(0);
  private timer: NodeJS.Timeout | undefined;
  private kickPending = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly pollMs = 250,
  ) {
    migrate(db, 'core.scheduler', migrations);
    // Whatever was running when the previous process stopped did not finish: run it again.
    db.prepare("UPDATE scheduler_jobs SET status = 'pending' WHERE status = 'running'").run();
  }

  register<P>(kind: string, handler: JobHandler<P>): void {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} is already registered`);
    this.handlers.set(kind, handler as JobHandler<any>);
  }

  /** Writes a job (inside the caller's transaction, if any) and returns its id. */
  enqueue<P>(options: EnqueueOptions<P>): number {
    const now = this.clock.now().getTime();
    const runAt = options.runAt ?? now;
    const payload = JSON.stringify(options.payload);
    const maxAttempts = options.maxAttempts ?? 10;
    let id: number;
    if (options.key === undefined) {
      id = Number(
        this.db
          .prepare(
            "INSERT INTO scheduler_jobs (kind, key, payload, run_at, max_attempts, status, created_at, updated_at) VALUES (?, NULL, ?, ?, ?, 'pending', ?, ?)",
          )
          .run(options.kind, payload, runAt, maxAttempts, now, now).lastInsertRowid,
      );
    } else {
      const existing = this.db.prepare('SELECT id, status FROM scheduler_jobs WHERE key = ?').get(options.key) as
        | { id: number; status: string }
        | undefined;
      if (existing && options.ifAbsent && existing.status !== 'failed') return existing.id;
      if (existing) {
        // The version makes a running job that is replaced here leave the replacement alone when it ends.
        this.db
          .prepare(
            "UPDATE scheduler_jobs SET kind = ?, payload = ?, run_at = ?, attempts = 0, max_attempts = ?, status = 'pending', version = version + 1, last_error = NULL, updated_at = ? WHERE id = ?",
          )
          .run(options.kind, payload, runAt, maxAttempts, now, existing.id);
        id = existing.id;
      } else {
        id = Number(
          this.db
            .prepare(
              "INSERT INTO scheduler_jobs (kind, key, payload, run_at, max_attempts, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
            )
            .run(options.kind, options.key, payload, runAt, maxAttempts, now, now).lastInsertRowid,
        );
      }
    }
    if (runAt <= now) this.kick();
    return id;
  }

  /** Removes a pending job by key; a job already running finishes. */
  cancel(key: string): void {
    this.db.prepare("DELETE FROM scheduler_jobs WHERE key = ? AND status = 'pending'").run(key);
  }

  /** Jobs not yet finished, for tests and diagnostics. */
  pending(kind?: string): Job[] {
    const rows = (
      kind
        ? this.db.prepare("SELECT * FROM scheduler_jobs WHERE status != 'failed' AND kind = ? ORDER BY run_at, id").all(kind)
        : this.db.prepare("SELECT * FROM scheduler_jobs WHERE status != 'failed' ORDER BY run_at, id").all()
    ) as JobRow[];
    return rows.map(toJob);
  }

  /** Runs every job that is due by the clock, including jobs that become due while it runs. */
  tick(): Promise<number> {
    this.ticking = this.ticking.then(
      () => this.runDue(),
      () => this.runDue(),
    );
    return this.ticking;
  }

  /** Starts the timer (once per user; every user stops it once). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops the timer and waits for work in progress. */
  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    await this.ticking.catch(() => undefined);
  }

  private kick(): void {
    if (!this.timer || this.kickPending) return;
    this.kickPending = true;
    setImmediate(() => {
      this.kickPending = false;
      if (this.timer) void this.tick();
    });
  }

  private async runDue(): Promise<number> {
    let ran = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const kinds = [...this.handlers.keys()];
      if (kinds.length === 0) break;
      const now = this.clock.now().getTime();
      const due = this.db
        .prepare(
          `SELECT * FROM scheduler_jobs WHERE status = 'pending' AND run_at <= ? AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY run_at, id LIMIT ${BATCH}`,
        )
        .all(now, ...kinds) as JobRow[];
      if (due.length === 0) break;
      await Promise.all(due.map((row) => this.runOne(row)));
      ran += due.length;
    }
    return ran;
  }

  private async runOne(row: JobRow): Promise<void> {
    const claimed = this.db
      .prepare("UPDATE scheduler_jobs SET status = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ? AND version = ? AND status = 'pending'")
      .run(this.clock.now().getTime(), row.id, row.version);
    if (claimed.changes === 0) return;
    const job = toJob({ ...row, attempts: row.attempts + 1 });
    const handler = this.handlers.get(row.kind)!;
    try {
      await handler(job);
      this.db.prepare('DELETE FROM scheduler_jobs WHERE id = ? AND version = ?').run(row.id, row.version);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const now = this.clock.now().getTime();
      if (err instanceof RetryJobAt) {
        this.reschedule(row, Math.max(err.runAt, now + 1), message);
      } else if (err instanceof PermanentJobFailure || job.attempts >= row.max_attempts) {
        if (!(err instanceof PermanentJobFailure)) this.logger.warn({ err, kind: row.kind, jobId: row.id }, 'job failed for good');
        this.db
          .prepare("UPDATE scheduler_jobs SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ? AND version = ?")
          .run(message, now, row.id, row.version);
      } else {
        this.logger.warn({ err, kind: row.kind, jobId: row.id, attempt: job.attempts }, 'job failed, will retry');
        this.reschedule(row, now + backoffMs(job.attempts), message);
      }
    }
  }

  private reschedule(row: JobRow, runAt: number, error: string): void {
    this.db
      .prepare("UPDATE scheduler_jobs SET status = 'pending', run_at = ?, last_error = ?, updated_at = ? WHERE id = ? AND version = ?")
      .run(runAt, error, this.clock.now().getTime(), row.id, row.version);
  }
}

function toJob(row: JobRow): Job {
  return { id: row.id, kind: row.kind, key: row.key, payload: JSON.parse(row.payload), runAt: row.run_at, attempts: row.attempts, createdAt: row.created_at };
}
