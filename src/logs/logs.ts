import type { LogGroup, LogStream } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { groupArn, groupArnStar, parseGroupArn, streamArn, type GroupRef } from './arns.js';
import { groupNotFound, nameAndIdentifier, nameOrIdentifier, streamNotFound } from './errors.js';
import { LogStore, type GroupRow, type StreamRow } from './store.js';

/** The members by which an operation names its log group. */
export interface GroupSelector {
  logGroupName?: string;
  logGroupIdentifier?: string;
}

/** What every logs operation shares: the store, the clock, and how groups and streams are found. */
export class Logs {
  readonly store: LogStore;

  constructor(readonly deps: Pick<ServiceDeps, 'db' | 'clock'>) {
    this.store = new LogStore(deps.db);
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  requireGroup(ctx: Pick<RequestContext, 'accountId' | 'region'>, name: string): GroupRow {
    const group = this.store.findGroup(ctx.accountId, ctx.region, name);
    if (!group) throw groupNotFound();
    return group;
  }

  /** A group named by `logGroupName` or by `logGroupIdentifier` (its name or ARN), never both. */
  selectGroup(ctx: RequestContext, input: GroupSelector): GroupRow {
    if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) throw nameAndIdentifier();
    if (input.logGroupName !== undefined) return this.requireGroup(ctx, input.logGroupName);
    if (input.logGroupIdentifier === undefined) throw nameOrIdentifier();
    const arn = parseGroupArn(input.logGroupIdentifier);
    if (!arn) return this.requireGroup(ctx, input.logGroupIdentifier);
    if (arn.accountId !== ctx.accountId) throw groupNotFound();
    return this.requireGroup({ accountId: arn.accountId, region: arn.region }, arn.name);
  }

  requireStream(group: GroupRow, name: string): StreamRow {
    const stream = this.store.findStream(group.id, name);
    if (!stream) throw streamNotFound();
    return stream;
  }

  describeGroup(row: GroupRow): LogGroup {
    const ref = refOf(row);
    return {
      logGroupName: row.name,
      creationTime: row.created_at,
      ...(row.retention_days !== null ? { retentionInDays: row.retention_days } : {}),
      metricFilterCount: 0,
      arn: groupArnStar(ref),
      storedBytes: row.stored_bytes,
      ...(row.kms_key_id !== null ? { kmsKeyId: row.kms_key_id } : {}),
      logGroupClass: row.log_group_class as LogGroup['logGroupClass'],
      logGroupArn: groupArn(ref),
      deletionProtectionEnabled: row.deletion_protection === 1,
    };
  }

  describeStream(group: GroupRow, row: StreamRow): LogStream {
    return {
      logStreamName: row.name,
      creationTime: row.created_at,
      ...(row.first_event_at !== null ? { firstEventTimestamp: row.first_event_at } : {}),
      ...(row.last_event_at !== null ? { lastEventTimestamp: row.last_event_at } : {}),
      ...(row.last_ingestion_at !== null ? { lastIngestionTime: row.last_ingestion_at } : {}),
      ...(row.uploads > 0 ? { uploadSequenceToken: sequenceToken(row.uploads) } : {}),
      arn: streamArn(refOf(group), row.name),
      // AWS reports zero here since it deprecated per-stream storedBytes.
      storedBytes: 0,
    };
  }
}

export function refOf(row: GroupRow): GroupRef {
  return { accountId: row.account_id, region: row.region, name: row.name };
}

/** Sequence tokens are no longer checked by AWS, but still handed out, 56 digits long. */
export function sequenceToken(uploads: number): string {
  return String(uploads).padStart(56, '0');
}
