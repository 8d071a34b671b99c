import {
  CreatePipelineCommand,
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  ListActionExecutionsCommand,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/core/events.js';
import type { RunningServer } from '../../src/server.js';
import { pushRepository } from '../codebuild/helpers.js';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { awsError, credentials, testServer } from '../helpers/server.js';
import { approval, approvalToken, codeCommitSource, declaration, executionIds, pipelines, prepareAccount, s3, s3Deploy, stageStates, until, waitForStatus } from './helpers.js';

let server: RunningServer;
const work = tempDir('codepipeline-');
const events: BusEvent[] = [];
beforeAll(async () => {
  server = await testServer();
  server.events.subscribe((e) => events.push(e));
  await prepareAccount(server);
  await s3(server).send(new CreateBucketCommand({ Bucket: 'site' }));
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

const approve = (name: string, token: string, status: 'Approved' | 'Rejected', stageName = 'Approval') =>
  pipelines(server).send(new PutApprovalResultCommand({ pipelineName: name, stageName, actionName: 'Approve', token, result: { status, summary: `${status} by test` } }));

/** A clone of the repository to push more commits from. */
async function clone(url: string, name: string): Promise<string> {
  const dir = join(work.path, `${name}-clone`);
  mkdirSync(dir);
  await gitOk(dir, ['clone', '-q', url, '.']);
  return dir;
}

describe('CodePipeline executions', () => {
  it('runs Source → Approval → Deploy(S3): the approval holds it, the deploy sees the commit id, a push starts the next one', async () => {
    const client = pipelines(server);
    const repo = await pushRepository(server, 'web', { 'index.html': '<h1>one</h1>' }, work.path);
    const created = await client.send(
      new CreatePipelineCommand({
        pipeline: declaration('web', [
          { name: 'Source', actions: [codeCommitSource('web')] },
          { name: 'Approval', actions: [approval()] },
          { name: 'Deploy', actions: [s3Deploy('site', 'web/#{SourceVariables.CommitId}')] },
        ]),
      }),
    );
    expect(created.pipeline!.version).toBe(1);
    const [first] = await executionIds(client, 'web');
    expect(first.trigger).toMatchObject({ triggerType: 'CreatePipeline' });
    const token = await approvalToken(client, 'web', 'Approval');
    const states = await stageStates(client, 'web');
    expect(states[0]).toMatchObject({ stageName: 'Source', latestExecution: { status: 'Succeeded' } });
    expect(states[0].actionStates![0].currentRevision!.revisionId).toBe(repo.commit);
    expect(states[1]).toMatchObject({ latestExecution: { status: 'InProgress' }, actionStates: [{ latestExecution: { status: 'InProgress' } }] });

    await approve('web', token, 'Approved');
    const done = await waitForStatus(client, 'web', first.pipelineExecutionId!, ['Succeeded', 'Failed']);
    expect(done.status).toBe('Succeeded');
    expect(done.artifactRevisions).toMatchObject([{ name: 'SourceOutput', revisionId: repo.commit }]);
    const page = await s3(server).send(new GetObjectCommand({ Bucket: 'site', Key: `web/${repo.commit}/index.html` }));
    expect(await page.Body!.transformToString()).toBe('<h1>one</h1>');

    const actions = (await client.send(new ListActionExecutionsCommand({ pipelineName: 'web', filter: { pipelineExecutionId: first.pipelineExecutionId } }))).actionExecutionDetails!;
    const source = actions.find((a) => a.actionName === 'Source')!;
    expect(source.output!.outputVariables).toMatchObject({ CommitId: repo.commit, BranchName: 'main', RepositoryName: 'web', CommitMessage: 'sources' });
    expect(source.output!.outputArtifacts![0].s3location!.key).toMatch(/^web\/SourceOutp\/[A-Za-z0-9]{7}$/);
    expect(actions.find((a) => a.actionName === 'DeployToS3')!.input!.resolvedConfiguration!.ObjectKey).toBe(`web/${repo.commit}`);
    expect(await approve('web', token, 'Approved').catch((e: Error) => e.name)).toBe('ApprovalAlreadyCompletedException');

    const detailTypes = events.filter((e) => e.source === 'aws.codepipeline' && (e.detail as { 'execution-id'?: string })['execution-id'] === first.pipelineExecutionId);
    expect(detailTypes.map((e) => `${e['detail-type'].split(' ')[1]}:${(e.detail as { state: string }).state}`)).toEqual(
      expect.arrayContaining(['Pipeline:STARTED', 'Stage:STARTED', 'Action:STARTED', 'Action:SUCCEEDED', 'Stage:SUCCEEDED', 'Pipeline:SUCCEEDED']),
    );

    const dir = await clone(repo.url, 'web');
    const second = await commitFile(dir, 'index.html', '<h1>two</h1>', 'second page');
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
    const next = await until('a push execution', () => executionIds(client, 'web'), (l) => l.length === 2);
    expect(next[0].trigger).toMatchObject({ triggerType: 'PollForSourceChanges' });
    await approve('web', await approvalToken(client, 'web', 'Approval', 'Approve', next[0].pipelineExecutionId), 'Approved');
    await waitForStatus(client, 'web', next[0].pipelineExecutionId!, ['Succeeded']);
    const page2 = await s3(server).send(new GetObjectCommand({ Bucket: 'site', Key: `web/${second}/index.html` }));
    expect(await page2.Body!.transformToString()).toBe('<h1>two</h1>');
  });

  it('fails the execution when the approval is rejected, and the stage can be retried in the same execution', async () => {
    const client = pipelines(server);
    await pushRepository(server, 'rej', { 'a.txt': 'a' }, work.path);
    await client.send(
      new CreatePipelineCommand({
        pipeline: declaration('rej', [
          { name: 'Source', actions: [codeCommitSource('rej')] },
          { name: 'Approval', actions: [approval()] },
        ]),
      }),
    );
    const [e] = await executionIds(client, 'rej');
    await approve('rej', await approvalToken(client, 'rej', 'Approval'), 'Rejected');
    const failed = await waitForStatus(client, 'rej', e.pipelineExecutionId!, ['Failed', 'Succeeded']);
    expect(failed.status).toBe('Failed');
    const state = (await stageStates(client, 'rej'))[1];
    expect(state.latestExecution!.status).toBe('Failed');
    expect(state.actionStates![0].latestExecution).toMatchObject({ status: 'Failed', errorDetails: { message: 'Rejected: Rejected by test' } });

    const retried = await client.send(new RetryStageExecutionCommand({ pipelineName: 'rej', stageName: 'Approval', pipelineExecutionId: e.pipelineExecutionId, retryMode: 'FAILED_ACTIONS' }));
    expect(retried.pipelineExecutionId).toBe(e.pipelineExecutionId);
    await approve('rej', await approvalToken(client, 'rej', 'Approval'), 'Approved');
    expect((await waitForStatus(client, 'rej', e.pipelineExecutionId!, ['Succeeded', 'Failed'])).status).toBe('Succeeded');
    const runs = (await client.send(new ListActionExecutionsCommand({ pipelineName: 'rej', filter: { pipelineExecutionId: e.pipelineExecutionId } }))).actionExecutionDetails!;
    expect(runs.filter((a) => a.actionName === 'Approve').map((a) => a.status)).toEqual(['Succeeded', 'Failed']);
    expect(
      await awsError(client.send(new RetryStageExecutionCommand({ pipelineName: 'rej', stageName: 'Approval', pipelineExecutionId: e.pipelineExecutionId, retryMode: 'FAILED_ACTIONS' }))),
    ).toMatchObject({ name: 'StageNotRetryableException' });
  });

  it('SUPERSEDED: of executions waiting in front of a locked stage only the newest goes on', async () => {
    const client = pipelines(server);
    const repo = await pushRepository(server, 'sup', { 'a.txt': '0' }, work.path);
    await client.send(
      new CreatePipelineCommand({
        pipeline: declaration('sup', [
          { name: 'Source', actions: [codeCommitSource('sup')] },
          { name: 'Approval', actions: [approval()] },
        ]),
      }),
    );
    const [first] = await executionIds(client, 'sup');
    await approvalToken(client, 'sup', 'Approval', 'Approve', first.pipelineExecutionId);
    const dir = await clone(repo.url, 'sup');
    const commits: string[] = [];
    for (const n of [1, 2, 3]) {
      commits.push(await commitFile(dir, 'a.txt', String(n)));
      await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
    }
    const all = await until(
      'two superseded executions',
      () => executionIds(client, 'sup'),
      (l) => l.length === 4 && l.filter((e) => e.status === 'Superseded').length === 2,
    );
    const newest = all[0];
    expect(newest.status).toBe('InProgress');
    expect(newest.sourceRevisions![0].revisionId).toBe(commits[2]);
    expect((await stageStates(client, 'sup'))[1].inboundExecution!.pipelineExecutionId).toBe(newest.pipelineExecutionId);

    await approve('sup', await approvalToken(client, 'sup', 'Approval', 'Approve', first.pipelineExecutionId), 'Approved');
    await waitForStatus(client, 'sup', first.pipelineExecutionId!, ['Succeeded']);
    await approve('sup', await approvalToken(client, 'sup', 'Approval', 'Approve', newest.pipelineExecutionId), 'Approved');
    await waitForStatus(client, 'sup', newest.pipelineExecutionId!, ['Succeeded']);
  });

  it('holds an execution at a disabled transition until it is enabled, and stops one on request', async () => {
    const client = pipelines(server);
    await pushRepository(server, 'gate', { 'a.txt': 'a' }, work.path);
    await client.send(
      new CreatePipelineCommand({
        pipeline: declaration('gate', [
          { name: 'Source', actions: [codeCommitSource('gate')] },
          { name: 'Deploy', actions: [s3Deploy('site', 'gate')] },
        ]),
      }),
    );
    const [created] = await executionIds(client, 'gate');
    await waitForStatus(client, 'gate', created.pipelineExecutionId!, ['Succeeded']);
    await client.send(new DisableStageTransitionCommand({ pipelineName: 'gate', stageName: 'Deploy', transitionType: 'Inbound', reason: 'change freeze' }));
    const { pipelineExecutionId } = await client.send(new StartPipelineExecutionCommand({ name: 'gate' }));
    const held = await until('the execution waiting at Deploy', () => stageStates(client, 'gate'), (s) => s[1].inboundExecution?.pipelineExecutionId === pipelineExecutionId);
    expect(held[1].inboundTransitionState).toMatchObject({ enabled: false, disabledReason: 'change freeze' });
    await client.send(new EnableStageTransitionCommand({ pipelineName: 'gate', stageName: 'Deploy', transitionType: 'Inbound' }));
    await waitForStatus(client, 'gate', pipelineExecutionId!, ['Succeeded']);

    await client.send(new DisableStageTransitionCommand({ pipelineName: 'gate', stageName: 'Deploy', transitionType: 'Inbound', reason: 'again' }));
    const stopMe = (await client.send(new StartPipelineExecutionCommand({ name: 'gate' }))).pipelineExecutionId!;
    await until('waiting', () => stageStates(client, 'gate'), (s) => s[1].inboundExecution?.pipelineExecutionId === stopMe);
    await client.send(new StopPipelineExecutionCommand({ pipelineName: 'gate', pipelineExecutionId: stopMe, reason: 'not today' }));
    const stopped = await waitForStatus(client, 'gate', stopMe, ['Stopped']);
    expect(stopped.status).toBe('Stopped');
    expect(await awsError(client.send(new StopPipelineExecutionCommand({ pipelineName: 'gate', pipelineExecutionId: stopMe })))).toMatchObject({
      name: 'PipelineExecutionNotStoppableException',
    });
  });
});

describe('CodePipeline as an EventBridge target', () => {
  it('starts an execution when a rule whose target is the pipeline matches', async () => {
    const client = pipelines(server);
    await pushRepository(server, 'evt', { 'a.txt': 'a' }, work.path);
    await client.send(
      new CreatePipelineCommand({
        pipeline: declaration('evt', [
          { name: 'Source', actions: [codeCommitSource('evt', { configuration: { RepositoryName: 'evt', BranchName: 'main', PollForSourceChanges: 'false' } })] },
          { name: 'Deploy', actions: [s3Deploy('site', 'evt')] },
        ]),
      }),
    );
    const bridge = new EventBridgeClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    await bridge.send(new PutRuleCommand({ Name: 'start-evt', EventPattern: JSON.stringify({ source: ['custom.release'] }) }));
    await bridge.send(new PutTargetsCommand({ Rule: 'start-evt', Targets: [{ Id: 'p', Arn: 'arn:aws:codepipeline:us-east-1:000000000000:evt' }] }));
    await bridge.send(new PutEventsCommand({ Entries: [{ Source: 'custom.release', DetailType: 'go', Detail: '{}' }] }));
    const list = await until('an execution started by the rule', () => executionIds(client, 'evt'), (l) => l.some((e) => e.trigger?.triggerType === 'CloudWatchEvent'));
    const started = list.find((e) => e.trigger?.triggerType === 'CloudWatchEvent')!;
    expect(started.trigger!.triggerDetail).toBe('arn:aws:events:us-east-1:000000000000:rule/start-evt');
    await waitForStatus(client, 'evt', started.pipelineExecutionId!, ['Succeeded']);
  });
});
