import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { CallerIdentity } from './context.js';
import { isAwsError } from './errors.js';
import { backoffMs, PermanentJobFailure, RetryJobAt, type Scheduler } from './scheduler.js';
import { migrate, type Db, type Migration } from './store/db.js';

/**
 * One message for one target ARN. Senders (EventBridge targets, SNS subscriptions, CodeCommit and
 * CodeDeploy triggers, notification rules, Lambda destinations, alarm actions) describe what they
 * send and as whom; the receiving service decides, weighing its resource policy, and acts.
 */
export interface Delivery {
  /** What receives it: a function, topic, queue, project, pipeline, log group or bus ARN. */
  targetArn: string;
  /** The body as the receiver gets it (an event's JSON, an SNS envelope, a trigger's record). */
  message: string;
  /** The AWS service principal that delivers (`events.amazonaws.com`), for the receiver's resource policy. */
  sourceService: string;
  /** The sending resource (the rule, the topic, the repository): `aws:SourceArn`. */
  sourceArn: string;
  /** The sender's account: `aws:SourceAccount`. */
  sourceAccount: string;
  /**
   * The role the sender acts as, where AWS has it assume one (an EventBridge target's RoleArn
   * starting a build): the receiver authorizes this caller's identity policies as well.
   */
  role?: CallerIdentity;
  /** Receiver-specific details: SNS message attributes and subject, an SQS message group id... */
  attributes?: Record<string, unknown>;
}

export interface DeliveryOutcome {
  ok: boolean;
  /** A failure worth another attempt (the receiver is missing for now, throttled, down). */
  retryable: boolean;
  /** One readable sentence for the delivery record. */
  detail: string;
}

export const delivered = (detail: string): DeliveryOutcome => ({ ok: true, retryable: false, detail });
export const retryLater = (detail: string): DeliveryOutcome => ({ ok: false, retryable: true, detail });
export const giveUp = (detail: string): DeliveryOutcome => ({ ok: false, retryable: false, detail });

/** A service's way of receiving the ARNs it owns. */
export interface Receiver {
  /** For messages: `lambda`, `sns`. */
  service: string;
  accepts: (targetArn: string) => boolean;
  receive: (delivery: Delivery) => Promise<DeliveryOutcome>;
}

/** How long a persisted delivery keeps trying. */
export interface RetryPolicy {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  /** Where a delivery that failed for good goes instead (an SNS subscription's RedrivePolicy queue): the same message, from the same source. */
  deadLetterArn?: string;
}

