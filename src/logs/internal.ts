import type { Clock } from '../core/clock.js';
import { migrate, type Db } from '../core/store/db.js';
import { groupNotFound } from './errors.js';
import { migrations } from './migrations.js';
import { MAX_BATCH_BYTES, MAX_EVENT_BYTES } from './event-operations.js';
import { LogStore, eventBytes, type GroupRow } from './store.js';

/** Where another service writes: a stream of a log group of an account and region. */
export interface LogDestination {
  accountId: string;
  region: string;
  logGroupName: string;
  logStreamName: string;
}

export interface InternalLogEvent {
  message: string;
  /** Epoch milliseconds; the clock's now when omitted. */
  timestamp?: number;
}

export interface AppendOptions {
  /** Create the log group when it does not exist (CodeBuild does for `/aws/codebuild/<project>`). */
  createGroup?: boolean;
}

/**
 * How other services write to CloudWatch Logs (CodeBuild streams build output through it,
 * EventBridge delivers to log group targets). Events are stored exactly as PutLogEvents stores
 * them, so GetLogEvents, FilterLogEvents and `aws logs tail --follow` see them as they land.
 * The stream is created when missing; a missing group is an error unless `createGroup` says
 * otherwise. Messages longer than one event allows are split.
 */
export interface LogWriter {
  groupExists(destination: Omit<LogDestination, 'logStreamName'>): boolean;
  append(destination: LogDestination, events: InternalLogEvent[], options?: AppendOptions): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Splits a message into pieces of at most `max` UTF-8 bytes without cutting a character. */
function split(message: string, max: number): string[] {
  const bytes = encoder.encode(message);
  if (bytes.length <= max) return [message];
  const pieces: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + max, bytes.length);
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
    pieces.push(decoder.decode(bytes.subarray(start, end)));
    start = end;
  }
  return pieces;
}

export function createLogWriter(deps: { db: Db; clock: Clock }): LogWriter {
  // The writer may be built before the logs service: the tables are made here too.
  migrate(deps.db, 'logs', migrations);
  const store = new LogStore(deps.db);
  const maxMessage = MAX_EVENT_BYTES - eventBytes('');

  const group = (d: Omit<LogDestination, 'logStreamName'>, create: boolean, now: number): GroupRow => {
    const found = store.findGroup(d.accountId, d.region, d.logGroupName);
    if (found) return found;
    if (!create) throw groupNotFound();
    return store.insertGroup(
      { account_id: d.accountId, region: d.region, name: d.logGroupName, created_at: now, retention_days: null, kms_key_id: null, log_group_class: 'STANDARD', deletion_protection: 0 },
      {},
    );
  };

  return {
    groupExists: (d) => store.findGroup(d.accountId, d.region, d.logGroupName) !== undefined,
    append: (d, events, options = {}) => {
      const now = deps.clock.now().getTime();
      deps.db.transaction(() => {
        const g = group(d, options.createGroup === true, now);
        const stream = store.findStream(g.id, d.logStreamName) ?? store.insertStream(g.id, d.logStreamName, now);
        const pieces = events
          .filter((e) => e.message.length > 0)
          .flatMap((e) => split(e.message, maxMessage).map((message) => ({ message, timestamp: e.timestamp ?? now })))
          .sort((a, b) => a.timestamp - b.timestamp);
        let batch: typeof pieces = [];
        let bytes = 0;
        for (const piece of pieces) {
          const size = eventBytes(piece.message);
          if (batch.length > 0 && (bytes + size > MAX_BATCH_BYTES || batch.length >= 10_000)) {
            store.append(stream, batch, now);
            batch = [];
            bytes = 0;
          }
          batch.push(piece);
          bytes += size;
        }
        if (batch.length > 0) store.append(stream, batch, now);
      })();
    },
  };
}
