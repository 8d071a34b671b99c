import { parseFilterPolicy, type FilterScope } from './filter-policy.js';
import { parseSubscriptionDeliveryPolicy, effectiveHttpPolicy } from './delivery-policy.js';
import { invalidParameter } from './errors.js';
import type { SubscriptionRow } from './store.js';

const SETTABLE = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);
const RAW_PROTOCOLS = new Set(['http', 'https', 'sqs', 'firehose']);
const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

/**
 * Checks one subscription attribute against the others it goes with (a FilterPolicy is parsed
 * in the scope the subscription has), as Subscribe and SetSubscriptionAttributes do.
 */
export function checkSubscriptionAttribute(name: string, value: string, protocol: string, all: Record<string, string>, fifoTopic: boolean): void {
  switch (name) {
    case 'RawMessageDelivery':
      if (value !== 'true' && value !== 'false') throw invalidParameter(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (!RAW_PROTOCOLS.has(protocol)) throw invalidParameter(`Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`);
      return;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw invalidParameter(`Attributes Reason: FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      }
      if (all.FilterPolicy) parseFilterPolicy(all.FilterPolicy, value);
      return;
    case 'FilterPolicy':
      if (value !== '') parseFilterPolicy(value, (all.FilterPolicyScope ?? 'MessageAttributes') as FilterScope);
      return;
    case 'DeliveryPolicy':
      if (protocol !== 'http' && protocol !== 'https') throw invalidParameter(`DeliveryPolicy: Delivery protocol [${protocol}] does not support delivery policies.`);
      parseSubscriptionDeliveryPolicy(value);
      return;
    case 'RedrivePolicy': {
      if (value === '') return;
      let target: unknown;
      try {
        target = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      } catch {
        throw invalidParameter('RedrivePolicy: failed to parse JSON.');
      }
      if (typeof target !== 'string' || !SQS_ARN.test(target)) throw invalidParameter('RedrivePolicy: deadLetterTargetArn is an invalid arn');
      if (fifoTopic !== target.endsWith('.fifo')) {
        throw invalidParameter(`RedrivePolicy: must use a ${fifoTopic ? 'FIFO' : 'standard'} queue as DLQ for a ${fifoTopic ? 'FIFO' : 'standard'} topic`);
      }
      return;
    }
    default:
      if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
  }
}

/** GetSubscriptionAttributes: what is set, plus what SNS computes. */
export function subscriptionAttributes(row: SubscriptionRow, topicDeliveryPolicy: string | undefined): Record<string, string> {
  const set = JSON.parse(row.attributes) as Record<string, string>;
  const http = row.protocol === 'http' || row.protocol === 'https';
  const effective = http ? effectiveHttpPolicy(topicDeliveryPolicy, set.DeliveryPolicy) : undefined;
  return {
    SubscriptionArn: row.arn,
    TopicArn: row.topic_arn,
    Owner: row.owner,
    Protocol: row.protocol,
    Endpoint: row.endpoint,
    ConfirmationWasAuthenticated: String(row.confirmed === 1),
    PendingConfirmation: String(row.confirmed === 0),
    RawMessageDelivery: 'false',
    ...(effective
      ? {
          EffectiveDeliveryPolicy: JSON.stringify({
            healthyRetryPolicy: effective.retry,
            sicklyRetryPolicy: null,
            throttlePolicy: null,
            requestPolicy: { headerContentType: effective.contentType },
            guaranteed: false,
          }),
        }
      : {}),
    ...(set.FilterPolicy ? { FilterPolicyScope: 'MessageAttributes' } : {}),
    ...set,
  };
}
