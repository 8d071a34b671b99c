import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { outbox, sns, Subscriber, until, verifySignature } from './helpers.js';

let server: RunningServer;
let client: ReturnType<typeof sns>;

beforeAll(async () => {
  server = await testServer();
  client = sns(server);
});
afterAll(() => server.stop());

/** Subscribes a loopback endpoint and confirms it by following the SubscribeURL, as a receiver does. */
async function confirmedHttp(topicArn: string, attributes: Record<string, string> = {}): Promise<{ subscriber: Subscriber; arn: string }> {
  const subscriber = await new Subscriber().start();
  const { SubscriptionArn } = await client.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: subscriber.url, Attributes: attributes }));
  expect(SubscriptionArn).toBe('pending confirmation');
  const [confirmation] = await subscriber.messages('SubscriptionConfirmation');
  expect(await verifySignature(confirmation)).toBe(true);
  expect(confirmation.Message).toBe(`You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
  const answer = await fetch(confirmation.SubscribeURL);
  expect(answer.status).toBe(200);
  const arn = /<SubscriptionArn>(.+)<\/SubscriptionArn>/.exec(await answer.text())![1];
  return { subscriber, arn };
}

describe('HTTP subscriptions', () => {
  it('confirms by the SubscribeURL handshake, then delivers signed notifications (SignatureVersion 1 and 2) the receiver verifies', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'signed' }));
    const { subscriber, arn } = await confirmedHttp(TopicArn!);
    const listed = (await client.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
    expect(listed).toEqual([expect.objectContaining({ SubscriptionArn: arn, Protocol: 'http', Endpoint: subscriber.url })]);

    const { MessageId } = await client.send(new PublishCommand({ TopicArn, Message: 'first', Subject: 'One' }));
    await client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
    await client.send(new PublishCommand({ TopicArn, Message: 'second', MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } } }));
    const [one, two] = await subscriber.messages('Notification', 2);
    expect(one).toMatchObject({ Type: 'Notification', MessageId, TopicArn, Subject: 'One', Message: 'first', SignatureVersion: '1' });
    expect(two).toMatchObject({ Message: 'second', SignatureVersion: '2', MessageAttributes: { kind: { Type: 'String', Value: 'x' } } });
    expect(await verifySignature(one)).toBe(true);
    expect(await verifySignature(two)).toBe(true);
    expect(await verifySignature({ ...one, Message: 'tampered' })).toBe(false);
    const notification = subscriber.received.find((r) => r.headers['x-amz-sns-message-id'] === MessageId)!;
    expect(notification.headers).toMatchObject({
      'x-amz-sns-topic-arn': TopicArn,
      'x-amz-sns-subscription-arn': arn,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });

    await client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
    await client.send(new PublishCommand({ TopicArn, Message: 'raw body' }));
    await until(() => subscriber.received.some((r) => r.body === 'raw body' && r.headers['x-amz-sns-rawdelivery'] === 'true'), 'raw delivery');

    await client.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
    const [bye] = await subscriber.messages('UnsubscribeConfirmation');
    expect(await verifySignature(bye)).toBe(true);
    expect(await awsError(client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn })))).toMatchObject({ message: 'Subscription does not exist' });
    await subscriber.stop();
  });

  it('routes two kinds of message to two subscribers by filter policy, on attributes and on the body', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'routed' }));
    const orders = await confirmedHttp(TopicArn!, { FilterPolicy: JSON.stringify({ kind: ['order'], total: [{ numeric: ['>=', 100] }] }) });
    const refunds = await confirmedHttp(TopicArn!, {
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({ detail: { kind: [{ prefix: 'refund' }], region: [{ 'anything-but': ['eu'] }] } }),
    });
    const attrs = (kind: string, total: string) => ({ kind: { DataType: 'String', StringValue: kind }, total: { DataType: 'Number', StringValue: total } });
    await client.send(new PublishCommand({ TopicArn, Message: 'big order', MessageAttributes: attrs('order', '250') }));
    await client.send(new PublishCommand({ TopicArn, Message: 'small order', MessageAttributes: attrs('order', '5') }));
    await client.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ detail: { kind: 'refund-full', region: 'us' } }) }));
    await client.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ detail: { kind: 'refund-full', region: 'eu' } }) }));
    await client.send(new PublishBatchCommand({
      TopicArn,
      PublishBatchRequestEntries: [
        { Id: 'a', Message: 'batch order', MessageAttributes: attrs('order', '100') },
        { Id: 'b', Message: JSON.stringify({ detail: { kind: 'refund-part', region: 'ap' } }) },
      ],
    }));
    const gotOrders = await orders.subscriber.messages('Notification', 2);
    const gotRefunds = await refunds.subscriber.messages('Notification', 2);
    // Everything published was delivered or filtered before the last two arrived: wait for the queue to drain.
    await until(async () => {
      const res = await fetch(`${server.endpoint}/_codesuite/deliveries?source=${encodeURIComponent(TopicArn!)}`);
      return ((await res.json()) as { deliveries: { status: string }[] }).deliveries.every((d) => d.status !== 'PENDING');
    });
    expect(orders.subscriber.received.filter((r) => r.headers['x-amz-sns-message-type'] === 'Notification')).toHaveLength(2);
    expect(gotOrders.map((m) => m.Message).sort()).toEqual(['batch order', 'big order']);
    expect(gotRefunds.map((m) => JSON.parse(m.Message).detail.region).sort()).toEqual(['ap', 'us']);
    await orders.subscriber.stop();
    await refunds.subscriber.stop();
  });

  it('refuses a filter policy that is not valid, with AWS code and text', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'bad-filter' }));
    const subscribe = (policy: string, scope?: string) =>
      awsError(
        client.send(
          new SubscribeCommand({
            TopicArn,
            Protocol: 'email',
            Endpoint: 'ops@example.com',
            Attributes: { FilterPolicy: policy, ...(scope ? { FilterPolicyScope: scope } : {}) },
          }),
        ),
      );
    expect(await subscribe('{"kind": ')).toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/^Invalid parameter: FilterPolicy: failed to parse JSON\./) });
    expect(await subscribe('{"kind": [{"regex": "a.*"}]}')).toMatchObject({ message: 'Invalid parameter: FilterPolicy: Unrecognized match type regex' });
    expect(await subscribe('{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}')).toMatchObject({
      message: 'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys',
    });
    expect(await subscribe('{"detail": {"kind": ["x"]}}')).toMatchObject({
      message: 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    });
    expect(await subscribe('{"n": [{"numeric": [">", "x"]}]}')).toMatchObject({ message: 'Invalid parameter: FilterPolicy: Value of > must be numeric' });
  });
});

describe('delivery retries', () => {
  it('retries a 5xx as the DeliveryPolicy says, then hands the message to the RedrivePolicy queue; a 4xx is not retried', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'flaky' }));
    const dlq = 'arn:aws:sqs:us-east-1:000000000000:flaky-dlq';
    const { subscriber, arn } = await confirmedHttp(TopicArn!, {
      DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 1, minDelayTarget: 1, maxDelayTarget: 1 } }),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq }),
    });
    const { Attributes } = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).healthyRetryPolicy).toMatchObject({ numRetries: 1 });
    const records = async (target: string) => {
      const res = await fetch(`${server.endpoint}/_codesuite/deliveries?target=${encodeURIComponent(target)}`);
      return ((await res.json()) as { deliveries: { status: string; attempts: number; detail: string }[] }).deliveries;
    };

    subscriber.status = 500;
    await client.send(new PublishCommand({ TopicArn, Message: 'lost' }));
    await until(async () => (await records(arn)).some((d) => d.status === 'FAILED'), 'the delivery to give up');
    expect((await records(arn))[0]).toMatchObject({ status: 'FAILED', attempts: 2, detail: expect.stringContaining(`Sent to the dead-letter target ${dlq}`) });
    expect(subscriber.received.filter((r) => r.headers['x-amz-sns-message-type'] === 'Notification')).toHaveLength(2);
    expect((await records(dlq)).length).toBe(1);

    subscriber.status = 404;
    await client.send(new PublishCommand({ TopicArn, Message: 'refused' }));
    await until(async () => (await records(arn)).length === 3 && (await records(arn))[0].status !== 'PENDING', 'the refused delivery');
    expect((await records(arn))[0]).toMatchObject({ status: 'SUCCEEDED', attempts: 1, detail: expect.stringContaining('answered HTTP 404') });
    await subscriber.stop();
  });
});

describe('email and SMS outbox', () => {
  it('keeps the confirmation email and, once confirmed, the notifications, for a lab to read', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'mail' }));
    await client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'dev@example.com' }));
    await client.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' }));
    let mail: Awaited<ReturnType<typeof outbox>> = [];
    await until(async () => (mail = await outbox(server, 'dev@example.com')).length === 1, 'confirmation email');
    expect(mail[0]).toMatchObject({ type: 'SubscriptionConfirmation', subject: 'AWS Notification - Subscription Confirmation' });
    const link = /(http:\/\/\S+ConfirmSubscription\S+)/.exec(mail[0].body)![1];
    expect((await fetch(link)).status).toBe(200);
    await client.send(new PublishCommand({ TopicArn, Message: 'Build failed', Subject: 'CI' }));
    await until(async () => (mail = await outbox(server, 'dev@example.com')).length === 2, 'notification email');
    expect(mail[1]).toMatchObject({ type: 'Notification', subject: 'CI', body: expect.stringMatching(/^Build failed\n\n--\nIf you wish to stop receiving/) });
    let sms: Awaited<ReturnType<typeof outbox>> = [];
    await until(async () => (sms = await outbox(server, '+15555550100')).length === 1, 'sms');
    expect(sms[0]).toMatchObject({ type: 'Notification', body: 'Build failed' });
  });
});

describe('FIFO topics', () => {
  it('needs a group id, deduplicates within five minutes, and numbers messages in order', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'jobs.fifo', Attributes: { FifoTopic: 'true' } }));
    expect(await awsError(client.send(new PublishCommand({ TopicArn, Message: 'm' })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    });
    expect(await awsError(client.send(new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'g' })))).toMatchObject({
      message: 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    const first = await client.send(new PublishCommand({ TopicArn, Message: 'm1', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    const again = await client.send(new PublishCommand({ TopicArn, Message: 'm1', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    const second = await client.send(new PublishCommand({ TopicArn, Message: 'm2', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }));
    expect(again).toMatchObject({ MessageId: first.MessageId, SequenceNumber: first.SequenceNumber });
    expect(BigInt(second.SequenceNumber!)).toBeGreaterThan(BigInt(first.SequenceNumber!));
    await client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'true' }));
    const byContent = await client.send(new PublishCommand({ TopicArn, Message: 'same', MessageGroupId: 'g' }));
    expect((await client.send(new PublishCommand({ TopicArn, Message: 'same', MessageGroupId: 'g' }))).MessageId).toBe(byContent.MessageId);
    expect(await awsError(client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'a@example.com' })))).toMatchObject({
      message: 'Invalid parameter: Invalid protocol type: email',
    });
    const { TopicArn: standard } = await client.send(new CreateTopicCommand({ Name: 'plain' }));
    expect(await awsError(client.send(new PublishCommand({ TopicArn: standard, Message: 'm', MessageDeduplicationId: 'x' })))).toMatchObject({
      message: 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    });
    expect(
      await awsError(client.send(new SubscribeCommand({ TopicArn: standard, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q.fifo' }))),
    ).toMatchObject({ message: 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics' });
  });
});
