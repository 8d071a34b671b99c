import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { awsError } from '../helpers/server.js';
import { sqsSuite } from './helpers.js';

const suite = sqsSuite();
const { queue } = suite;

describe('standard queues', () => {
  it('builds the queue URL from the endpoint the request reached', async () => {
    expect(await queue('urls')).toBe(`${suite.server.endpoint}/000000000000/urls`);
  });

  it('sends and receives with the MD5 digests the SDK checks, attributes included', async () => {
    const url = await queue('digests');
    const sent = await suite.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'héllo',
        MessageAttributes: {
          colour: { DataType: 'String', StringValue: 'blue' },
          size: { DataType: 'Number', StringValue: '12' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
        },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } },
      }),
    );
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('héllo').digest('hex'));
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    const got = await suite.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    const [m] = got.Messages!;
    expect(m.Body).toBe('héllo');
    expect(m.MessageId).toBe(sent.MessageId);
    expect(m.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(Buffer.from(m.MessageAttributes!.blob.BinaryValue!)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(m.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: '000000000000', AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' });
  });

  it('hides a received message for its visibility timeout and shows it again after', async () => {
    const url = await queue('visibility', { VisibilityTimeout: '1' });
    await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'one' }));
    const first = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(first.Messages).toHaveLength(1);
    expect((await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const attributes = await suite.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(attributes.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1', VisibilityTimeout: '1' });
    // A long poll answers when the message shows again, without a client-side retry.
    const again = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(again.Messages![0].Attributes!.ApproximateReceiveCount).toBe('2');
    // The first receipt handle is stale: deleting with it deletes nothing.
    await suite.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0].ReceiptHandle! }));
    await suite.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0].ReceiptHandle!, VisibilityTimeout: 0 }));
    const third = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(third.Messages![0].MessageId).toBe(first.Messages![0].MessageId);
    await suite.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third.Messages![0].ReceiptHandle! }));
    const empty = await suite.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(empty.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('answers a long poll as soon as a message arrives', async () => {
    const url = await queue('long-poll');
    let answered = false;
    const polling = suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 })).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    const got = await polling;
    expect(got.Messages![0].Body).toBe('wake up');
  });

  it('delays messages by the queue delay or the message delay', async () => {
    const url = await queue('delayed', { DelaySeconds: '0' });
    await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 1 }));
    const attributes = await suite.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
    expect(attributes.Attributes).toEqual({ ApproximateNumberOfMessagesDelayed: '1' });
    expect((await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const got = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    expect(got.Messages![0].Body).toBe('later');
  });

  it('sends and deletes in batches, reporting each failed entry on its own', async () => {
    const url = await queue('batches');
    const sent = await suite.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'A' },
          { Id: 'b', MessageBody: 'B', DelaySeconds: 901 },
          { Id: 'c', MessageBody: 'C' },
        ],
      }),
    );
    expect(sent.Successful!.map((e) => e.Id)).toEqual(['a', 'c']);
    expect(sent.Failed).toEqual([
      { Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.' },
    ]);
    const got = await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(got.Messages!.map((m) => m.Body).sort()).toEqual(['A', 'C']);
    const deleted = await suite.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: url, Entries: got.Messages!.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! })) }),
    );
    expect(deleted.Successful).toHaveLength(2);
    expect(deleted.Failed).toEqual([]);
    const tooMany = await awsError(
      suite.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })) })),
    );
    expect(tooMany).toMatchObject({ name: 'TooManyEntriesInBatchRequest', message: 'Maximum number of entries per request are 10. You have sent 11.' });
  });

  it('purges once a minute', async () => {
    const url = await queue('purge');
    await suite.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await suite.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    expect(await awsError(suite.sqs.send(new PurgeQueueCommand({ QueueUrl: url })))).toMatchObject({
      name: 'PurgeQueueInProgress',
      message: 'Only one PurgeQueue operation on purge is allowed every 60 seconds.',
      status: 403,
    });
  });
});

describe('bad input', () => {
  it('answers a receive on a deleted queue with QueueDoesNotExist', async () => {
    const url = await queue('deleted');
    await suite.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const err = await awsError(suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url })));
    expect(err).toMatchObject({ name: 'QueueDoesNotExist', message: 'The specified queue does not exist.', status: 400 });
  });

  it('refuses out-of-range receive parameters and bad receipt handles', async () => {
    const url = await queue('ranges');
    expect(await awsError(suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 21 })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    });
    expect(await awsError(suite.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })))).toMatchObject({
      message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
    expect(await awsError(suite.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'nonsense' })))).toMatchObject({
      name: 'ReceiptHandleIsInvalid',
    });
  });

  it('refuses a queue of the same name with different attributes', async () => {
    await queue('same', { VisibilityTimeout: '10' });
    expect(await queue('same', { VisibilityTimeout: '10' })).toContain('/same');
    expect(await awsError(suite.sqs.send(new CreateQueueCommand({ QueueName: 'same', Attributes: { VisibilityTimeout: '11' } })))).toMatchObject({
      name: 'QueueNameExists',
      message: 'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
    });
  });
});
