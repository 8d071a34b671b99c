import type { RetryPolicy } from '../core/delivery.js';
import type { SnsContext } from './context.js';
import { effectiveHttpPolicy } from './delivery-policy.js';
import { attributesOf, type SubscriptionRow, type TopicRow } from './store.js';

/**
 * What SNS's own receiver needs to deliver a prepared message to a subscription's endpoint; carried
 * in `Delivery.attributes`, so a message keeps going where it was headed even if the subscription
 * is changed or removed after it was published (an UnsubscribeConfirmation is sent after removal).
 */
export interface SubscriptionDelivery {
  protocol: string;
  endpoint: string;
  messageType: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  raw: boolean;
  contentType?: string;
  subject?: string;
  /** For SQS endpoints: a FIFO message's group and deduplication ids, and raw delivery's attributes. */
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

const HTTP_MAX_AGE_SECONDS = 3600;
/** AWS-managed endpoints (SQS, Lambda): 100,015 attempts over 23 days (SNS DG, message delivery retries). */
const MANAGED: RetryPolicy = { maximumRetryAttempts: 100_014, maximumEventAgeSeconds: 23 * 86_400 };
const OUTBOX: RetryPolicy = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 };

function retryPolicy(topic: TopicRow, subscription: SubscriptionRow): RetryPolicy {
  const attributes = attributesOf(subscription);
  let deadLetterArn: string | undefined;
  if (attributes.RedrivePolicy) deadLetterArn = (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
  const dlq = deadLetterArn ? { deadLetterArn } : {};
  if (subscription.protocol === 'http' || subscription.protocol === 'https') {
    const { retry } = effectiveHttpPolicy(attributesOf(topic).DeliveryPolicy, attributes.DeliveryPolicy);
    return { maximumRetryAttempts: retry.numRetries, maximumEventAgeSeconds: HTTP_MAX_AGE_SECONDS, ...dlq };
  }
  if (subscription.protocol === 'sqs' || subscription.protocol === 'lambda') return { ...MANAGED, ...dlq };
  return { ...OUTBOX, ...dlq };
}

/** Persists one delivery to a subscription, retried on the scheduler as its protocol and policies say (call inside the publish's transaction). */
export function enqueueDelivery(c: SnsContext, topic: TopicRow, subscription: SubscriptionRow, message: string, details: Omit<SubscriptionDelivery, 'protocol' | 'endpoint'>): number {
  const attributes: SubscriptionDelivery = { protocol: subscription.protocol, endpoint: subscription.endpoint, ...details };
  return c.deps.delivery.enqueue(
    'sns',
    {
      targetArn: subscription.arn,
      message,
      sourceService: 'sns.amazonaws.com',
      sourceArn: topic.arn,
      sourceAccount: topic.account_id,
      attributes: attributes as unknown as Record<string, unknown>,
    },
    retryPolicy(topic, subscription),
  );
}
