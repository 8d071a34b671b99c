import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTopicCommand, PublishCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, credentials, testServer } from '../helpers/server.js';
import { outbox, sns, until } from './helpers.js';

let server: RunningServer;
let root: SNSClient;
const ACCOUNT = '000000000000';

beforeAll(async () => {
  server = await testServer({ enforceIam: true });
  root = sns(server);
});
afterAll(() => server.stop());

async function userClient(name: string): Promise<{ client: SNSClient; arn: string }> {
  const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
  const { User } = await iam.send(new CreateUserCommand({ UserName: name }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  const client = new SNSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
  });
  return { client, arn: User!.Arn! };
}

const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('topic policies, enforced as resource policies', () => {
  it('lets a caller publish only as the topic policy and its own policies allow, and answers AuthorizationError', async () => {
    const { TopicArn } = await root.send(new CreateTopicCommand({ Name: 'guarded' }));
    const { client, arn } = await userClient('publisher');
    expect(await awsError(client.send(new PublishCommand({ TopicArn, Message: 'm' })))).toMatchObject({ name: 'AuthorizationErrorException', status: 403 });
    await root.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'Policy',
        AttributeValue: policy([{ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sns:Publish', Resource: TopicArn }]),
      }),
    );
    expect((await client.send(new PublishCommand({ TopicArn, Message: 'm' }))).MessageId).toBeDefined();
    expect(await awsError(client.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550111' })))).toMatchObject({
      name: 'AuthorizationErrorException',
    });
  });

  it('takes EventBridge events only when the topic policy allows events.amazonaws.com for the rule', async () => {
    const { TopicArn } = await root.send(new CreateTopicCommand({ Name: 'from-events' }));
    await root.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550112' }));
    const eb = new EventBridgeClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'to-topic', EventPattern: JSON.stringify({ source: ['lab.app'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-topic', Targets: [{ Id: 'topic', Arn: TopicArn }] }));
    const fire = (n: number) => eb.send(new PutEventsCommand({ Entries: [{ Source: 'lab.app', DetailType: 'Ping', Detail: JSON.stringify({ n }) }] }));

    await fire(1);
    const listing = async () => (await (await fetch(`${server.endpoint}/_codesuite/events?source=lab.app`)).json()) as { events: { attempts: { outcome: string; detail: string }[] }[] };
    await until(async () => (await listing()).events.some((e) => e.attempts.length > 0), 'the first attempt');
    expect((await listing()).events[0].attempts[0]).toMatchObject({ outcome: 'FAILED', detail: expect.stringContaining('AuthorizationError') });

    await root.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'Policy',
        AttributeValue: policy([
          { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: TopicArn, Condition: { ArnEquals: { 'aws:SourceArn': RuleArn } } },
        ]),
      }),
    );
    await fire(2);
    let sms: Awaited<ReturnType<typeof outbox>> = [];
    await until(async () => (sms = await outbox(server, '+15555550112')).length === 1, 'the event as an SMS');
    expect(JSON.parse(sms[0].body)).toMatchObject({ source: 'lab.app', 'detail-type': 'Ping', detail: { n: 2 }, account: ACCOUNT });
  });
});
