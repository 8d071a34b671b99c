import { randomBytes } from 'node:crypto';
import type { Db } from '../core/store/db.js';
import { md5Hex, md5OfAttributes, type AttributeValue } from './md5.js';
import { redrivePolicy, seconds, type Queue, type Queues } from './queues.js';
import type { Waiters } from './waiters.js';

export interface MessageRow {
  seq: number;
  queue_id: number;
  message_id: string;
  body: string;
  md5_body: string;
  message_attributes: string | null;
  md5_attributes: string | null;
  trace_header: string | null;
  md5_system_attributes: string | null;
  group_id: string | null;
  dedup_id: string | null;
  sequence_number: string | null;
  sender_id: string;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_receive_at: number | null;
  receipt_handle: string | null;
  dead_letter_source_arn: string | null;
}

/** A message on its way in, checked by the operation that sends it. */
export interface Outgoing {
  body: string;
  attributes: Record<string, AttributeValue>;
  traceHeader?: string;
  delaySeconds?: number;
  groupId?: string;
  dedupId?: string;
  senderId: string;
}

export interface Sent {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

/** FIFO deduplication window. */
const DEDUP_MS = 5 * 60_000;
/** How long a ReceiveRequestAttemptId answers with the same batch. */
const ATTEMPT_MS = 5 * 60_000;

/** Stored attributes: binary values as base64 in JSON. */
type StoredAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

export function storedAttributes(row: MessageRow): Record<string, AttributeValue> {
  const stored = row.message_attributes ? (JSON.parse(row.message_attributes) as StoredAttributes) : {};
  return Object.fromEntries(
    Object.entries(stored).map(([k, v]) => [
      k,
      { DataType: v.DataType, ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}), ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue, 'base64') } : {}) },
    ]),
  );
}

const newHandle = (queue: Queue, messageId: string) =>
  Buffer.from(`${queue.arn} ${messageId} ${randomBytes(24).toString('hex')}`, 'utf8').toString('base64');

/** Whether a receipt handle has the shape this server hands out (not whether it is current). */
export function wellFormedHandle(handle: string): boolean {
  if (!/^[A-Za-z0-9+/]+=*$/.test(handle)) return false;
  return /^arn:\S+ \S+ [0-9a-f]{48}$/.test(Buffer.from(handle, 'base64').toString('utf8'));
}

/**
 * The messages of every queue, in SQLite: a send is committed before it is acknowledged, and a
 * receive commits its new receipt handle and visibility before it answers, so a restart loses
 * nothing acknowledged and redelivers only what was in flight.
 */
export class Messages {
  constructor(
    private readonly db: Db,
    private readonly queues: Queues,
    private readonly waiters: Waiters,
    private readonly now: () => number,
  ) {}

