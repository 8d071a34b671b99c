import { delivered, giveUp, retryLater, type Delivery, type DeliveryOutcome } from '../core/delivery.js';
import { HttpFailure, sendLoopback } from '../core/loopback-http.js';
import { evaluate } from '../iam/policy/index.js';
import { parseSubscriptionArn, parseTopicArn } from './arns.js';
import type { SnsContext } from './context.js';
import { DEFAULT_CONTENT_TYPE, effectiveHttpPolicy } from './delivery-policy.js';
import { publish, type PublishRequest } from './publish.js';
import { attributesOf } from './store.js';
import type { SubscriptionDelivery } from './outgoing.js';

const SNS_PRINCIPAL = 'sns.amazonaws.com';
const HTTP_TIMEOUT_MS = 15_000;
/** Failures of an AWS-managed endpoint that SNS does not retry (SNS DG: client-side errors go to the DLQ at once). */
const CLIENT_SIDE = /^(AccessDenied|AuthorizationError|KMS|QueueDoesNotExist|AWS\.SimpleQueueService\.NonExistentQueue|ResourceNotFound|NotFound)/;

/**
 * SNS's two receivers. Subscription ARNs: SNS's own persisted deliveries, sent to the endpoint by
 * protocol (HTTP/S POST, the outbox, or on through the registry to a queue or function as
 * sns.amazonaws.com with the topic as source). Topic ARNs: other services publishing (EventBridge
 * targets, CodeDeploy triggers, alarm actions, notification rules), allowed by the topic policy for
 * their service principal, or as the delivery's role by its identity policies and the topic policy.
 */
export function registerReceivers(c: SnsContext): void {
  const inOrder = groupOrder();
  c.deps.delivery.register({
    service: 'sns',
    accepts: (arn) => parseSubscriptionArn(arn) !== undefined,
    receive: (delivery) => {
      const group = (delivery.attributes as unknown as SubscriptionDelivery).MessageGroupId;
      return group === undefined ? toEndpoint(c, delivery) : inOrder(`${delivery.targetArn} ${group}`, () => toEndpoint(c, delivery));
    },
  });
  c.deps.delivery.register({
    service: 'sns',
    accepts: (arn) => parseTopicArn(arn) !== undefined,
    receive: (delivery) => toTopic(c, delivery),
  });
}

/**
 * FIFO topics deliver a message group's messages one after another. The scheduler starts due
 * deliveries in the order they were persisted, several at once; chaining each on the one before it
 * in its group (per subscription) keeps them in that order at the endpoint.
 */
function groupOrder(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => tails.get(key) === tail && tails.delete(key));
    return run;
  };
}

async function toEndpoint(c: SnsContext, delivery: Delivery): Promise<DeliveryOutcome> {
  if (delivery.sourceService !== SNS_PRINCIPAL) return giveUp(`Not delivered: ${delivery.targetArn} is an SNS subscription; only its topic delivers to it.`);
  const d = delivery.attributes as unknown as SubscriptionDelivery;
  const subscription = c.store.subscription(delivery.targetArn);
  if (d.messageType === 'Notification' && !subscription) return giveUp('Not delivered: the subscription was deleted.');
  switch (d.protocol) {
    case 'http':
    case 'https':
      return postToEndpoint(c, delivery, d);
    case 'sqs':
    case 'lambda': {
      const outcome = await c.deps.delivery.attempt({
        targetArn: d.endpoint,
        message: delivery.message,
        sourceService: SNS_PRINCIPAL,
        sourceArn: delivery.sourceArn,
        sourceAccount: delivery.sourceAccount,
        attributes: {
          ...(d.MessageGroupId ? { MessageGroupId: d.MessageGroupId, MessageDeduplicationId: d.MessageDeduplicationId } : {}),
          ...(d.MessageAttributes ? { MessageAttributes: d.MessageAttributes } : {}),
        },
      });
      return !outcome.ok && CLIENT_SIDE.test(outcome.detail) ? giveUp(outcome.detail) : outcome;
    }
    default: {
      const ref = parseTopicArn(delivery.sourceArn)!;
      const id = c.store.addToOutbox({
        account_id: ref.accountId,
        region: ref.region,
        protocol: d.protocol,
        endpoint: d.endpoint,
        topic_arn: delivery.sourceArn,
        subscription_arn: delivery.targetArn,
        message_type: d.messageType,
        subject: d.subject ?? null,
        body: delivery.message,
        created_at: c.now(),
      });
      return delivered(`Kept in the outbox for ${d.endpoint} (${d.protocol}, message ${id} at /_codesuite/outbox).`);
    }
  }
}

