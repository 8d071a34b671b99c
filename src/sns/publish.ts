import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { createHash } from 'node:crypto';
import { isFifo, type SnsContext } from './context.js';
import { lambdaEvent, messageFor, notification, snsJson, unsubscribeUrl, type Published } from './envelope.js';
import { invalidParameter } from './errors.js';
import { matchesPolicy, parseFilterPolicy, type FilterScope } from './filter-policy.js';
import { attributesBytes, checkMessageAttributes, sqsAttributes } from './message-attributes.js';
import { enqueueDelivery } from './outgoing.js';
import { attributesOf, type SubscriptionRow, type TopicRow } from './store.js';

export interface PublishRequest {
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

const MAX_BYTES = 262_144;
const DEDUP_WINDOW_MS = 5 * 60_000;
/** Protocols whose messages are the JSON envelope unless raw delivery is on. */
const RAW_CAPABLE = new Set(['http', 'https', 'sqs', 'firehose']);

function checkSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  // ASCII text, no line breaks or control characters, at most 100 characters.
  if (subject.length === 0 || subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject)) throw invalidParameter('Subject');
}

/** The message, or its per-protocol variants for `MessageStructure: json`. */
function messageOf(request: PublishRequest): string | Record<string, string> {
  const message = request.Message ?? '';
  if (message.length === 0) throw invalidParameter('Empty message');
  if (request.MessageStructure === undefined) return message;
  if (request.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParameter('Message Structure - JSON message body failed to parse');
  const variants = parsed as Record<string, unknown>;
  if (typeof variants.default !== 'string') throw invalidParameter('Message Structure - No default entry in JSON message body');
  return Object.fromEntries(Object.entries(variants).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Checks a publish and persists one delivery per subscription whose filter policy accepts it, in
 * one transaction: what was acknowledged is delivered even if the process stops right after.
 * FIFO topics deduplicate (by id or content) within five minutes and number their messages.
 */
export function publish(c: SnsContext, topic: TopicRow, request: PublishRequest): { MessageId: string; SequenceNumber?: string } {
  const message = messageOf(request);
  checkSubject(request.Subject);
  const attributes = checkMessageAttributes(request.MessageAttributes);
  if (Buffer.byteLength(request.Message!) + attributesBytes(attributes) > MAX_BYTES) throw invalidParameter('Message too long');
  const topicAttributes = attributesOf(topic);
  const fifo = isFifo(topic);
  let dedupId = request.MessageDeduplicationId;
  if (fifo) {
    if (!request.MessageGroupId) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
    if (!dedupId) {
      if (topicAttributes.ContentBasedDeduplication !== 'true') {
        throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      dedupId = createHash('sha256').update(request.Message!).digest('hex');
    }
  } else if (dedupId !== undefined) {
    throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
  } else if (request.MessageGroupId !== undefined) {
    throw invalidParameter('MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type');
  }

  return c.deps.db.transaction(() => {
    const now = c.now();
    if (fifo) {
      const seen = c.store.duplicate(topic.arn, dedupId!, now);
      if (seen) return { MessageId: seen.message_id, SequenceNumber: seen.sequence_number };
    }
    const published: Published = {
      messageId: c.deps.ids.uuid(),
      topicArn: topic.arn,
      message,
      ...(request.Subject !== undefined ? { subject: request.Subject } : {}),
      attributes,
      timestamp: new Date(now).toISOString(),
      signatureVersion: topicAttributes.SignatureVersion ?? '1',
    };
    if (fifo) {
      const sequenceNumber = String(c.store.nextSequence(topic.arn)).padStart(20, '0');
      published.fifo = { groupId: request.MessageGroupId!, dedupId: dedupId!, sequenceNumber };
      c.store.rememberDedup(topic.arn, dedupId!, published.messageId, sequenceNumber, now + DEDUP_WINDOW_MS);
    }
    for (const subscription of c.store.subscriptionsOf(topic.arn)) {
      if (!subscription.confirmed || !accepts(subscription, published)) continue;
      fanOut(c, topic, subscription, published);
    }
    return { MessageId: published.messageId, ...(published.fifo ? { SequenceNumber: published.fifo.sequenceNumber } : {}) };
  })();
}

function accepts(subscription: SubscriptionRow, p: Published): boolean {
  const attributes = attributesOf(subscription);
  if (!attributes.FilterPolicy) return true;
  const policy = parseFilterPolicy(attributes.FilterPolicy, (attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterScope);
  return matchesPolicy(policy, messageFor(p, subscription.protocol), p.attributes);
}

/** The body one subscription gets, by protocol and raw delivery, persisted for delivery. */
function fanOut(c: SnsContext, topic: TopicRow, subscription: SubscriptionRow, p: Published): void {
  const raw = RAW_CAPABLE.has(subscription.protocol) && attributesOf(subscription).RawMessageDelivery === 'true';
  const text = messageFor(p, subscription.protocol);
  let body: string;
  switch (subscription.protocol) {
    case 'lambda':
      body = lambdaEvent(c, p, subscription.arn);
      break;
    case 'email':
      body = `${text}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n${unsubscribeUrl(c, subscription.arn)}\n\nPlease do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support`;
      break;
    case 'sms':
      body = text;
      break;
    default:
      body = raw ? text : snsJson(notification(c, p, subscription.arn, subscription.protocol));
  }
  enqueueDelivery(c, topic, subscription, body, {
    messageType: 'Notification',
    messageId: p.messageId,
    raw,
    ...(p.subject !== undefined ? { subject: p.subject } : {}),
    ...(p.fifo ? { MessageGroupId: p.fifo.groupId, MessageDeduplicationId: p.fifo.dedupId } : {}),
    ...(raw && subscription.protocol === 'sqs' && Object.keys(p.attributes).length > 0 ? { MessageAttributes: sqsAttributes(p.attributes) } : {}),
  });
}
