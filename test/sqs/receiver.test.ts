import { describe, expect, it } from 'vitest';
import { rootCaller } from '../../src/core/context.js';
import type { Delivery } from '../../src/core/delivery.js';
import { openDatabase } from '../../src/core/store/db.js';
import { parseConfig } from '../../src/config.js';
import { createSqs } from '../../src/sqs/service.js';
import { standaloneDeps } from '../helpers/service-deps.js';

const ACCOUNT = '000000000000';
const as = { caller: rootCaller(ACCOUNT), region: 'us-east-1' };

/** SQS built alone, with IAM enforced, reached through the delivery registry and the internal client. */
function setup() {
  const deps = { ...standaloneDeps(openDatabase(undefined), '/tmp'), config: parseConfig({ enforceIam: true }) };
  const sqs = createSqs(deps);
  deps.internal.bind([sqs], () => ({ allowed: true }), () => 'http://127.0.0.1:1');
  const call = <O = Record<string, any>>(op: string, input: object) => deps.internal.call<O>('sqs', op, input, as);
  return { deps, call };
}

const topicPolicy = (queueArn: string, topicArn: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': topicArn } } }],
  });

describe('deliveries to a queue', () => {
  it('enqueue with the group, deduplication id and message attributes a sender passes, when the queue policy allows the sender', async () => {
    const { deps, call } = setup();
    const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:events.fifo`;
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:builds.fifo`;
    const { QueueUrl } = await call('CreateQueue', { QueueName: 'events.fifo', Attributes: { FifoQueue: 'true', Policy: topicPolicy(queueArn, topicArn) } });
    const delivery: Delivery = {
      targetArn: queueArn,
      message: 'build failed',
      sourceService: 'sns.amazonaws.com',
      sourceArn: topicArn,
      sourceAccount: ACCOUNT,
      attributes: {
        MessageGroupId: 'project-a',
        MessageDeduplicationId: 'event-1',
        MessageAttributes: { status: { DataType: 'String', StringValue: 'FAILED' }, raw: { DataType: 'Binary', BinaryValue: Buffer.from('hi').toString('base64') } },
      },
    };
    expect(await deps.delivery.attempt(delivery)).toMatchObject({ ok: true });
    // The same deduplication id within five minutes is taken and not enqueued twice.
    expect(await deps.delivery.attempt(delivery)).toMatchObject({ ok: true });
    const got = await call('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] });
    expect(got.Messages).toHaveLength(1);
    expect(got.Messages[0]).toMatchObject({ Body: 'build failed', Attributes: { MessageGroupId: 'project-a', MessageDeduplicationId: 'event-1', SenderId: 'sns.amazonaws.com' } });
    expect(got.Messages[0].MessageAttributes.status).toEqual({ DataType: 'String', StringValue: 'FAILED' });
    expect(Buffer.from(got.Messages[0].MessageAttributes.raw.BinaryValue).toString()).toBe('hi');
  });

  it('refuse a sender the queue policy does not name, and a FIFO message without a group', async () => {
    const { deps, call } = setup();
    const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:strict.fifo`;
    await call('CreateQueue', { QueueName: 'strict.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', Policy: topicPolicy(queueArn, 'arn:aws:sns:us-east-1:000000000000:allowed') } });
    const base = { targetArn: queueArn, message: 'x', sourceService: 'sns.amazonaws.com', sourceAccount: ACCOUNT };
    const other = await deps.delivery.attempt({ ...base, sourceArn: 'arn:aws:sns:us-east-1:000000000000:other', attributes: { MessageGroupId: 'g' } });
    expect(other).toMatchObject({ ok: false, retryable: false });
    expect(other.detail).toContain('AccessDenied');
    const noGroup = await deps.delivery.attempt({ ...base, sourceArn: 'arn:aws:sns:us-east-1:000000000000:allowed' });
    expect(noGroup).toMatchObject({ ok: false, retryable: false, detail: 'MissingRequiredParameterException: The request must contain the parameter MessageGroupId.' });
    const missing = await deps.delivery.attempt({ ...base, targetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:nope`, sourceArn: 'x' });
    expect(missing).toMatchObject({ ok: false, retryable: true });
  });
});
