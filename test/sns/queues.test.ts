import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { credentials, testServer } from '../helpers/server.js';
import { sns } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

describe('SNS to SQS', () => {
  it('routes two kinds of message to two queues by their subscriptions’ filter policies', async () => {
    const topics = sns(server);
    const sqs = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const { TopicArn } = await topics.send(new CreateTopicCommand({ Name: 'events' }));
    const queue = async (name: string, kind: string) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      await topics.send(
        new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:${name}`, Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ kind: [kind] }) } }),
      );
      return QueueUrl!;
    };
    const builds = await queue('builds', 'build');
    const deploys = await queue('deploys', 'deploy');
    const publish = (kind: string, message: string) =>
      topics.send(new PublishCommand({ TopicArn, Message: message, MessageAttributes: { kind: { DataType: 'String', StringValue: kind } } }));
    await publish('build', 'build 7 failed');
    await publish('deploy', 'deployment d-1 succeeded');
    await publish('other', 'nobody wants this');

    const read = async (url: string) => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10, MessageAttributeNames: ['All'] }));
      return Messages.map((m) => [m.Body, m.MessageAttributes?.kind?.StringValue]);
    };
    expect(await read(builds)).toEqual([['build 7 failed', 'build']]);
    expect(await read(deploys)).toEqual([['deployment d-1 succeeded', 'deploy']]);
    // Nothing else arrives: the third message matched no policy.
    const { Messages: more = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: builds, WaitTimeSeconds: 1 }));
    expect(more).toEqual([]);
  });
});