  /** Enqueues one message; on FIFO queues a duplicate within five minutes answers as the first one did. */
  send(queue: Queue, m: Outgoing, extra: { deadLetterSourceArn?: string; messageId: string }): Sent {
    const now = this.now();
    const hasAttributes = Object.keys(m.attributes).length > 0;
    const answer: Sent = {
      MessageId: extra.messageId,
      MD5OfMessageBody: md5Hex(m.body),
      ...(hasAttributes ? { MD5OfMessageAttributes: md5OfAttributes(m.attributes) } : {}),
      ...(m.traceHeader !== undefined ? { MD5OfMessageSystemAttributes: md5OfAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: m.traceHeader } }) } : {}),
    };
    const run = this.db.transaction(() => {
      if (queue.fifo && m.dedupId !== undefined) {
        const scope = queue.attributes.DeduplicationScope === 'messageGroup' ? (m.groupId ?? '') : '';
        this.db.prepare('DELETE FROM sqs_dedup WHERE queue_id = ? AND expires_at <= ?').run(queue.id, now);
        const seen = this.db
          .prepare('SELECT message_id, sequence_number FROM sqs_dedup WHERE queue_id = ? AND scope = ? AND dedup_id = ?')
          .get(queue.id, scope, m.dedupId) as { message_id: string; sequence_number: string } | undefined;
        if (seen) return { ...answer, MessageId: seen.message_id, SequenceNumber: seen.sequence_number };
        const sent = this.insert(queue, m, extra, now);
        this.db
          .prepare('INSERT INTO sqs_dedup (queue_id, scope, dedup_id, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(queue.id, scope, m.dedupId, extra.messageId, sent.SequenceNumber, now + DEDUP_MS);
        return { ...answer, SequenceNumber: sent.SequenceNumber };
      }
      const sent = this.insert(queue, m, extra, now);
      return queue.fifo ? { ...answer, SequenceNumber: sent.SequenceNumber } : answer;
    });
    const result = run();
    this.waiters.wake(queue.id);
    return result;
  }

  private insert(queue: Queue, m: Outgoing, extra: { deadLetterSourceArn?: string; messageId: string }, now: number): { SequenceNumber?: string } {
    const stored: StoredAttributes = Object.fromEntries(
      Object.entries(m.attributes).map(([k, v]) => [
        k,
        { DataType: v.DataType, ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}), ...(v.BinaryValue ? { BinaryValue: v.BinaryValue.toString('base64') } : {}) },
      ]),
    );
    const delay = m.delaySeconds ?? seconds(queue, 'DelaySeconds');
    const seq = Number(
      this.db
        .prepare(
          `INSERT INTO sqs_messages (queue_id, message_id, body, md5_body, message_attributes, md5_attributes, trace_header, md5_system_attributes,
             group_id, dedup_id, sender_id, sent_at, visible_at, dead_letter_source_arn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          queue.id,
          extra.messageId,
          m.body,
          md5Hex(m.body),
          Object.keys(stored).length ? JSON.stringify(stored) : null,
          Object.keys(stored).length ? md5OfAttributes(m.attributes) : null,
          m.traceHeader ?? null,
          null,
          m.groupId ?? null,
          m.dedupId ?? null,
          m.senderId,
          now,
          now + delay * 1000,
          extra.deadLetterSourceArn ?? null,
        ).lastInsertRowid,
    );
    if (!queue.fifo) return {};
    // 20 digits, increasing with every message of the queue (and so within each group).
    const sequenceNumber = `1${String(seq).padStart(19, '0')}`;
    this.db.prepare('UPDATE sqs_messages SET sequence_number = ? WHERE seq = ?').run(sequenceNumber, seq);
    return { SequenceNumber: sequenceNumber };
  }

  /** Drops messages older than the queue's retention period. */
  private expire(queue: Queue, now: number): void {
    this.db.prepare('DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at <= ?').run(queue.id, now - seconds(queue, 'MessageRetentionPeriod') * 1000);
  }

  /**
   * Takes up to `max` visible messages, makes them invisible for `visibility` seconds and hands
   * each a new receipt handle. Messages past the redrive policy's receive count go to the
   * dead-letter queue instead. FIFO queues hand out messages in order per group and none of a
   * group while another of it is in flight.
   */
  receiveNow(queue: Queue, max: number, visibility: number, attemptId?: string): MessageRow[] {
    const now = this.now();
    return this.db.transaction(() => {
      this.expire(queue, now);
      if (queue.fifo && attemptId !== undefined) {
        const earlier = this.db
          .prepare('SELECT handles FROM sqs_receive_attempts WHERE queue_id = ? AND attempt_id = ? AND expires_at > ?')
          .get(queue.id, attemptId, now) as { handles: string } | undefined;
        if (earlier) {
          const handles = JSON.parse(earlier.handles) as string[];
          const rows = handles.flatMap((h) => (this.db.prepare('SELECT * FROM sqs_messages WHERE receipt_handle = ?').get(h) as MessageRow | undefined) ?? []);
          if (rows.length === handles.length) return rows;
        }
      }
      const redrive = redrivePolicy(queue);
      const dlq = redrive ? this.queues.byArn(redrive.deadLetterTargetArn) : undefined;
      const taken: MessageRow[] = [];
      for (const row of this.candidates(queue, now, max)) {
        if (taken.length >= max) break;
        if (redrive && dlq && row.receive_count >= redrive.maxReceiveCount) {
          this.moveTo(row, dlq, queue.arn, now);
          continue;
        }
        const handle = newHandle(queue, row.message_id);
        this.db
          .prepare('UPDATE sqs_messages SET receive_count = receive_count + 1, first_receive_at = coalesce(first_receive_at, ?), visible_at = ?, receipt_handle = ? WHERE seq = ?')
          .run(now, now + visibility * 1000, handle, row.seq);
        taken.push({ ...row, receive_count: row.receive_count + 1, first_receive_at: row.first_receive_at ?? now, visible_at: now + visibility * 1000, receipt_handle: handle });
      }
      if (queue.fifo && attemptId !== undefined && taken.length > 0) {
        this.db
          .prepare('INSERT OR REPLACE INTO sqs_receive_attempts (queue_id, attempt_id, handles, expires_at) VALUES (?, ?, ?, ?)')
          .run(queue.id, attemptId, JSON.stringify(taken.map((r) => r.receipt_handle)), now + ATTEMPT_MS);
      }
      return taken;
    })();
  }

  private candidates(queue: Queue, now: number, max: number): MessageRow[] {
    if (!queue.fifo) {
      // Extra rows stand in for those the redrive policy moves away instead of handing out.
      return this.db.prepare('SELECT * FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? ORDER BY seq LIMIT ?').all(queue.id, now, max * 4) as MessageRow[];
    }
    // A group is open until its first message that cannot go now (in flight or delayed): that
    // one and everything after it in the group wait.
    const blocked = new Set<string>();
    const open: MessageRow[] = [];
    const rows = this.db.prepare('SELECT * FROM sqs_messages WHERE queue_id = ? ORDER BY seq').all(queue.id) as MessageRow[];
    for (const row of rows) {
      const group = row.group_id ?? '';
      if (blocked.has(group)) continue;
      if (row.visible_at > now) blocked.add(group);
      else open.push(row);
    }
    return open;
  }

  /**
   * Moves a message to another queue, keeping its id, body, attributes and send time. To a
   * dead-letter queue it keeps its receive count and notes its source; redriven back out it
   * starts afresh, or the redrive policy would send it straight back.
   */
  moveTo(row: MessageRow, target: Queue, sourceArn: string | null, now: number): void {
    const fresh = sourceArn === null;
    this.db.prepare('DELETE FROM sqs_messages WHERE seq = ?').run(row.seq);
    const seq = Number(
      this.db
        .prepare(
          `INSERT INTO sqs_messages (queue_id, message_id, body, md5_body, message_attributes, md5_attributes, trace_header, md5_system_attributes,
             group_id, dedup_id, sender_id, sent_at, visible_at, receive_count, first_receive_at, dead_letter_source_arn)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          target.id,
          row.message_id,
          row.body,
          row.md5_body,
          row.message_attributes,
          row.md5_attributes,
          row.trace_header,
          row.md5_system_attributes,
          row.group_id,
          row.dedup_id,
          row.sender_id,
          row.sent_at,
          now,
          fresh ? 0 : row.receive_count,
          fresh ? null : row.first_receive_at,
          sourceArn,
        ).lastInsertRowid,
    );
    if (target.fifo) this.db.prepare('UPDATE sqs_messages SET sequence_number = ? WHERE seq = ?').run(`1${String(seq).padStart(19, '0')}`, seq);
    queueMicrotask(() => this.waiters.wake(target.id));
  }

  byHandle(queue: Queue, handle: string): MessageRow | undefined {
    return this.db.prepare('SELECT * FROM sqs_messages WHERE queue_id = ? AND receipt_handle = ?').get(queue.id, handle) as MessageRow | undefined;
  }

  delete(row: MessageRow): void {
    this.db.prepare('DELETE FROM sqs_messages WHERE seq = ?').run(row.seq);
  }

  setVisibility(row: MessageRow, visibility: number): void {
    this.db.prepare('UPDATE sqs_messages SET visible_at = ? WHERE seq = ?').run(this.now() + visibility * 1000, row.seq);
    if (visibility === 0) this.waiters.wake(row.queue_id);
  }

  purge(queue: Queue): void {
    this.db.prepare('DELETE FROM sqs_messages WHERE queue_id = ?').run(queue.id);
  }

  /** When the next message that is not visible now becomes visible, for a long poll's sleep. */
  nextVisibleAt(queue: Queue): number | undefined {
    const row = this.db.prepare('SELECT min(visible_at) AS at FROM sqs_messages WHERE queue_id = ? AND visible_at > ?').get(queue.id, this.now()) as { at: number | null };
    return row.at ?? undefined;
  }

  counts(queue: Queue): { visible: number; inFlight: number; delayed: number } {
    const now = this.now();
    this.expire(queue, now);
    const row = this.db
      .prepare(
        `SELECT sum(visible_at <= ?) AS visible, sum(visible_at > ? AND receive_count > 0) AS in_flight, sum(visible_at > ? AND receive_count = 0) AS delayed
         FROM sqs_messages WHERE queue_id = ?`,
      )
      .get(now, now, now, queue.id) as { visible: number | null; in_flight: number | null; delayed: number | null };
    return { visible: row.visible ?? 0, inFlight: row.in_flight ?? 0, delayed: row.delayed ?? 0 };
  }

  /** The oldest visible messages of a queue, for a move task. */
  oldest(queue: Queue, limit: number): MessageRow[] {
    return this.db.prepare('SELECT * FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? ORDER BY seq LIMIT ?').all(queue.id, this.now(), limit) as MessageRow[];
  }
}
