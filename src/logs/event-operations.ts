import type {
  FilteredLogEvent,
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  GetLogEventsRequest,
  GetLogEventsResponse,
  OutputLogEvent,
  PutLogEventsRequest,
  PutLogEventsResponse,
  RejectedLogEventsInfo,
} from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { streamArn } from './arns.js';
import { invalidParameter } from './errors.js';
import { compileFilterPattern } from './filter-pattern.js';
import { sequenceToken, type Logs } from './logs.js';
import { START, eventBytes, type EventKey, type EventRow } from './store.js';
import { selectedGroupArn } from './stream-operations.js';
import { eventId, filterToken, parseFilterToken, parseStreamToken, streamToken } from './tokens.js';

export const MAX_BATCH_BYTES = 1_048_576;
export const MAX_EVENT_BYTES = 1_048_576;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The most a read returns: 10,000 events or 1 MB, whichever comes first. */
const MAX_READ_EVENTS = 10_000;
const MAX_READ_BYTES = 1_048_576;
/** How many events FilterLogEvents looks at before it answers with what it found and a token. */
const FILTER_SCAN_BUDGET = 100_000;
const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

const keyOf = (e: EventRow): EventKey => ({ timestamp: e.timestamp, seq: e.seq });

/** Keeps rows while they fit in the byte budget of one response (at least one row). */
function withinBytes<T extends { message: string }>(rows: T[], fromEnd = false): T[] {
  const ordered = fromEnd ? [...rows].reverse() : rows;
  const kept: T[] = [];
  let bytes = 0;
  for (const row of ordered) {
    bytes += eventBytes(row.message);
    if (kept.length > 0 && bytes > MAX_READ_BYTES) break;
    kept.push(row);
  }
  return fromEnd ? kept.reverse() : kept;
}

export interface AcceptedBatch {
  accepted: { timestamp: number; message: string }[];
  rejected: RejectedLogEventsInfo;
}

