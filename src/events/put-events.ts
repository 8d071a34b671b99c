import type {
  PutEventsRequest,
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
  TestEventPatternRequest,
  TestEventPatternResponse,
} from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../core/context.js';
import type { BusEvent } from '../core/events.js';
import { operation, type OperationSpec } from '../core/service.js';
import { busArn, busName, parseBusArn } from './arns.js';
import { scopeOf, type Bridge } from './bridge.js';
import { validation } from './errors.js';
import { compilePattern } from './pattern.js';

/** PutEvents takes at most 256 KB of entries, sized as AWS documents it. */
const MAX_REQUEST_BYTES = 256 * 1024;
const utf8 = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));

export function entrySize(entry: PutEventsRequestEntry): number {
  return (entry.Time !== undefined ? 14 : 0) + utf8(entry.Source) + utf8(entry.DetailType) + utf8(entry.Detail) + (entry.Resources ?? []).reduce((n, r) => n + utf8(r), 0);
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** JSON 1.1 sends timestamps as epoch seconds; a client may also send an ISO string. */
function timeOf(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string') {
    const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  return value instanceof Date ? value : undefined;
}

/** Checks one entry; an entry that fails gets an error of its own and the others go on. */
function entryError(entry: PutEventsRequestEntry): PutEventsResultEntry | { detail: Record<string, unknown> } {
  const required = (member: string) => ({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.` });
  if (!entry.Source) return required('Source');
  if (!entry.DetailType) return required('DetailType');
  if (!entry.Detail) return required('Detail');
  if (entry.Source.toLowerCase().startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  return { detail: detail as Record<string, unknown> };
}

const EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export function putEventsOperations(bridge: Bridge): Record<string, OperationSpec> {
  return {
    PutEvents: operation<PutEventsRequest, PutEventsResponse>({
      iam: {
        action: 'events:PutEvents',
        resource: (i, ctx: RequestContext) => busArn(scopeOf(ctx), busName(i.Entries?.[0]?.EventBusName)),
        conditionKeys: (i) => ({
          'events:source': (i.Entries ?? []).map((e) => e.Source ?? ''),
          'events:detail-type': (i.Entries ?? []).map((e) => e.DetailType ?? ''),
        }),
      },
      handler: (input, ctx) => {
        const entries = input.Entries!;
        if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_REQUEST_BYTES) {
          throw validation('Total size of the entries in the request is over the limit.');
        }
        const results: PutEventsResultEntry[] = [];
        let failed = 0;
        for (const entry of entries) {
          const checked = entryError(entry);
          if (!('detail' in checked)) {
            failed++;
            results.push(checked);
            continue;
          }
          const arn = entry.EventBusName ? parseBusArn(entry.EventBusName) : undefined;
          const scope = arn && arn.accountId === ctx.accountId ? { accountId: arn.accountId, region: arn.region } : scopeOf(ctx);
          const event: BusEvent = {
            version: '0',
            id: bridge.deps.ids.uuid(),
            'detail-type': entry.DetailType!,
            source: entry.Source!,
            account: scope.accountId,
            time: isoSeconds(timeOf(entry.Time) ?? bridge.deps.clock.now()),
            region: scope.region,
            resources: entry.Resources ?? [],
            detail: checked.detail,
          };
          const bus = bridge.findBus(ctx, entry.EventBusName);
          if (bus) bridge.ingest(bus, event, 'PutEvents');
          else bridge.recordDropped(scope, busName(entry.EventBusName), event, 'PutEvents', `Event bus ${busName(entry.EventBusName)} does not exist; the event was dropped.`);
          results.push({ EventId: event.id });
        }
        return { FailedEntryCount: failed, Entries: results };
      },
    }),

    TestEventPattern: operation<TestEventPatternRequest, TestEventPatternResponse>({
      iam: { action: 'events:TestEventPattern', resource: () => '*' },
      handler: (input) => {
        const match = compilePattern(input.EventPattern!);
        let event: unknown;
        try {
          event = JSON.parse(input.Event!);
        } catch {
          throw validation('Parameter Event is not valid.');
        }
        if (event === null || typeof event !== 'object' || Array.isArray(event) || EVENT_FIELDS.some((f) => !(f in (event as object)))) {
          throw validation('Parameter Event is not valid.');
        }
        return { Result: match(event) };
      },
    }),
  };
}

/** Events other services publish on the in-process bus land on the default bus of their account and region. */
export function ingestServiceEvent(bridge: Bridge, event: BusEvent): void {
  const bus = bridge.defaultBus({ accountId: event.account, region: event.region });
  bridge.ingest(bus, event, 'service');
}
