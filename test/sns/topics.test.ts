import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { defaultAwsCli, awsCli, awsCliFailure } from '../helpers/aws-cli.js';
import { sns } from './helpers.js';

let server: RunningServer;
let client: ReturnType<typeof sns>;
const ACCOUNT = '000000000000';

beforeAll(async () => {
  server = await testServer();
  client = sns(server);
});
afterAll(() => server.stop());

describe('topics', () => {
  it('creates a topic idempotently, refuses the same name with other attributes, and reports its attributes', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }));
    expect(TopicArn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:orders`);
    expect((await client.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }))).TopicArn).toBe(TopicArn);
    expect(await awsError(client.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Other' } })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
      status: 400,
    });
    const { Attributes } = await client.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ TopicArn, Owner: ACCOUNT, DisplayName: 'Orders', SubscriptionsConfirmed: '0', SubscriptionsPending: '0' });
    expect(JSON.parse(Attributes!.Policy!).Statement[0]).toMatchObject({ Effect: 'Allow', Resource: TopicArn });
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy).toMatchObject({ numRetries: 3, minDelayTarget: 20 });
    await client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
    expect((await client.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.SignatureVersion).toBe('2');
    expect(await awsError(client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Bogus', AttributeValue: 'x' })))).toMatchObject({
      message: 'Invalid parameter: AttributeName',
    });
  });

  it('lists, tags and deletes topics; a missing topic is NotFound', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'team', Value: 'a' }] }));
    await client.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await client.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['team'] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
    expect((await client.send(new ListTopicsCommand({}))).Topics!.map((t) => t.TopicArn)).toContain(TopicArn);
    await client.send(new DeleteTopicCommand({ TopicArn }));
    expect((await client.send(new ListTopicsCommand({}))).Topics!.map((t) => t.TopicArn)).not.toContain(TopicArn);
    expect(await awsError(client.send(new GetTopicAttributesCommand({ TopicArn })))).toMatchObject({ name: 'NotFoundException', message: 'Topic does not exist', status: 404 });
    expect(await awsError(client.send(new CreateTopicCommand({ Name: 'bad name' })))).toMatchObject({ message: 'Invalid parameter: Topic Name' });
  });
});

describe('bad input', () => {
  it('refuses a message over 256 KB, an empty one, and a bad message attribute, with AWS codes and texts', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'limits' }));
    expect(await awsError(client.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_145) })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Message too long',
    });
    expect(await awsError(client.send(new PublishCommand({ TopicArn, Message: '' })))).toMatchObject({ message: 'Invalid parameter: Empty message' });
    expect(
      await awsError(client.send(new PublishCommand({ TopicArn, Message: 'm', MessageAttributes: { a: { DataType: 'Weird', StringValue: 'v' } } }))),
    ).toMatchObject({
      name: 'InvalidParameterValueException',
      message: "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    });
    expect(await awsError(client.send(new PublishCommand({ TopicArn, Message: '{"x": 1}', MessageStructure: 'json' })))).toMatchObject({
      message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
    });
  });

  it.runIf(defaultAwsCli)('answers the AWS CLI with the same codes', async () => {
    const cli = defaultAwsCli!;
    const endpoint = ['--endpoint-url', server.endpoint];
    const { TopicArn } = await awsCli(cli, ['sns', 'create-topic', '--name', 'cli-topic', ...endpoint]);
    expect(TopicArn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:cli-topic`);
    const { MessageId } = await awsCli(cli, ['sns', 'publish', '--topic-arn', TopicArn, '--message', 'hello', '--subject', 'Hi', ...endpoint]);
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const failure = await awsCliFailure(cli, ['sns', 'publish', '--topic-arn', `${TopicArn}-gone`, '--message', 'x', ...endpoint]);
    expect(failure).toContain('(NotFound)');
    expect(failure).toContain('Topic does not exist');
  });
});
