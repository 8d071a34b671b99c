import { PutRepositoryTriggersCommand } from '@aws-sdk/client-codecommit';
import { AddPermissionCommand, CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import type { RunningServer } from '../../src/server.js';
import { pushRepository } from '../codebuild/helpers.js';
import { gitOk, tempDir } from '../helpers/git.js';
import { codecommit, credentials, testServer } from '../helpers/server.js';
import { sns } from '../sns/helpers.js';

const ACCOUNT = '000000000000';
let server: RunningServer;
const work = tempDir();
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server?.stop();
  work.remove();
});

function zip(files: Record<string, string>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) z.addBuffer(Buffer.from(content), name);
  z.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

describe('repository triggers delivered by real receivers', () => {
  it('a git push to main reaches the SNS topic (and its queue) and the Lambda function of the triggers on main, not those of other branches', async () => {
    const sqs = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const TopicArn = (await sns(server).send(new CreateTopicCommand({ Name: 'pushes' }))).TopicArn!;
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'pushes' }))).QueueUrl!;
    await sns(server).send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:pushes`, Attributes: { RawMessageDelivery: 'true' } }));

    const lambda = new LambdaClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const code = await zip({ 'index.js': "exports.handler = async (event) => { console.log('TRIGGER ' + JSON.stringify(event)); return 'ok'; };" });
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'on-push', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: `arn:aws:iam::${ACCOUNT}:role/fn`, Code: { ZipFile: code } }));
    for (let i = 0; i < 100 && (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'on-push' }))).State !== 'Active'; i++) await new Promise((r) => setTimeout(r, 50));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'on-push', StatementId: 'codecommit', Action: 'lambda:InvokeFunction', Principal: 'codecommit.amazonaws.com' }));

    const { url } = await pushRepository(server, 'triggered-push', { 'README.md': 'one\n' }, work.path);
    await codecommit(server).send(
      new PutRepositoryTriggersCommand({
        repositoryName: 'triggered-push',
        triggers: [
          { name: 'to-topic', destinationArn: TopicArn, branches: ['main'], events: ['updateReference'], customData: 'team-a' },
          { name: 'to-function', destinationArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:on-push`, branches: ['main'], events: ['all'] },
          { name: 'other-branch', destinationArn: TopicArn, branches: ['release'], events: ['all'], customData: 'not-main' },
        ],
      }),
    );

    const clone = join(work.path, 'triggered-push');
    writeFileSync(join(clone, 'README.md'), 'two\n');
    await gitOk(clone, ['commit', '-qam', 'second']);
    await gitOk(clone, ['push', '-q', url, 'HEAD:main']);
    const commit = (await gitOk(clone, ['rev-parse', 'HEAD'])).trim();

    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    expect(Messages).toHaveLength(1);
    const record = JSON.parse(Messages[0].Body!) as { Records: Record<string, any>[] };
    expect(record.Records[0]).toMatchObject({
      eventSource: 'aws:codecommit',
      eventTriggerName: 'to-topic',
      customData: 'team-a',
      eventSourceARN: `arn:aws:codecommit:us-east-1:${ACCOUNT}:triggered-push`,
      codecommit: { references: [{ commit, ref: 'refs/heads/main' }] },
    });

    const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    let logged = '';
    for (let i = 0; i < 200 && !logged.includes(commit); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/on-push', filterPattern: 'TRIGGER' })).catch(() => ({ events: [] as { message?: string }[] }));
      logged = (out.events ?? []).map((e) => e.message).join('\n');
    }
    expect(logged).toContain('"eventTriggerName":"to-function"');
    expect(logged).toContain(commit);

    const { Messages: more = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(more).toEqual([]);
  });
});
