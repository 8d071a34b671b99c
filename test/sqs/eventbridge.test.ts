import { CreateRepositoryCommand } from '@aws-sdk/client-codecommit';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { eventsClient, listing, schedulerOf } from '../events/helpers.js';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { codecommit, testServer } from '../helpers/server.js';
import { rootKeys, sigv4GitUrl } from '../iam-enforcement/helpers.js';
import { sqsClient } from './helpers.js';

let server: RunningServer;
const work = tempDir();

beforeAll(async () => {
  // With IAM enforced, the queue policy decides whether EventBridge may deliver.
  server = await testServer({ enforceIam: true });
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

describe('a push event through EventBridge to SQS', () => {
  it('delivers to a queue whose policy allows events.amazonaws.com for the rule, and not to one without a policy', async () => {
    const sqs = sqsClient(server);
    const eb = eventsClient(server);
    const { RuleArn } = await eb.send(
      new PutRuleCommand({ Name: 'pushes', EventPattern: JSON.stringify({ source: ['aws.codecommit'], detail: { referenceName: ['main'] } }) }),
    );
    const allowed = (await sqs.send(new CreateQueueCommand({ QueueName: 'pushes' }))).QueueUrl!;
    const closed = (await sqs.send(new CreateQueueCommand({ QueueName: 'closed' }))).QueueUrl!;
    const arn = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const allowedArn = await arn(allowed);
    // The policy a lab writes: EventBridge may send, for this rule only.
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: allowed,
        Attributes: {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: allowedArn,
                Condition: { ArnEquals: { 'aws:SourceArn': RuleArn } },
              },
            ],
          }),
        },
      }),
    );
    await eb.send(new PutTargetsCommand({ Rule: 'pushes', Targets: [{ Id: 'q', Arn: allowedArn }, { Id: 'closed', Arn: await arn(closed) }] }));

    await codecommit(server).send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    const dir = join(work.path, 'app');
    await gitOk(work.path, ['clone', '-q', sigv4GitUrl(server, 'app', rootKeys), dir]);
    const commit = await commitFile(dir, 'README.md', 'hello\n');
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
    await schedulerOf(server).tick();

    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: allowed, WaitTimeSeconds: 10 }));
    const event = JSON.parse(got.Messages![0].Body!) as { source: string; detail: Record<string, string> };
    expect(event).toMatchObject({ source: 'aws.codecommit', detail: { referenceName: 'main', commitId: commit, repositoryName: 'app' } });
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: closed }))).Messages).toBeUndefined();
    const [seen] = await listing(server, '?source=aws.codecommit');
    const outcomes = Object.fromEntries(seen.attempts.map((a: { targetId: string; outcome: string }) => [a.targetId, a.outcome]));
    expect(outcomes).toEqual({ q: 'SUCCEEDED', closed: 'FAILED' });
  }, 120_000);
});