export interface DeliveryRecord {
  id: number;
  sender: string;
  sourceArn: string;
  targetArn: string;
  /** The body as the receiver gets it, so a lab can read what was sent. */
  message: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  attempts: number;
  detail: string;
  createdAt: number;
  updatedAt: number;
}

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE core_deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sender TEXT NOT NULL,
        source_arn TEXT NOT NULL,
        target_arn TEXT NOT NULL,
        delivery TEXT NOT NULL,
        policy TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        attempts INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX core_deliveries_source ON core_deliveries (source_arn, id);
      CREATE INDEX core_deliveries_target ON core_deliveries (target_arn, id);
    `,
  },
];

const DELIVERY_JOB = 'core.delivery';
/** Records kept per database: the oldest finished ones go first. */
const KEEP_RECORDS = 10_000;

interface Row {
  id: number;
  sender: string;
  source_arn: string;
  target_arn: string;
  delivery: string;
  policy: string;
  status: DeliveryRecord['status'];
  attempts: number;
  detail: string;
  created_at: number;
  updated_at: number;
}

/**
 * Maps a target ARN to the service that receives it, so no sender imports a receiver. `attempt`
 * tries once now; `enqueue` persists the delivery, retries it on the scheduler with back-off within
 * its policy, and keeps a record of how it went (`GET /_codesuite/deliveries`).
 */
export class DeliveryRegistry {
  private readonly receivers: Receiver[] = [];

  constructor(
    private readonly db: Db,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    migrate(db, 'core.delivery', migrations);
    scheduler.register<{ id: number }>(DELIVERY_JOB, (job) => this.run(job.payload.id, job.attempts));
  }

  register(receiver: Receiver): void {
    this.receivers.push(receiver);
  }

  receiverFor(targetArn: string): Receiver | undefined {
    return this.receivers.find((r) => r.accepts(targetArn));
  }

  /** One attempt, now. An AWS error from the receiver is a failure worth retrying; anything else is a bug and is thrown. */
  async attempt(delivery: Delivery): Promise<DeliveryOutcome> {
    const receiver = this.receiverFor(delivery.targetArn);
    if (!receiver) {
      const service = delivery.targetArn.split(':')[2] || 'this kind of';
      return giveUp(`Not delivered: codesuite cannot deliver to ${service} targets (${delivery.targetArn}).`);
    }
    try {
      return await receiver.receive(delivery);
    } catch (err) {
      if (isAwsError(err)) return retryLater(`${err.code}: ${err.message}`);
      throw err;
    }
  }

  /** Persists a delivery (inside the caller's transaction, if any) and schedules its first attempt. */
  enqueue(sender: string, delivery: Delivery, policy: RetryPolicy, runAt?: number): number {
    const now = this.clock.now().getTime();
    const id = Number(
      this.db
        .prepare(
          "INSERT INTO core_deliveries (sender, source_arn, target_arn, delivery, policy, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?)",
        )
        .run(sender, delivery.sourceArn, delivery.targetArn, JSON.stringify(delivery), JSON.stringify(policy), now, now).lastInsertRowid,
    );
    this.scheduler.enqueue({ kind: DELIVERY_JOB, payload: { id }, runAt, maxAttempts: 1_000_000 });
    this.db.prepare("DELETE FROM core_deliveries WHERE status != 'PENDING' AND id <= ?").run(id - KEEP_RECORDS);
    return id;
  }

  record(id: number): DeliveryRecord | undefined {
    const row = this.db.prepare('SELECT * FROM core_deliveries WHERE id = ?').get(id) as Row | undefined;
    return row && view(row);
  }

  /** Newest first, optionally only those from one sender resource or to one target. */
  records(filter: { sourceArn?: string; targetArn?: string; limit?: number } = {}): DeliveryRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.sourceArn) (where.push('source_arn = ?'), args.push(filter.sourceArn));
    if (filter.targetArn) (where.push('target_arn = ?'), args.push(filter.targetArn));
    const sql = `SELECT * FROM core_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, Math.min(filter.limit ?? 100, 1000)) as Row[]).map(view);
  }

  private async run(id: number, attempts: number): Promise<void> {
    const row = this.db.prepare('SELECT * FROM core_deliveries WHERE id = ?').get(id) as Row | undefined;
    if (!row || row.status !== 'PENDING') return;
    const delivery = JSON.parse(row.delivery) as Delivery;
    const policy = JSON.parse(row.policy) as RetryPolicy;
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.attempt(delivery);
    } catch (err) {
      this.logger.error({ err, targetArn: delivery.targetArn }, 'delivery receiver failed');
      outcome = retryLater(`Unexpected error: ${(err as Error).message}`);
    }
    const now = this.clock.now().getTime();
    const save = (status: Row['status'], detail: string) =>
      this.db.prepare('UPDATE core_deliveries SET status = ?, attempts = ?, detail = ?, updated_at = ? WHERE id = ?').run(status, attempts, detail, now, id);
    if (outcome.ok) {
      save('SUCCEEDED', outcome.detail);
      return;
    }
    const next = now + backoffMs(attempts);
    let final: string | undefined;
    if (!outcome.retryable) final = outcome.detail;
    else if (attempts - 1 >= policy.maximumRetryAttempts) final = `${outcome.detail} Gave up after ${attempts} attempt(s).`;
    else if (next - row.created_at > policy.maximumEventAgeSeconds * 1000) final = `${outcome.detail} Gave up: older than ${policy.maximumEventAgeSeconds} seconds.`;
    if (final) {
      if (policy.deadLetterArn) {
        const dlq = this.enqueue(row.sender, { ...delivery, targetArn: policy.deadLetterArn }, { maximumRetryAttempts: policy.maximumRetryAttempts, maximumEventAgeSeconds: policy.maximumEventAgeSeconds });
        final = `${final} Sent to the dead-letter target ${policy.deadLetterArn} (delivery ${dlq}).`;
      }
      save('FAILED', final);
      throw new PermanentJobFailure(final);
    }
    save('PENDING', `${outcome.detail} Next attempt at ${new Date(next).toISOString()}.`);
    throw new RetryJobAt(outcome.detail, next);
  }
}

function view(row: Row): DeliveryRecord {
  return {
    id: row.id,
    sender: row.sender,
    sourceArn: row.source_arn,
    targetArn: row.target_arn,
    message: (JSON.parse(row.delivery) as Delivery).message,
    status: row.status,
    attempts: row.attempts,
    detail: row.detail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
