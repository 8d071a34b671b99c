import { delivered, giveUp, retryLater, type Delivery, type DeliveryOutcome, type Receiver } from '../core/delivery.js';
import { isAwsError } from '../core/errors.js';
import { evaluate } from '../iam/policy/index.js';
import { parseQueueArn, queueUrl } from './names.js';
import { outgoing, type SendInput } from './outgoing.js';
import type { Sqs } from './sqs.js';

/**
 * Receives deliveries to queue ARNs (EventBridge targets, SNS subscriptions, other senders).
 * The attribute contract senders use (all optional):
 * - `MessageGroupId`, `MessageDeduplicationId`: strings, for FIFO queues (SNS FIFO topics pass
 *   the publish's; without a deduplication id a FIFO queue needs content-based deduplication);
 * - `MessageAttributes`: SQS message attributes `{ <name>: { DataType, StringValue | BinaryValue
 *   (base64) } }`, as SNS raw message delivery turns its message attributes into.
 * The queue policy must allow `sqs:SendMessage` to the delivering service principal
 * (`delivery.sourceService`), with `aws:SourceArn` and `aws:SourceAccount` set to the sender's;
 * a sender acting as a role (`delivery.role`) sends as that role, its own policies weighed too.
 */
export function queueReceiver(sqs: Sqs): Receiver {
  return {
    service: 'sqs',
    accepts: (arn) => parseQueueArn(arn) !== undefined,
    receive: async (d) => {
      const queue = sqs.queues.byArn(d.targetArn);
      if (!queue) return retryLater(`AWS.SimpleQueueService.NonExistentQueue: The specified queue ${d.targetArn} does not exist.`);
      const input = sendInput(d);
      if (d.role) {
        try {
          const sent = await sqs.deps.internal.call<{ MessageId: string }>(
            'sqs',
            'SendMessage',
            { QueueUrl: queueUrl('', queue), ...input },
            { caller: d.role, region: queue.region },
          );
          return delivered(`Sent to ${queue.arn} as ${d.role.arn}: message ${sent.MessageId}.`);
        } catch (err) {
          return refused(err);
        }
      }
      if (sqs.deps.config.enforceIam && !policyAllows(queue.attributes.Policy, queue.accountId, d)) {
        return giveUp(`AccessDenied: the policy of queue ${queue.arn} does not allow ${d.sourceService} to send messages from ${d.sourceArn}.`);
      }
      try {
        const sent = sqs.messages.send(queue, outgoing(queue, input, d.sourceService), { messageId: sqs.deps.ids.uuid() });
        return delivered(`Sent to ${queue.arn}: message ${sent.MessageId}.`);
      } catch (err) {
        return refused(err);
      }
    },
  };
}

/** A message the queue refuses (too large, no group id for a FIFO queue) will be refused again. */
function refused(err: unknown): DeliveryOutcome {
  if (!isAwsError(err)) throw err;
  const outcome = `${err.code}: ${err.message}`;
  return err.code === 'QueueDoesNotExist' ? retryLater(outcome) : giveUp(outcome);
}

function sendInput(d: Delivery): SendInput {
  const a = d.attributes ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const attributes = a.MessageAttributes && typeof a.MessageAttributes === 'object' ? (a.MessageAttributes as SendInput['MessageAttributes']) : undefined;
  return {
    MessageBody: d.message,
    ...(text(a.MessageGroupId) ? { MessageGroupId: text(a.MessageGroupId) } : {}),
    ...(text(a.MessageDeduplicationId) ? { MessageDeduplicationId: text(a.MessageDeduplicationId) } : {}),
    ...(attributes && Object.keys(attributes).length ? { MessageAttributes: attributes } : {}),
  };
}

/** The queue policy weighed for an AWS service principal delivering on a resource's behalf. */
function policyAllows(policy: string | undefined, accountId: string, d: Delivery): boolean {
  if (!policy) return false;
  const result = evaluate({
    action: 'sqs:SendMessage',
    resource: d.targetArn,
    principal: { type: 'service', arn: d.sourceService, accountId: d.sourceAccount },
    identityPolicies: [],
    resourcePolicy: { id: 'queue policy', document: policy },
    resourceAccount: accountId,
    context: { 'aws:SourceArn': d.sourceArn, 'aws:SourceAccount': d.sourceAccount },
  });
  return result.decision === 'allowed';
}