/** PutLogEvents' batch rules: fails the whole batch, or sorts out the events it rejects one by one. */
export function checkBatch(events: { timestamp: number; message: string }[], now: number, retentionDays: number | null): AcceptedBatch {
  let total = 0;
  for (let i = 0; i < events.length; i++) {
    const size = eventBytes(events[i].message);
    if (size > MAX_EVENT_BYTES) throw invalidParameter(`Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`);
    total += size;
    if (i > 0 && events[i].timestamp < events[i - 1].timestamp) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
  if (total > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${total} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  if (events.length > 0 && events[events.length - 1].timestamp - events[0].timestamp > DAY) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
  const rejected: RejectedLogEventsInfo = {};
  const accepted: AcceptedBatch['accepted'] = [];
  const tooOld = now - 14 * DAY;
  const expired = retentionDays === null ? -Infinity : now - retentionDays * DAY;
  events.forEach((e, i) => {
    if (e.timestamp > now + 2 * HOUR) {
      rejected.tooNewLogEventStartIndex ??= i;
    } else if (e.timestamp < expired) {
      rejected.expiredLogEventEndIndex = i;
    } else if (e.timestamp < tooOld) {
      rejected.tooOldLogEventEndIndex = i;
    } else {
      accepted.push(e);
    }
  });
  return { accepted, rejected };
}

export function eventOperations(logs: Logs): Record<string, OperationSpec> {
  return {
    PutLogEvents: operation<PutLogEventsRequest, PutLogEventsResponse>({
      iam: {
        action: 'logs:PutLogEvents',
        resource: (i, ctx: RequestContext) => streamArn({ accountId: ctx.accountId, region: ctx.region, name: i.logGroupName ?? '*' }, i.logStreamName ?? '*'),
      },
      handler: (input, ctx) => {
        const group = logs.requireGroup(ctx, input.logGroupName!);
        const stream = logs.requireStream(group, input.logStreamName!);
        const events = input.logEvents!.map((e) => ({ timestamp: e.timestamp!, message: e.message! }));
        const now = logs.now();
        const { accepted, rejected } = checkBatch(events, now, group.retention_days);
        const uploads = logs.store.append(stream, accepted, now);
        return {
          nextSequenceToken: sequenceToken(uploads),
          ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}),
        };
      },
    }),

    GetLogEvents: operation<GetLogEventsRequest, GetLogEventsResponse>({
      iam: { action: 'logs:GetLogEvents', resource: (i, ctx) => `${selectedGroupArn(i, ctx)}:log-stream:${i.logStreamName ?? '*'}` },
      handler: (input, ctx) => {
        const group = logs.selectGroup(ctx, input);
        const stream = logs.requireStream(group, input.logStreamName!);
        const limit = Math.min(input.limit ?? MAX_READ_EVENTS, MAX_READ_EVENTS);
        const start = input.startTime ?? 0;
        // GetLogEvents leaves out events at or after endTime.
        const end = input.endTime ?? FAR_FUTURE;
        const token = input.nextToken === undefined ? undefined : parseStreamToken(input.nextToken);
        let rows: EventRow[];
        if (token?.direction === 'f' || (!token && input.startFromHead)) {
          rows = withinBytes(logs.store.forward(stream.id, token?.key ?? START, start, end, limit));
        } else {
          rows = withinBytes(logs.store.backward(stream.id, token?.key, start, end, limit), true);
        }
        const events: OutputLogEvent[] = rows.map((r) => ({ timestamp: r.timestamp, message: r.message, ingestionTime: r.ingestion_time }));
        if (rows.length > 0) {
          return { events, nextForwardToken: streamToken('f', keyOf(rows[rows.length - 1])), nextBackwardToken: streamToken('b', keyOf(rows[0])) };
        }
        // Nothing in that direction: the same place is handed back, as AWS does at either end of a stream.
        const at = token?.key ?? START;
        return { events, nextForwardToken: streamToken('f', at), nextBackwardToken: streamToken('b', at) };
      },
    }),

    FilterLogEvents: operation<FilterLogEventsRequest, FilterLogEventsResponse>({
      iam: { action: 'logs:FilterLogEvents', resource: selectedGroupArn },
      handler: (input, ctx) => {
        const group = logs.selectGroup(ctx, input);
        if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
          throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
        }
        const match = compileFilterPattern(input.filterPattern);
        const streams = logs.store.streamsById(group.id);
        let streamIds: number[] | undefined;
        if (input.logStreamNames !== undefined) {
          const names = new Set(input.logStreamNames);
          streamIds = [...streams.values()].filter((s) => names.has(s.name)).map((s) => s.id);
        } else if (input.logStreamNamePrefix !== undefined) {
          streamIds = [...streams.values()].filter((s) => s.name.startsWith(input.logStreamNamePrefix!)).map((s) => s.id);
        }
        const limit = Math.min(input.limit ?? MAX_READ_EVENTS, MAX_READ_EVENTS);
        const start = input.startTime ?? 0;
        // FilterLogEvents keeps events at endTime.
        const end = input.endTime ?? FAR_FUTURE;
        let cursor = input.nextToken === undefined ? START : parseFilterToken(input.nextToken);
        const found: FilteredLogEvent[] = [];
        let bytes = 0;
        let scanned = 0;
        let more = streamIds === undefined || streamIds.length > 0;
        scan: while (more && found.length < limit && scanned < FILTER_SCAN_BUDGET) {
          const batch = logs.store.groupForward(group.id, streamIds, cursor, start, end, 1000);
          for (const row of batch) {
            if (match(row.message)) {
              const size = eventBytes(row.message);
              // The row that does not fit opens the next page.
              if (found.length > 0 && bytes + size > MAX_READ_BYTES) break scan;
              bytes += size;
              found.push({
                logStreamName: streams.get(row.stream_id)?.name,
                timestamp: row.timestamp,
                message: row.message,
                ingestionTime: row.ingestion_time,
                eventId: eventId(keyOf(row)),
              });
            }
            cursor = keyOf(row);
            scanned++;
            if (found.length >= limit) {
              more = logs.store.groupForward(group.id, streamIds, cursor, start, end, 1).length > 0;
              break scan;
            }
          }
          if (batch.length < 1000) more = false;
        }
        return {
          events: found,
          searchedLogStreams: [],
          ...(more ? { nextToken: filterToken(cursor) } : {}),
        };
      },
    }),
  };
}
