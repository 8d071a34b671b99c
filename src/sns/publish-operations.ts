import type * as SNS from '@aws-sdk/client-sns';
import type { RequestContext } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { requireTopic, topicIam, type SnsContext } from './context.js';
import { batchIdsNotDistinct, batchTooLong, emptyBatch, invalidBatchEntryId, invalidParameter, tooManyEntries } from './errors.js';
import { publish } from './publish.js';

const MAX_BATCH = 10;
const MAX_BATCH_BYTES = 262_144;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** Publish to a topic (TargetArn names one too); phone numbers and platform endpoints are not served. */
function targetTopic(input: SNS.PublishInput): string {
  if (input.PhoneNumber !== undefined) throw invalidParameter('PhoneNumber Reason: codesuite sends SMS only to subscriptions of a topic (see the outbox)');
  const arn = input.TopicArn ?? input.TargetArn;
  if (input.TopicArn !== undefined && input.TargetArn !== undefined) throw invalidParameter('TopicArn or TargetArn Reason: Only one of TopicArn or TargetArn may be specified');
  if (arn === undefined) throw invalidParameter('TopicArn or TargetArn Reason: One of TopicArn or TargetArn must be specified');
  return arn;
}

export function publishOperations(c: SnsContext): Record<string, OperationSpec> {
  const publishIam = topicIam(c, 'Publish');
  return {
    Publish: operation<SNS.PublishInput, SNS.PublishResponse>({
      iam: {
        ...publishIam,
        resource: (input) => input.TopicArn ?? input.TargetArn ?? '*',
        resourcePolicy: (input) => publishIam.resourcePolicy({ TopicArn: input.TopicArn ?? input.TargetArn }),
      },
      handler: (input, ctx: RequestContext) => publish(c, requireTopic(c, targetTopic(input), ctx, input.TopicArn ? 'TopicArn' : 'TargetArn'), input),
    }),
    PublishBatch: operation<SNS.PublishBatchInput, SNS.PublishBatchResponse>({
      iam: publishIam,
      handler: (input, ctx) => {
        const entries = input.PublishBatchRequestEntries ?? [];
        if (entries.length === 0) throw emptyBatch();
        if (entries.length > MAX_BATCH) throw tooManyEntries();
        if (new Set(entries.map((e) => e.Id)).size !== entries.length) throw batchIdsNotDistinct();
        if (entries.some((e) => !BATCH_ID.test(e.Id ?? ''))) throw invalidBatchEntryId();
        if (entries.reduce((n, e) => n + Buffer.byteLength(e.Message ?? ''), 0) > MAX_BATCH_BYTES) throw batchTooLong();
        const topic = requireTopic(c, input.TopicArn!, ctx);
        const result: SNS.PublishBatchResponse = { Successful: [], Failed: [] };
        for (const entry of entries) {
          try {
            const { MessageId, SequenceNumber } = publish(c, topic, entry);
            result.Successful!.push({ Id: entry.Id, MessageId, ...(SequenceNumber ? { SequenceNumber } : {}) });
          } catch (err) {
            if (!isAwsError(err)) throw err;
            result.Failed!.push({ Id: entry.Id, Code: err.code, Message: err.message, SenderFault: err.statusCode < 500 });
          }
        }
        return result;
      },
    }),
  };
}
