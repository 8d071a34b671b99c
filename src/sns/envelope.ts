import type { MessageAttribute } from './filter-policy.js';
import { signMessage } from './signing.js';
import type { SnsContext } from './context.js';

/** What was published, once, before it fans out to subscriptions. */
export interface Published {
  messageId: string;
  topicArn: string;
  /** The message per protocol (`MessageStructure: json`) or the one message for all. */
  message: string | Record<string, string>;
  subject?: string;
  attributes: Record<string, MessageAttribute>;
  timestamp: string;
  fifo?: { groupId: string; dedupId: string; sequenceNumber: string };
  signatureVersion: string;
}

export const messageFor = (p: Published, protocol: string): string => (typeof p.message === 'string' ? p.message : (p.message[protocol] ?? p.message.default));

export const certUrl = (c: SnsContext) => `${c.endpoint()}/SimpleNotificationService-${c.key.id}.pem`;
/** The links SNS puts in its messages, served by codesuite (GET, unsigned, as a browser or curl follows them). */
export const unsubscribeUrl = (c: SnsContext, subscriptionArn: string) =>
  `${c.endpoint()}/_codesuite/sns/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
export const subscribeUrl = (c: SnsContext, topicArn: string, token: string) =>
  `${c.endpoint()}/_codesuite/sns/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`;

/** AWS writes its JSON messages with `"Key" : value` members, two spaces in, one per line. */
export function snsJson(fields: Record<string, unknown>): string {
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`);
  return `{\n${lines.join(',\n')}\n}`;
}

/** The fields of a Notification as HTTP, SQS and email-json endpoints get it; FIFO topics send no signature. */
export function notification(c: SnsContext, p: Published, subscriptionArn: string, protocol: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    Type: 'Notification',
    MessageId: p.messageId,
    ...(p.fifo ? { SequenceNumber: p.fifo.sequenceNumber } : {}),
    TopicArn: p.topicArn,
    ...(p.subject !== undefined ? { Subject: p.subject } : {}),
    Message: messageFor(p, protocol),
    Timestamp: p.timestamp,
  };
  if (!p.fifo) {
    fields.SignatureVersion = p.signatureVersion;
    fields.Signature = signMessage(c.key, fields, p.signatureVersion);
    fields.SigningCertURL = certUrl(c);
  }
  fields.UnsubscribeURL = unsubscribeUrl(c, subscriptionArn);
  if (Object.keys(p.attributes).length > 0) fields.MessageAttributes = p.attributes;
  return fields;
}

/** The record a Lambda function gets: `SigningCertUrl`/`UnsubscribeUrl` spelled so, Subject and MessageAttributes always there. */
export function lambdaEvent(c: SnsContext, p: Published, subscriptionArn: string): string {
  const n = notification(c, { ...p, fifo: undefined }, subscriptionArn, 'lambda');
  return JSON.stringify({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: n.Type,
          MessageId: n.MessageId,
          TopicArn: n.TopicArn,
          Subject: p.subject ?? null,
          Message: n.Message,
          Timestamp: n.Timestamp,
          SignatureVersion: n.SignatureVersion,
          Signature: n.Signature,
          SigningCertUrl: n.SigningCertURL,
          UnsubscribeUrl: n.UnsubscribeURL,
          MessageAttributes: p.attributes,
        },
      },
    ],
  });
}

/** SubscriptionConfirmation / UnsubscribeConfirmation, signed. */
export function confirmation(c: SnsContext, type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation', topicArn: string, subscriptionArn: string, token: string, messageId: string, signatureVersion: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    Type: type,
    MessageId: messageId,
    Token: token,
    TopicArn: topicArn,
    Message:
      type === 'SubscriptionConfirmation'
        ? `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
        : `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: subscribeUrl(c, topicArn, token),
    Timestamp: new Date(c.now()).toISOString(),
  };
  fields.SignatureVersion = signatureVersion;
  fields.Signature = signMessage(c.key, fields, signatureVersion);
  fields.SigningCertURL = certUrl(c);
  return fields;
}
