import {
  CreateBranchCommand,
  CreatePullRequestCommand,
  DeleteRepositoryCommand,
  DescribePullRequestEventsCommand,
  CreateRepositoryCommand,
  GetPullRequestCommand,
  ListPullRequestsCommand,
  MergePullRequestByFastForwardCommand,
  MergePullRequestBySquashCommand,
  MergePullRequestByThreeWayCommand,
  PostCommentForPullRequestCommand,
  PutFileCommand,
  UpdatePullRequestDescriptionCommand,
  UpdatePullRequestStatusCommand,
  UpdatePullRequestTitleCommand,
  type CodeCommitClient,
} from '@aws-sdk/client-codecommit';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/core/events.js';
import type { RunningServer } from '../../src/server.js';
import { createRepo, text, tip } from '../codecommit-content/helpers.js';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';

let server: RunningServer;
let cc: CodeCommitClient;
const work = tempDir();
const seen: BusEvent[] = [];
const ROOT = 'arn:aws:iam::000000000000:root';

beforeAll(async () => {
  server = await testServer();
  cc = codecommit(server);
  server.events.subscribe((e) => seen.push(e));
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

/** A repository with `main` and a `feature` branch one commit ahead of it. */
async function repoWithFeature(repositoryName: string, file = 'feature.txt'): Promise<{ main: string; feature: string }> {
  await createRepo(cc, repositoryName);
  const main = (await cc.send(new PutFileCommand({ repositoryName, branchName: 'main', filePath: 'README.md', fileContent: text('hello\n') }))).commitId!;
  await cc.send(new CreateBranchCommand({ repositoryName, branchName: 'feature', commitId: main }));
  const feature = (await cc.send(new PutFileCommand({ repositoryName, branchName: 'feature', filePath: file, fileContent: text('new\n'), parentCommitId: main }))).commitId!;
  return { main, feature };
}

const create = (repositoryName: string, extra: Record<string, unknown> = {}) =>
  cc.send(new CreatePullRequestCommand({ title: 'Add feature', targets: [{ repositoryName, sourceReference: 'feature', destinationReference: 'main' }], ...extra }));

describe('CodeCommit pull requests', () => {
  it('creates, reads, lists and updates a pull request, with its history and state-change events', async () => {
    const { main, feature } = await repoWithFeature('pr-basics');
    const { pullRequest } = await create('pr-basics', { description: 'please review', clientRequestToken: 'token-1' });
    expect(pullRequest).toMatchObject({
      pullRequestId: expect.stringMatching(/^\d+$/),
      title: 'Add feature',
      description: 'please review',
      pullRequestStatus: 'OPEN',
      authorArn: ROOT,
      clientRequestToken: 'token-1',
      revisionId: expect.stringMatching(/^[0-9a-f]{64}$/),
      approvalRules: [],
      pullRequestTargets: [
        {
          repositoryName: 'pr-basics',
          sourceReference: 'refs/heads/feature',
          destinationReference: 'refs/heads/main',
          sourceCommit: feature,
          destinationCommit: main,
          mergeBase: main,
          mergeMetadata: { isMerged: false },
        },
      ],
    });
    const id = pullRequest!.pullRequestId!;
    // The same token and parameters answer the same pull request; other parameters are refused.
    expect((await create('pr-basics', { description: 'please review', clientRequestToken: 'token-1' })).pullRequest!.pullRequestId).toBe(id);
    expect((await awsError(create('pr-basics', { description: 'other', clientRequestToken: 'token-1' }))).name).toBe('IdempotencyParameterMismatchException');

    expect((await cc.send(new GetPullRequestCommand({ pullRequestId: id }))).pullRequest).toEqual(pullRequest);
    expect((await cc.send(new ListPullRequestsCommand({ repositoryName: 'pr-basics' }))).pullRequestIds).toEqual([id]);
    expect((await cc.send(new ListPullRequestsCommand({ repositoryName: 'pr-basics', pullRequestStatus: 'CLOSED' }))).pullRequestIds).toEqual([]);
    expect((await cc.send(new ListPullRequestsCommand({ repositoryName: 'pr-basics', authorArn: 'arn:aws:iam::000000000000:user/else' }))).pullRequestIds).toEqual([]);

    expect((await cc.send(new UpdatePullRequestTitleCommand({ pullRequestId: id, title: 'Better title' }))).pullRequest!.title).toBe('Better title');
    expect((await cc.send(new UpdatePullRequestDescriptionCommand({ pullRequestId: id, description: 'more words' }))).pullRequest!.description).toBe('more words');
    expect((await cc.send(new UpdatePullRequestStatusCommand({ pullRequestId: id, pullRequestStatus: 'CLOSED' }))).pullRequest!.pullRequestStatus).toBe('CLOSED');
    expect((await awsError(cc.send(new UpdatePullRequestStatusCommand({ pullRequestId: id, pullRequestStatus: 'OPEN' })))).name).toBe(
      'InvalidPullRequestStatusUpdateException',
    );
    expect((await awsError(cc.send(new UpdatePullRequestTitleCommand({ pullRequestId: id, title: 'again' })))).name).toBe('PullRequestAlreadyClosedException');

    const { pullRequestEvents } = await cc.send(new DescribePullRequestEventsCommand({ pullRequestId: id }));
    expect(pullRequestEvents!.map((e) => e.pullRequestEventType)).toEqual(['PULL_REQUEST_CREATED', 'PULL_REQUEST_STATUS_CHANGED']);
    expect(pullRequestEvents![0]).toMatchObject({
      actorArn: ROOT,
      pullRequestCreatedEventMetadata: { repositoryName: 'pr-basics', sourceCommitId: feature, destinationCommitId: main, mergeBase: main },
    });
    const filtered = await cc.send(new DescribePullRequestEventsCommand({ pullRequestId: id, pullRequestEventType: 'PULL_REQUEST_STATUS_CHANGED' }));
    expect(filtered.pullRequestEvents!.map((e) => e.pullRequestStatusChangedEventMetadata)).toEqual([{ pullRequestStatus: 'CLOSED' }]);
    const paged = await cc.send(new DescribePullRequestEventsCommand({ pullRequestId: id, maxResults: 1 }));
    expect(paged.pullRequestEvents).toHaveLength(1);
    const rest = await cc.send(new DescribePullRequestEventsCommand({ pullRequestId: id, maxResults: 1, nextToken: paged.nextToken }));
    expect(rest.pullRequestEvents![0].pullRequestEventType).toBe('PULL_REQUEST_STATUS_CHANGED');

    const bus = seen.filter((e) => e['detail-type'] === 'CodeCommit Pull Request State Change' && e.detail.pullRequestId === id);
    expect(bus.map((e) => e.detail.event)).toEqual(['pullRequestCreated', 'pullRequestStatusChanged']);
    expect(bus[0]).toMatchObject({
      source: 'aws.codecommit',
      resources: ['arn:aws:codecommit:us-east-1:000000000000:pr-basics'],
      detail: {
        author: ROOT,
        callerUserArn: ROOT,
        destinationCommit: main,
        destinationReference: 'refs/heads/main',
        isMerged: 'False',
        pullRequestStatus: 'Open',
        repositoryNames: ['pr-basics'],
        sourceCommit: feature,
        sourceReference: 'refs/heads/feature',
        title: 'Add feature',
        revisionId: pullRequest!.revisionId,
      },
    });
    expect(bus[0].detail.creationDate).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  });

  it('refuses bad pull requests with CodeCommit’s exceptions and messages', async () => {
    await repoWithFeature('pr-bad');
    await createRepo(cc, 'pr-other');
    const fail = (targets: object[], extra: object = {}) => awsError(cc.send(new CreatePullRequestCommand({ title: 't', targets, ...extra } as never)));
    expect(await fail([{ repositoryName: 'pr-bad', sourceReference: 'main', destinationReference: 'main' }])).toMatchObject({
      name: 'SourceAndDestinationAreSameException',
      message: 'The source branch and destination branch for the pull request are the same. You must specify different branches for the source and destination.',
    });
    expect((await fail([{ repositoryName: 'pr-bad', sourceReference: 'nope', destinationReference: 'main' }])).name).toBe('ReferenceDoesNotExistException');
    expect((await fail([{ repositoryName: 'pr-bad', sourceReference: 'bad..name', destinationReference: 'main' }])).name).toBe('InvalidReferenceNameException');
    expect((await fail([{ repositoryName: 'nope', sourceReference: 'feature', destinationReference: 'main' }])).name).toBe('RepositoryDoesNotExistException');
    expect(
      (
        await fail([
          { repositoryName: 'pr-bad', sourceReference: 'feature', destinationReference: 'main' },
          { repositoryName: 'pr-other', sourceReference: 'feature', destinationReference: 'main' },
        ])
      ).name,
    ).toBe('MultipleRepositoriesInPullRequestException');
    expect((await fail([])).name).toBe('TargetsRequiredException');
    expect((await fail([{ repositoryName: 'pr-bad', sourceReference: 'feature' }], { title: '' })).name).toBe('TitleRequiredException');
    expect((await awsError(cc.send(new GetPullRequestCommand({ pullRequestId: '999999' })))).name).toBe('PullRequestDoesNotExistException');
    expect((await awsError(cc.send(new GetPullRequestCommand({ pullRequestId: 'abc' })))).name).toBe('InvalidPullRequestIdException');
    expect((await awsError(cc.send(new ListPullRequestsCommand({ repositoryName: 'pr-bad', authorArn: 'someone' })))).name).toBe('InvalidAuthorArnException');
  });

  it('merges by fast-forward, squash and three-way, closes the pull request and records who merged it', async () => {
    const ff = await repoWithFeature('pr-ff');
    const ffId = (await create('pr-ff')).pullRequest!.pullRequestId!;
    const merged = (await cc.send(new MergePullRequestByFastForwardCommand({ pullRequestId: ffId, repositoryName: 'pr-ff' }))).pullRequest!;
    expect(merged.pullRequestStatus).toBe('CLOSED');
    expect(merged.pullRequestTargets![0].mergeMetadata).toEqual({ isMerged: true, mergedBy: ROOT, mergeCommitId: ff.feature, mergeOption: 'FAST_FORWARD_MERGE' });
    expect(await tip(cc, 'pr-ff', 'main')).toBe(ff.feature);
    expect((await awsError(cc.send(new MergePullRequestByFastForwardCommand({ pullRequestId: ffId, repositoryName: 'pr-ff' })))).name).toBe(
      'PullRequestAlreadyClosedException',
    );
    const history = (await cc.send(new DescribePullRequestEventsCommand({ pullRequestId: ffId }))).pullRequestEvents!;
    expect(history.map((e) => e.pullRequestEventType)).toEqual(['PULL_REQUEST_CREATED', 'PULL_REQUEST_MERGE_STATE_CHANGED', 'PULL_REQUEST_STATUS_CHANGED']);
    expect(history[1].pullRequestMergedStateChangedEventMetadata).toMatchObject({ repositoryName: 'pr-ff', destinationReference: 'refs/heads/main' });

    // main moved on: fast-forward is impossible, squash and three-way make new commits.
    const sq = await repoWithFeature('pr-merge');
    await cc.send(new PutFileCommand({ repositoryName: 'pr-merge', branchName: 'main', filePath: 'other.txt', fileContent: text('x\n'), parentCommitId: sq.main }));
    const squashId = (await create('pr-merge')).pullRequest!.pullRequestId!;
    expect((await awsError(cc.send(new MergePullRequestByFastForwardCommand({ pullRequestId: squashId, repositoryName: 'pr-merge' })))).name).toBe(
      'ManualMergeRequiredException',
    );
    expect(
      (await awsError(cc.send(new MergePullRequestBySquashCommand({ pullRequestId: squashId, repositoryName: 'pr-merge', sourceCommitId: sq.main })))).name,
    ).toBe('TipOfSourceReferenceIsDifferentException');
    const squashed = (
      await cc.send(new MergePullRequestBySquashCommand({ pullRequestId: squashId, repositoryName: 'pr-merge', sourceCommitId: sq.feature, commitMessage: 'squashed' }))
    ).pullRequest!;
    const squashCommit = squashed.pullRequestTargets![0].mergeMetadata!.mergeCommitId!;
    expect(squashed.pullRequestTargets![0].mergeMetadata).toMatchObject({ isMerged: true, mergeOption: 'SQUASH_MERGE' });
    expect(await tip(cc, 'pr-merge', 'main')).toBe(squashCommit);

    await cc.send(new PutFileCommand({ repositoryName: 'pr-merge', branchName: 'feature', filePath: 'more.txt', fileContent: text('more\n'), parentCommitId: sq.feature }));
    const threeWayId = (await create('pr-merge', { title: 'more' })).pullRequest!.pullRequestId!;
    const threeWay = (await cc.send(new MergePullRequestByThreeWayCommand({ pullRequestId: threeWayId, repositoryName: 'pr-merge' }))).pullRequest!;
    expect(threeWay.pullRequestTargets![0].mergeMetadata).toMatchObject({ isMerged: true, mergeOption: 'THREE_WAY_MERGE' });
    expect(await tip(cc, 'pr-merge', 'main')).toBe(threeWay.pullRequestTargets![0].mergeMetadata!.mergeCommitId);
  });

  it('refuses a conflicting three-way merge unless the conflict is resolved', async () => {
    const { main } = await repoWithFeature('pr-conflict', 'README.md');
    await cc.send(new PutFileCommand({ repositoryName: 'pr-conflict', branchName: 'main', filePath: 'README.md', fileContent: text('main\n'), parentCommitId: main }));
    const id = (await create('pr-conflict')).pullRequest!.pullRequestId!;
    expect((await awsError(cc.send(new MergePullRequestByThreeWayCommand({ pullRequestId: id, repositoryName: 'pr-conflict' })))).name).toBe(
      'ManualMergeRequiredException',
    );
    const merged = await cc.send(new MergePullRequestByThreeWayCommand({ pullRequestId: id, repositoryName: 'pr-conflict', conflictResolutionStrategy: 'ACCEPT_SOURCE' }));
    expect(merged.pullRequest!.pullRequestStatus).toBe('CLOSED');
  });

  it('follows pushes: a new source commit is a new revision, and a push merging the source closes the pull request', async () => {
    const url = (await cc.send(new CreateRepositoryCommand({ repositoryName: 'pr-push' }))).repositoryMetadata!.cloneUrlHttp!;
    const dir = join(work.path, 'pr-push');
    await gitOk(work.path, ['clone', '-q', url, dir]);
    await commitFile(dir, 'README.md', 'hello\n');
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
    await gitOk(dir, ['checkout', '-q', '-b', 'feature']);
    await commitFile(dir, 'a.txt', 'a\n');
    await gitOk(dir, ['push', '-q', 'origin', 'feature']);
    const pr = (await cc.send(new CreatePullRequestCommand({ title: 'push', targets: [{ repositoryName: 'pr-push', sourceReference: 'feature' }] }))).pullRequest!;
    expect(pr.pullRequestTargets![0].destinationReference).toBe('refs/heads/main');

    const second = await commitFile(dir, 'b.txt', 'b\n');
    await gitOk(dir, ['push', '-q', 'origin', 'feature']);
    const updated = (await cc.send(new GetPullRequestCommand({ pullRequestId: pr.pullRequestId }))).pullRequest!;
    expect(updated.pullRequestTargets![0].sourceCommit).toBe(second);
    expect(updated.revisionId).not.toBe(pr.revisionId);

    await gitOk(dir, ['checkout', '-q', 'main']);
    await gitOk(dir, ['merge', '-q', '--no-ff', '-m', 'merge feature', 'feature']);
    await gitOk(dir, ['push', '-q', 'origin', 'main']);
    const closed = (await cc.send(new GetPullRequestCommand({ pullRequestId: pr.pullRequestId }))).pullRequest!;
    expect(closed.pullRequestStatus).toBe('CLOSED');
    expect(closed.pullRequestTargets![0].mergeMetadata).toMatchObject({ isMerged: true, mergedBy: ROOT });
    const types = (await cc.send(new DescribePullRequestEventsCommand({ pullRequestId: pr.pullRequestId }))).pullRequestEvents!.map((e) => e.pullRequestEventType);
    expect(types).toEqual(['PULL_REQUEST_CREATED', 'PULL_REQUEST_SOURCE_REFERENCE_UPDATED', 'PULL_REQUEST_MERGE_STATE_CHANGED', 'PULL_REQUEST_STATUS_CHANGED']);
  });

  it('answers a pull request of a deleted repository as one that does not exist', async () => {
    const { main, feature } = await repoWithFeature('pr-deleted');
    const id = (await create('pr-deleted')).pullRequest!.pullRequestId!;
    await cc.send(new DeleteRepositoryCommand({ repositoryName: 'pr-deleted' }));
    await createRepo(cc, 'pr-deleted');
    const err = await awsError(
      cc.send(new PostCommentForPullRequestCommand({ pullRequestId: id, repositoryName: 'pr-deleted', beforeCommitId: main, afterCommitId: feature, content: 'hi' })),
    );
    expect(err).toMatchObject({
      name: 'PullRequestDoesNotExistException',
      message: 'The pull request ID could not be found. Make sure that you have specified the correct repository name and pull request ID, and then try again.',
    });
  });
});