async function postToEndpoint(c: SnsContext, delivery: Delivery, d: SubscriptionDelivery): Promise<DeliveryOutcome> {
  const subscription = c.store.subscription(delivery.targetArn);
  const topic = c.store.topic(delivery.sourceArn);
  const contentType =
    subscription && topic ? effectiveHttpPolicy(attributesOf(topic).DeliveryPolicy, attributesOf(subscription).DeliveryPolicy).contentType : DEFAULT_CONTENT_TYPE;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': d.messageType,
    'x-amz-sns-message-id': d.messageId,
    'x-amz-sns-topic-arn': delivery.sourceArn,
    ...(d.messageType === 'Notification' ? { 'x-amz-sns-subscription-arn': delivery.targetArn } : {}),
    ...(d.raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
  };
  const shown = `POST ${d.endpoint}`;
  try {
    const result = await sendLoopback('POST', new URL(d.endpoint), headers, delivery.message, HTTP_TIMEOUT_MS);
    const detail = `${shown} answered HTTP ${result.status}.`;
    // A 4xx is the endpoint refusing this message: SNS does not retry it (SNS DG, HTTP/S delivery).
    if (result.status >= 200 && result.status < 500) return delivered(detail);
    return retryLater(detail);
  } catch (err) {
    if (err instanceof HttpFailure) return retryLater(`${shown} failed: ${err.message}.`);
    throw err;
  }
}

async function toTopic(c: SnsContext, delivery: Delivery): Promise<DeliveryOutcome> {
  const ref = parseTopicArn(delivery.targetArn)!;
  const extra = (delivery.attributes ?? {}) as PublishRequest;
  const request: PublishRequest = {
    Message: delivery.message,
    ...(typeof extra.Subject === 'string' ? { Subject: extra.Subject } : {}),
    ...(extra.MessageAttributes ? { MessageAttributes: extra.MessageAttributes } : {}),
    ...(typeof extra.MessageGroupId === 'string' ? { MessageGroupId: extra.MessageGroupId } : {}),
    ...(typeof extra.MessageDeduplicationId === 'string' ? { MessageDeduplicationId: extra.MessageDeduplicationId } : {}),
  };
  if (delivery.role) {
    const { MessageId } = await c.deps.internal.call<{ MessageId: string }>('sns', 'Publish', { TopicArn: delivery.targetArn, ...request }, {
      caller: delivery.role,
      region: ref.region,
    });
    return delivered(`Published to topic ${ref.name} as ${delivery.role.arn}: message ${MessageId}.`);
  }
  const topic = c.store.topic(delivery.targetArn);
  if (!topic) return retryLater(`NotFound: Topic does not exist (${delivery.targetArn}).`);
  const policy = attributesOf(topic).Policy;
  const decision = policy
    ? evaluate({
        action: 'sns:Publish',
        resource: topic.arn,
        principal: { type: 'service', arn: delivery.sourceService, accountId: delivery.sourceAccount },
        identityPolicies: [],
        resourcePolicy: { id: 'topic policy', document: policy },
        resourceAccount: topic.account_id,
        context: { 'aws:SourceArn': delivery.sourceArn, 'aws:SourceAccount': delivery.sourceAccount },
      }).decision
    : 'implicitDeny';
  // The account's own services publishing inside the account need no grant when IAM is not enforced.
  if (decision !== 'allowed' && c.deps.config.enforceIam && !c.deps.config.iamSoftMode) {
    return giveUp(`AuthorizationError: the policy of topic ${ref.name} does not allow ${delivery.sourceService} to sns:Publish from ${delivery.sourceArn}.`);
  }
  const { MessageId } = publish(c, topic, request);
  return delivered(`Published to topic ${ref.name}: message ${MessageId}.`);
}
