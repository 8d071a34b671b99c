import { CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBranchCommand, CreateRepositoryCommand } from '@aws-sdk/client-codecommit';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { codecommit, testServer } from '../helpers/server.js';
import { logsClient } from '../logs/helpers.js';
import { eventsClient, listing, schedulerOf } from './helpers.js';

let server: RunningServer;
const work = tempDir();

beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

describe('a rule on CodeCommit pushes', () => {
  it('delivers a push to main, and not a push to feature, to a log group', async () => {
    const logs = logsClient(server);
    const eb = eventsClient(server);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/pushes' }));
    const { RuleArn } = await eb.send(
      new PutRuleCommand({
        Name: 'push-to-main',
        EventPattern: JSON.stringify({
          source: ['aws.codecommit'],
          'detail-type': ['CodeCommit Repository State Change'],
          detail: { event: ['referenceCreated', 'referenceUpdated'], referenceType: ['branch'], referenceName: ['main'] },
        }),
      }),
    );
    await eb.send(new PutTargetsCommand({ Rule: 'push-to-main', Targets: [{ Id: 'log', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/pushes' }] }));

    const { repositoryMetadata } = await codecommit(server).send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    const dir = join(work.path, 'app');
    await gitOk(work.path, ['clone', '-q', repositoryMetadata!.cloneUrlHttp!, dir]);
    const first = await commitFile(dir, 'README.md', 'hello\n');
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
    await gitOk(dir, ['checkout', '-q', '-b', 'feature']);
    await commitFile(dir, 'feature.txt', 'wip\n');
    await gitOk(dir, ['push', '-q', 'origin', 'feature']);
    await gitOk(dir, ['checkout', '-q', 'main']);
    const second = await commitFile(dir, 'CHANGELOG.md', 'v2\n');
    await gitOk(dir, ['push', '-q', 'origin', 'main']);
    // A branch made through the API is a state change too; it is not main, so it is not delivered.
    await codecommit(server).send(new CreateBranchCommand({ repositoryName: 'app', branchName: 'release', commitId: first }));
    await schedulerOf(server).tick();

    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/pushes' }));
    const delivered = events!.map((e) => JSON.parse(e.message!) as { source: string; detail: Record<string, string>; resources: string[] });
    expect(delivered.map((e) => [e.detail.event, e.detail.referenceName, e.detail.commitId])).toEqual([
      ['referenceCreated', 'main', first],
      ['referenceUpdated', 'main', second],
    ]);
    expect(delivered[1]).toMatchObject({
      source: 'aws.codecommit',
      resources: ['arn:aws:codecommit:us-east-1:000000000000:app'],
      detail: { repositoryName: 'app', referenceType: 'branch', referenceFullName: 'refs/heads/main', oldCommitId: expect.any(String) },
    });

    // Every state change reached the default bus; only the pushes to main matched the rule.
    const seen = await listing(server, '?source=aws.codecommit');
    expect(seen.map((e) => [e.event.detail.referenceName, e.matchedRules.length]).reverse()).toEqual([
      ['main', 1],
      ['feature', 0],
      ['main', 1],
      ['release', 0],
    ]);
    expect(seen.every((e) => e.origin === 'service' && e.eventBusName === 'default')).toBe(true);
    expect(seen[1].attempts).toEqual([expect.objectContaining({ ruleArn: RuleArn, outcome: 'SUCCEEDED' })]);
  });
});
