import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { awsError } from '../helpers/server.js';
import { sqsSuite } from './helpers.js';

const suite = sqsSuite();
const { queue } = suite;
const arnOf = async (url: string) =>
  (await suite.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;

describe('FIFO queues', () => {
  it('keeps order within a group and holds a group while one of its messages is in flight', async () => {
    const url = await queue('orders.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    for (const [group, body] of [['g1', 'a1'], ['g2', 'b1'], ['g1', 'a2'], ['g2', 'b2'], ['g1', 'a3']]) {
      await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: group }));
    }
    const first = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2, MessageSystemAttributeNames: ['MessageGroupId'] }));
    expect(first.Messages!.map((m) => m.Body)).toEqual(['a1', 'b1']);
    // Both groups are in flight now: nothing more until they are deleted.
    expect((await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages).toBeUndefined();
    await suite.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0].ReceiptHandle! }));
    const next = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(next.Messages!.map((m) => m.Body)).toEqual(['a2', 'a3']);
  });

  it('deduplicates by id and by content within five minutes, answering with the first message id', async () => {
    const url = await queue('dedup.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const one = await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g' }));
    const two = await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g' }));
    expect(two.MessageId).toBe(one.MessageId);
    expect(one.SequenceNumber).toMatch(/^\d{20}$/);
    const three = await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g', MessageDeduplicationId: 'other' }));
    expect(three.MessageId).not.toBe(one.MessageId);
    expect(BigInt(three.SequenceNumber!)).toBeGreaterThan(BigInt(one.SequenceNumber!));
    const got = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(got.Messages).toHaveLength(2);
  });

  it('answers a retried ReceiveRequestAttemptId with the same batch', async () => {
    const url = await queue('attempts.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' }));
    const one = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, ReceiveRequestAttemptId: 'try-1' }));
    const two = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, ReceiveRequestAttemptId: 'try-1' }));
    expect(two.Messages![0].ReceiptHandle).toBe(one.Messages![0].ReceiptHandle);
  });

  it('requires a group id and a deduplication id or content-based deduplication', async () => {
    const url = await queue('strict.fifo', { FifoQueue: 'true' });
    expect(await awsError(suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })))).toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    expect(await awsError(suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' })))).toMatchObject({
      message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    expect(await awsError(suite.sqs.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: { FifoQueue: 'true' } })))).toMatchObject({
      message: 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    });
  });
});

describe('dead-letter queues', () => {
  it('moves a message past maxReceiveCount to the dead-letter queue and redrives it back', async () => {
    const dlqUrl = await queue('work-dlq');
    const dlqArn = await arnOf(dlqUrl);
    const url = await queue('work', { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) });
    const sourceArn = await arnOf(url);
    const sent = await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    expect((await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(1);
    expect((await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(1);
    // The third receive would exceed maxReceiveCount: the message goes to the dead-letter queue.
    expect((await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const dead = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['All'], VisibilityTimeout: 0 }));
    expect(dead.Messages![0]).toMatchObject({ MessageId: sent.MessageId, Body: 'poison' });
    expect(dead.Messages![0].Attributes!.DeadLetterQueueSourceArn).toBe(sourceArn);
    expect((await suite.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }))).queueUrls).toEqual([url]);

    expect(await awsError(suite.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn })))).toMatchObject({
      message: 'Source queue must be configured as a Dead Letter Queue.',
    });
    await suite.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    await suite.server.scheduler.tick();
    const tasks = await suite.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    expect(tasks.Results![0]).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 1, SourceArn: dlqArn });
    const back = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(back.Messages![0].MessageId).toBe(sent.MessageId);
  });

  it('refuses a redrive policy naming a missing queue', async () => {
    const err = await awsError(
      suite.sqs.send(
        new CreateQueueCommand({
          QueueName: 'orphan',
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:missing', maxReceiveCount: 1 }) },
        }),
      ),
    );
    expect(err).toMatchObject({ name: 'InvalidAttributeValue' });
  });
});
