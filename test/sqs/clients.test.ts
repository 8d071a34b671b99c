import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsCli, awsCliFailure, installedAwsClis } from '../helpers/aws-cli.js';
import { testServer, unverifiedSigV4 } from '../helpers/server.js';

const run = promisify(execFile);
let server: RunningServer;

beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

// CLI v2 here carries SQS's Query model (Action=... forms, XML answers); CLI v1's botocore sends AWS JSON 1.0.
describe.each(installedAwsClis())('the AWS CLI ($version)', (cli) => {
  const tag = cli.version.replace(/\W/g, '');
  const aws = (...args: string[]) => awsCli(cli, ['--endpoint-url', server.endpoint, 'sqs', ...args]);

  it('creates a queue, sends with attributes, receives, deletes', async () => {
    const { QueueUrl } = await aws('create-queue', '--queue-name', `cli-${tag}`, '--attributes', 'VisibilityTimeout=5,DelaySeconds=0');
    expect(QueueUrl).toBe(`${server.endpoint}/000000000000/cli-${tag}`);
    const sent = await aws(
      'send-message',
      '--queue-url',
      QueueUrl,
      '--message-body',
      'hello <&> world',
      '--message-attributes',
      '{"kind":{"DataType":"String","StringValue":"greeting"},"raw":{"DataType":"Binary","BinaryValue":"AAEC"}}',
    );
    expect(sent.MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/);
    const got = await aws('receive-message', '--queue-url', QueueUrl, '--message-attribute-names', 'All', '--attribute-names', 'All', '--wait-time-seconds', '1');
    const [m] = got.Messages;
    expect(m).toMatchObject({ Body: 'hello <&> world', MessageId: sent.MessageId, MD5OfMessageAttributes: sent.MD5OfMessageAttributes });
    expect(m.MessageAttributes.kind).toEqual({ DataType: 'String', StringValue: 'greeting' });
    expect(m.Attributes.ApproximateReceiveCount).toBe('1');
    await aws('delete-message', '--queue-url', QueueUrl, '--receipt-handle', m.ReceiptHandle);
    const attributes = await aws('get-queue-attributes', '--queue-url', QueueUrl, '--attribute-names', 'All');
    expect(attributes.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', VisibilityTimeout: '5' });
    const listed = await aws('list-queues', '--queue-name-prefix', `cli-${tag}`);
    expect(listed.QueueUrls).toEqual([QueueUrl]);
  }, 300_000);

  it('names a missing queue as the SDKs expect', async () => {
    const stderr = await awsCliFailure(cli, ['--endpoint-url', server.endpoint, 'sqs', 'receive-message', '--queue-url', `${server.endpoint}/000000000000/nope`]);
    expect(stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
    expect(stderr).toContain('The specified queue does not exist');
  }, 120_000);
});

describe('older SDKs over Query', () => {
  const form = (path: string, body: string) =>
    fetch(`${server.endpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: unverifiedSigV4('sqs') },
      body,
    });

  it('take the queue from the path they post to, and read XML with flattened attributes and AWS error codes', async () => {
    expect((await form('/', 'Action=CreateQueue&Version=2012-11-05&QueueName=legacy&Attribute.1.Name=DelaySeconds&Attribute.1.Value=0')).status).toBe(200);
    const sent = await (await form('/000000000000/legacy', 'Action=SendMessage&Version=2012-11-05&MessageBody=old&MessageAttribute.1.Name=k&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=v')).text();
    expect(sent).toMatch(/<SendMessageResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><SendMessageResult><MD5OfMessageBody>/);
    const got = await (await form('/000000000000/legacy', 'Action=ReceiveMessage&Version=2012-11-05&AttributeName.1=SenderId&MessageAttributeName.1=All')).text();
    expect(got).toContain('<Body>old</Body>');
    expect(got).toContain('<Attribute><Name>SenderId</Name><Value>000000000000</Value></Attribute>');
    expect(got).toContain('<MessageAttribute><Name>k</Name><Value><StringValue>v</StringValue><DataType>String</DataType></Value></MessageAttribute>');
    const missing = await form('/000000000000/gone', 'Action=GetQueueAttributes&Version=2012-11-05&AttributeName.1=All');
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
  });
});

describe('boto3', () => {
  it('sends and receives over AWS JSON 1.0, checks MD5 digests, and reads the Query error code', async () => {
    const script = `
import boto3, hashlib, json, sys
sqs = boto3.client('sqs', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
url = sqs.create_queue(QueueName='boto.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
for i in range(3):
    sqs.send_message(QueueUrl=url, MessageBody='m%d' % i, MessageGroupId='g', MessageAttributes={'n': {'DataType': 'Number', 'StringValue': str(i)}})
got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=['All'])['Messages']
assert all(m['MD5OfBody'] == hashlib.md5(m['Body'].encode()).hexdigest() for m in got)
try:
    sqs.get_queue_attributes(QueueUrl=url + 'x', AttributeNames=['All'])
    code = None
except sqs.exceptions.QueueDoesNotExist as e:
    code = e.response['Error']['Code']
print(json.dumps({'bodies': [m['Body'] for m in got], 'n': [m['MessageAttributes']['n']['StringValue'] for m in got], 'code': code}))
`;
    const { stdout } = await run('/root/.pyenv/shims/python', ['-c', script, server.endpoint], { encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual({ bodies: ['m0', 'm1', 'm2'], n: ['0', '1', '2'], code: 'AWS.SimpleQueueService.NonExistentQueue' });
  }, 120_000);
});
