import type * as T from '@aws-sdk/client-sqs';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { invalidValue, messageNotInflight, receiptHandleIsInvalid } from './errors.js';
import { md5OfAttributes } from './md5.js';
import { storedAttributes, wellFormedHandle, type MessageRow, type Sent } from './messages.js';
import { outgoing } from './outgoing.js';
import { seconds, type Queue } from './queues.js';
import { queueIam, type Sqs } from './sqs.js';

const SYSTEM_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
];

function systemAttributes(row: MessageRow, wanted: string[]): Record<string, string> | undefined {
  const all = wanted.includes('All');
  const values: Record<string, string | null> = {
    SenderId: row.sender_id,
    SentTimestamp: String(row.sent_at),
    ApproximateReceiveCount: String(row.receive_count),
    ApproximateFirstReceiveTimestamp: row.first_receive_at === null ? null : String(row.first_receive_at),
    SequenceNumber: row.sequence_number,
    MessageDeduplicationId: row.sequence_number === null ? null : row.dedup_id,
    MessageGroupId: row.group_id,
    AWSTraceHeader: row.trace_header,
    DeadLetterQueueSourceArn: row.dead_letter_source_arn,
  };
  const out: Record<string, string> = {};
  for (const name of SYSTEM_NAMES) if ((all || wanted.includes(name)) && values[name] !== null) out[name] = values[name]!;
  return Object.keys(out).length ? out : undefined;
}

/** `All` or `.*` for every attribute, `prefix.*` for a family, otherwise exact names. */
function wantsAttribute(name: string, wanted: string[]): boolean {
  return wanted.some((w) => w === 'All' || w === '.*' || w === name || (w.endsWith('.*') && name.startsWith(w.slice(0, -1))));
}

export function receivedMessage(row: MessageRow, systemNames: string[], attributeNames: string[]): T.Message {
  const attributes = Object.fromEntries(Object.entries(storedAttributes(row)).filter(([name]) => wantsAttribute(name, attributeNames)));
  const system = systemAttributes(row, systemNames);
  const has = Object.keys(attributes).length > 0;
  return {
    MessageId: row.message_id,
    ReceiptHandle: row.receipt_handle!,
    MD5OfBody: row.md5_body,
    Body: row.body,
    ...(system ? { Attributes: system } : {}),
    // The digest covers the attributes returned, which is what the SDKs recompute.
    ...(has ? { MD5OfMessageAttributes: md5OfAttributes(attributes), MessageAttributes: attributes as T.Message['MessageAttributes'] } : {}),
  };
}

export function checkVisibility(value: number): void {
  if (value < 0 || value > 43200) throw invalidValue(value, 'VisibilityTimeout', 'Must be >= 0 and <= 43200, if provided.');
}

/** Sends one checked message, as the caller. */
export function sendAs(sqs: Sqs, queue: Queue, input: Parameters<typeof outgoing>[1], ctx: Pick<RequestContext, 'caller'>): Sent {
  return sqs.messages.send(queue, outgoing(queue, input, ctx.caller.userId), { messageId: sqs.deps.ids.uuid() });
}

/** The message a receipt handle names, in flight, for a visibility change. */
export function inFlight(sqs: Sqs, queue: Queue, handle: string): MessageRow {
  if (!wellFormedHandle(handle)) throw receiptHandleIsInvalid(handle);
  const row = sqs.messages.byHandle(queue, handle);
  if (!row) throw invalidValue(handle, 'ReceiptHandle', 'The receipt handle has expired.');
  if (row.visible_at <= sqs.now()) throw messageNotInflight();
  return row;
}

export function deleteByHandle(sqs: Sqs, queue: Queue, handle: string): void {
  if (!wellFormedHandle(handle)) throw receiptHandleIsInvalid(handle);
  // A handle of a message already deleted, or an older handle of one received again, deletes nothing and succeeds.
  const row = sqs.messages.byHandle(queue, handle);
  if (row) sqs.messages.delete(row);
}

export function messageOperations(sqs: Sqs): Record<string, OperationSpec> {
  return {
    SendMessage: operation<T.SendMessageRequest, T.SendMessageResult>({
      iam: queueIam(sqs, 'sqs:SendMessage'),
      handler: (input, ctx) => sendAs(sqs, sqs.queue(input.QueueUrl, ctx), input as Parameters<typeof outgoing>[1], ctx),
    }),

    ReceiveMessage: operation<T.ReceiveMessageRequest, T.ReceiveMessageResult>({
      iam: queueIam(sqs, 'sqs:ReceiveMessage'),
      handler: async (input, ctx) => {
        let queue = sqs.queue(input.QueueUrl, ctx);
        const max = input.MaxNumberOfMessages ?? 1;
        if (max < 1 || max > 10) throw invalidValue(max, 'MaxNumberOfMessages', 'Must be between 1 and 10, if provided.');
        const wait = input.WaitTimeSeconds ?? seconds(queue, 'ReceiveMessageWaitTimeSeconds');
        if (wait < 0 || wait > 20) throw invalidValue(wait, 'WaitTimeSeconds', 'Must be >= 0 and <= 20, if provided.');
        if (input.VisibilityTimeout !== undefined) checkVisibility(input.VisibilityTimeout!);
        const systemNames = [...((input.AttributeNames ?? []) as string[]), ...((input.MessageSystemAttributeNames ?? []) as string[])];
        const attributeNames = input.MessageAttributeNames ?? [];
        const deadline = sqs.now() + wait * 1000;
        for (;;) {
          const visibility = input.VisibilityTimeout ?? seconds(queue, 'VisibilityTimeout');
          const rows = sqs.messages.receiveNow(queue, max, visibility, input.ReceiveRequestAttemptId);
          if (rows.length > 0) return { Messages: rows.map((r) => receivedMessage(r, systemNames, attributeNames)) };
          const now = sqs.now();
          if (now >= deadline) return {};
          // Asleep until a send wakes this poll, the next hidden message shows, or the wait is over.
          await sqs.waiters.wait(queue.id, Math.min(deadline, sqs.messages.nextVisibleAt(queue) ?? deadline) - now);
          const current = sqs.queues.byId(queue.id);
          if (!current || sqs.closed) return {};
          queue = current;
        }
      },
    }),

    DeleteMessage: operation<T.DeleteMessageRequest, object>({
      iam: queueIam(sqs, 'sqs:DeleteMessage'),
      handler: (input, ctx) => {
        deleteByHandle(sqs, sqs.queue(input.QueueUrl, ctx), input.ReceiptHandle!);
        return {};
      },
    }),

    ChangeMessageVisibility: operation<T.ChangeMessageVisibilityRequest, object>({
      iam: queueIam(sqs, 'sqs:ChangeMessageVisibility'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        checkVisibility(input.VisibilityTimeout!);
        sqs.messages.setVisibility(inFlight(sqs, queue, input.ReceiptHandle!), input.VisibilityTimeout!);
        return {};
      },
    }),
  };
}
