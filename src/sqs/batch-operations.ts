import type * as T from '@aws-sdk/client-sqs';
import { isAwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { batchTooLong, emptyBatch, idsNotDistinct, invalidBatchEntryId, queryErrorCode, tooManyEntries } from './errors.js';
import { checkVisibility, deleteByHandle, inFlight, sendAs } from './message-operations.js';
import type { outgoing } from './outgoing.js';
import { queueIam, type Sqs } from './sqs.js';

const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 1_048_576;

/** The checks every batch request gets before any entry runs. */
function checkEntries(entries: { Id?: string }[], entryShape: string): void {
  if (entries.length === 0) throw emptyBatch(entryShape);
  if (entries.length > MAX_ENTRIES) throw tooManyEntries(entries.length);
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (!/^[\w-]{1,80}$/.test(Id ?? '')) throw invalidBatchEntryId();
    if (seen.has(Id!)) throw idsNotDistinct(Id!);
    seen.add(Id!);
  }
}

/** Runs each entry on its own: an entry's AWS error is reported for it, the others go on. */
function eachEntry<E extends { Id?: string }, S>(entries: E[], run: (entry: E) => S): { Successful: S[]; Failed: T.BatchResultErrorEntry[] } {
  const Successful: S[] = [];
  const Failed: T.BatchResultErrorEntry[] = [];
  for (const entry of entries) {
    try {
      Successful.push(run(entry));
    } catch (err) {
      if (!isAwsError(err)) throw err;
      Failed.push({ Id: entry.Id!, SenderFault: err.fault === 'Sender', Code: queryErrorCode(err.code), Message: err.message });
    }
  }
  return { Successful, Failed };
}

export function batchOperations(sqs: Sqs): Record<string, OperationSpec> {
  return {
    SendMessageBatch: operation<T.SendMessageBatchRequest, T.SendMessageBatchResult>({
      iam: queueIam(sqs, 'sqs:SendMessage'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        checkEntries(input.Entries!, 'SendMessageBatchRequestEntry');
        const size = input.Entries!.reduce((n, e) => n + Buffer.byteLength(e.MessageBody ?? ''), 0);
        if (size > MAX_BATCH_BYTES) throw batchTooLong(size, MAX_BATCH_BYTES);
        return eachEntry(input.Entries!, (entry) => ({ Id: entry.Id, ...sendAs(sqs, queue, entry as Parameters<typeof outgoing>[1], ctx) }));
      },
    }),

    DeleteMessageBatch: operation<T.DeleteMessageBatchRequest, T.DeleteMessageBatchResult>({
      iam: queueIam(sqs, 'sqs:DeleteMessage'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        checkEntries(input.Entries!, 'DeleteMessageBatchRequestEntry');
        return eachEntry(input.Entries!, (entry) => {
          deleteByHandle(sqs, queue, entry.ReceiptHandle!);
          return { Id: entry.Id };
        });
      },
    }),

    ChangeMessageVisibilityBatch: operation<T.ChangeMessageVisibilityBatchRequest, T.ChangeMessageVisibilityBatchResult>({
      iam: queueIam(sqs, 'sqs:ChangeMessageVisibility'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        checkEntries(input.Entries!, 'ChangeMessageVisibilityBatchRequestEntry');
        return eachEntry(input.Entries!, (entry) => {
          const visibility = entry.VisibilityTimeout ?? 0;
          checkVisibility(visibility);
          sqs.messages.setVisibility(inFlight(sqs, queue, entry.ReceiptHandle!), visibility);
          return { Id: entry.Id };
        });
      },
    }),
  };
}
