import type * as SNS from '@aws-sdk/client-sns';
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { loopbackProblem } from '../core/loopback-http.js';
import { operation, type OperationSpec } from '../core/service.js';
import { parseSubscriptionArn, topicArn } from './arns.js';
import { isFifo, requireSubscription, requireTopic, topicIam, topicPolicy, type SnsContext } from './context.js';
import { confirmation, snsJson, subscribeUrl } from './envelope.js';
import { invalidParameter } from './errors.js';
import { enqueueDelivery } from './outgoing.js';
import { pageOf } from './pagination.js';
import { attributesOf, type SubscriptionRow, type TopicRow } from './store.js';
import { checkSubscriptionAttribute, subscriptionAttributes } from './subscription-attributes.js';

const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'lambda', 'application', 'firehose']);
/** Endpoints that must confirm before they get messages. */
const CONFIRMED_BY_ENDPOINT = new Set(['http', 'https', 'email', 'email-json']);
const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;

function checkEndpoint(protocol: string, endpoint: string | undefined, fifoTopic: boolean): string {
  const bad = () => invalidParameter('Endpoint');
  if (endpoint === undefined || endpoint === '') throw bad();
  switch (protocol) {
    case 'http':
    case 'https': {
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw bad();
      const problem = loopbackProblem(endpoint);
      if (problem) throw invalidParameter(`Endpoint Reason: ${problem}`);
      return endpoint;
    }
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalidParameter('Email address');
      return endpoint;
    case 'sms':
      if (!/^\+?[0-9]{5,15}$/.test(endpoint.replace(/[\s()-]/g, ''))) throw invalidParameter(`SMS endpoint: Invalid phone number [${endpoint}]`);
      return endpoint;
    case 'sqs':
      if (!SQS_ARN.test(endpoint)) throw invalidParameter('SQS endpoint ARN');
      if (endpoint.endsWith('.fifo') && !fifoTopic) throw invalidParameter('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
      return endpoint;
    case 'lambda':
      if (!LAMBDA_ARN.test(endpoint)) throw invalidParameter('Lambda endpoint ARN');
      return endpoint;
    default:
      throw invalidParameter(`Endpoint Reason: codesuite does not deliver to ${protocol} endpoints`);
  }
}

function listed(row: SubscriptionRow): SNS.Subscription {
  return {
    SubscriptionArn: row.confirmed ? row.arn : 'PendingConfirmation',
    Owner: row.owner,
    Protocol: row.protocol,
    Endpoint: row.endpoint,
    TopicArn: row.topic_arn,
  };
}

/** Sends (persisted, retried) a confirmation to an endpoint that must confirm, or an unsubscribe notice. */
function sendConfirmation(c: SnsContext, topic: TopicRow, row: SubscriptionRow, type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'): void {
  const messageId = c.deps.ids.uuid();
  const fields = confirmation(c, type, topic.arn, row.arn, row.token!, messageId, attributesOf(topic).SignatureVersion ?? '1');
  const body =
    row.protocol === 'email'
      ? type === 'SubscriptionConfirmation'
        ? `You have chosen to subscribe to the topic:\n${topic.arn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n${subscribeUrl(c, topic.arn, row.token!)}`
        : `You have chosen to deactivate subscription ${row.arn}.\nTo restore it, visit:\n${subscribeUrl(c, topic.arn, row.token!)}`
      : snsJson(fields);
  enqueueDelivery(c, topic, row, body, { messageType: type, messageId, raw: false, ...(row.protocol === 'email' ? { subject: 'AWS Notification - Subscription Confirmation' } : {}) });
}

/** Confirms a subscription by its topic and token (ConfirmSubscription, or the SubscribeURL followed). */
export function confirmSubscription(c: SnsContext, topic: TopicRow, token: string): string {
  const row = c.store.subscriptionByToken(topic.arn, token);
  if (!row) throw invalidParameter('Token');
  c.store.confirm(row.arn);
  return row.arn;
}

/** Removes a subscription; an HTTP/S endpoint is told with an UnsubscribeConfirmation. */
export function unsubscribe(c: SnsContext, row: SubscriptionRow): void {
  c.deps.db.transaction(() => {
    const topic = c.store.topic(row.topic_arn);
    if (topic && row.confirmed && (row.protocol === 'http' || row.protocol === 'https')) sendConfirmation(c, topic, row, 'UnsubscribeConfirmation');
    c.store.deleteSubscription(row.arn);
  })();
}

/** Subscription operations are authorized on the topic the subscription belongs to. */
const topicOfSubscription = (arn: string | undefined) => {
  const ref = arn ? parseSubscriptionArn(arn) : undefined;
  return ref ? topicArn(ref) : '*';
};

export function subscriptionOperations(c: SnsContext): Record<string, OperationSpec> {
  const bySubscription = (action: string) => ({
    action: `sns:${action}`,
    resource: (input: { SubscriptionArn?: string }) => topicOfSubscription(input.SubscriptionArn),
    resourcePolicy: (input: { SubscriptionArn?: string }) => topicPolicy(c, topicOfSubscription(input.SubscriptionArn)),
  });
  return {
    Subscribe: operation<SNS.SubscribeInput, SNS.SubscribeResponse>({
      iam: topicIam(c, 'Subscribe'),
      handler: (input, ctx) => {
        const protocol = input.Protocol!;
        if (!PROTOCOLS.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
        const topic = requireTopic(c, input.TopicArn!, ctx);
        const fifo = isFifo(topic);
        // FIFO topics deliver only to SQS queues (SNS DG, FIFO message delivery).
        if (fifo && protocol !== 'sqs') throw invalidParameter(`Invalid protocol type: ${protocol}`);
        const endpoint = checkEndpoint(protocol, input.Endpoint, fifo);
        const attributes = { ...(input.Attributes ?? {}) };
        for (const [name, value] of Object.entries(attributes)) checkSubscriptionAttribute(name, value, protocol, attributes, fifo);
        return c.deps.db.transaction(() => {
          const existing = c.store.findSubscription(topic.arn, protocol, endpoint);
          if (existing) {
            const current = attributesOf(existing);
            if (Object.entries(attributes).some(([k, v]) => current[k] !== v)) throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
            return { SubscriptionArn: existing.confirmed || input.ReturnSubscriptionArn ? existing.arn : 'pending confirmation' };
          }
          const needsConfirmation = CONFIRMED_BY_ENDPOINT.has(protocol);
          const row: SubscriptionRow = {
            arn: `${topic.arn}:${c.deps.ids.uuid()}`,
            topic_arn: topic.arn,
            owner: ctx.accountId,
            protocol,
            endpoint,
            attributes: JSON.stringify(attributes),
            token: randomBytes(64).toString('hex'),
            confirmed: needsConfirmation ? 0 : 1,
            created_at: c.now(),
          };
          c.store.insertSubscription(row);
          if (needsConfirmation) sendConfirmation(c, topic, row, 'SubscriptionConfirmation');
          return { SubscriptionArn: !needsConfirmation || input.ReturnSubscriptionArn ? row.arn : 'pending confirmation' };
        })();
      },
    }),
    ConfirmSubscription: operation<SNS.ConfirmSubscriptionInput, SNS.ConfirmSubscriptionResponse>({
      iam: topicIam(c, 'ConfirmSubscription'),
      handler: (input, ctx) => ({ SubscriptionArn: confirmSubscription(c, requireTopic(c, input.TopicArn!, ctx), input.Token!) }),
    }),
    Unsubscribe: operation<SNS.UnsubscribeInput, object>({
      iam: bySubscription('Unsubscribe'),
      handler: (input) => {
        unsubscribe(c, requireSubscription(c, input.SubscriptionArn!));
        return {};
      },
    }),
    GetSubscriptionAttributes: operation<SNS.GetSubscriptionAttributesInput, SNS.GetSubscriptionAttributesResponse>({
      iam: bySubscription('GetSubscriptionAttributes'),
      handler: (input) => {
        const row = requireSubscription(c, input.SubscriptionArn!);
        const topic = c.store.topic(row.topic_arn);
        return { Attributes: subscriptionAttributes(row, topic ? attributesOf(topic).DeliveryPolicy : undefined) };
      },
    }),
    SetSubscriptionAttributes: operation<SNS.SetSubscriptionAttributesInput, object>({
      iam: bySubscription('SetSubscriptionAttributes'),
      handler: (input) => {
        const row = requireSubscription(c, input.SubscriptionArn!);
        const topic = c.store.topic(row.topic_arn);
        const attributes = attributesOf(row);
        const value = input.AttributeValue ?? '';
        const next = { ...attributes, [input.AttributeName!]: value };
        checkSubscriptionAttribute(input.AttributeName!, value, row.protocol, next, topic ? isFifo(topic) : false);
        if (value === '' && input.AttributeName !== 'RawMessageDelivery') delete next[input.AttributeName!];
        c.store.setSubscriptionAttributes(row.arn, next);
        return {};
      },
    }),
    ListSubscriptions: operation<SNS.ListSubscriptionsInput, SNS.ListSubscriptionsResponse>({
      iam: { action: 'sns:ListSubscriptions', resource: () => '*' },
      handler: (input, ctx: RequestContext) => {
        const page = pageOf(input.NextToken, 100, (after, limit) => c.store.subscriptions(ctx.accountId, ctx.region, undefined, after, limit), (s) => s.arn);
        return { Subscriptions: page.items.map(listed), ...(page.next ? { NextToken: page.next } : {}) };
      },
    }),
    ListSubscriptionsByTopic: operation<SNS.ListSubscriptionsByTopicInput, SNS.ListSubscriptionsByTopicResponse>({
      iam: topicIam(c, 'ListSubscriptionsByTopic'),
      handler: (input, ctx) => {
        const topic = requireTopic(c, input.TopicArn!, ctx);
        const page = pageOf(input.NextToken, 100, (after, limit) => c.store.subscriptions(ctx.accountId, ctx.region, topic.arn, after, limit), (s) => s.arn);
        return { Subscriptions: page.items.map(listed), ...(page.next ? { NextToken: page.next } : {}) };
      },
    }),
  };
}
