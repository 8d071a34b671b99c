import {
  CreateBranchCommand,
  CreatePullRequestCommand,
  DeleteCommentContentCommand,
  GetCommentCommand,
  GetCommentReactionsCommand,
  GetCommentsForComparedCommitCommand,
  GetCommentsForPullRequestCommand,
  PostCommentForComparedCommitCommand,
  PostCommentForPullRequestCommand,
  PostCommentReplyCommand,
  PutCommentReactionCommand,
  PutFileCommand,
  UpdateCommentCommand,
  type CodeCommitClient,
} from '@aws-sdk/client-codecommit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/core/events.js';
import type { RunningServer } from '../../src/server.js';
import { createRepo, text } from '../codecommit-content/helpers.js';
import { awsCli, awsCliFailure, defaultAwsCli } from '../helpers/aws-cli.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';

let server: RunningServer;
let cc: CodeCommitClient;
const seen: BusEvent[] = [];
let main: string;
let feature: string;
const repositoryName = 'commented';
const ROOT = 'arn:aws:iam::000000000000:root';

beforeAll(async () => {
  server = await testServer();
  cc = codecommit(server);
  server.events.subscribe((e) => seen.push(e));
  await createRepo(cc, repositoryName);
  main = (await cc.send(new PutFileCommand({ repositoryName, branchName: 'main', filePath: 'src/app.js', fileContent: text('one\ntwo\nthree\n') }))).commitId!;
  await cc.send(new CreateBranchCommand({ repositoryName, branchName: 'feature', commitId: main }));
  feature = (
    await cc.send(new PutFileCommand({ repositoryName, branchName: 'feature', filePath: 'src/app.js', fileContent: text('one\n2\nthree\nfour\n'), parentCommitId: main }))
  ).commitId!;
});
afterAll(() => server.stop());

describe('CodeCommit comments', () => {
  it('comments on compared commits at a location, replies, reacts, edits and deletes', async () => {
    const posted = await cc.send(
      new PostCommentForComparedCommitCommand({
        repositoryName,
        beforeCommitId: main,
        afterCommitId: feature,
        content: 'Why 2?',
        location: { filePath: 'src/app.js', filePosition: 2, relativeFileVersion: 'AFTER' },
        clientRequestToken: 'c-1',
      }),
    );
    expect(posted).toMatchObject({
      repositoryName,
      beforeCommitId: main,
      afterCommitId: feature,
      beforeBlobId: expect.stringMatching(/^[0-9a-f]{40}$/),
      afterBlobId: expect.stringMatching(/^[0-9a-f]{40}$/),
      location: { filePath: 'src/app.js', filePosition: 2, relativeFileVersion: 'AFTER' },
      comment: { content: 'Why 2?', authorArn: ROOT, deleted: false, clientRequestToken: 'c-1', callerReactions: [], reactionCounts: {} },
    });
    expect(posted.beforeBlobId).not.toBe(posted.afterBlobId);
    const id = posted.comment!.commentId!;
    const again = await cc.send(
      new PostCommentForComparedCommitCommand({
        repositoryName,
        beforeCommitId: main,
        afterCommitId: feature,
        content: 'Why 2?',
        location: { filePath: 'src/app.js', filePosition: 2, relativeFileVersion: 'AFTER' },
        clientRequestToken: 'c-1',
      }),
    );
    expect(again.comment!.commentId).toBe(id);

    const reply = (await cc.send(new PostCommentReplyCommand({ inReplyTo: id, content: 'Because.' }))).comment!;
    expect(reply.inReplyTo).toBe(id);
    await cc.send(new PutCommentReactionCommand({ commentId: id, reactionValue: ':thumbsup:' }));
    expect((await cc.send(new GetCommentCommand({ commentId: id }))).comment).toMatchObject({ callerReactions: [':thumbsup:'], reactionCounts: { ':thumbsup:': 1 } });
    // Another reaction by the same user replaces the first; given as the emoji itself.
    await cc.send(new PutCommentReactionCommand({ commentId: id, reactionValue: '👎' }));
    expect((await cc.send(new GetCommentReactionsCommand({ commentId: id }))).reactionsForComment).toEqual([
      { reaction: { emoji: '👎', shortCode: ':thumbsdown:', unicode: 'U+1F44E' }, reactionUsers: [ROOT], reactionsFromDeletedUsersCount: 0 },
    ]);
    expect((await awsError(cc.send(new PutCommentReactionCommand({ commentId: id, reactionValue: ':pizza:' })))).name).toBe('InvalidReactionValueException');

    const { commentsForComparedCommitData } = await cc.send(new GetCommentsForComparedCommitCommand({ repositoryName, beforeCommitId: main, afterCommitId: feature }));
    expect(commentsForComparedCommitData).toHaveLength(1);
    expect(commentsForComparedCommitData![0].comments!.map((c) => c.content)).toEqual(['Why 2?', 'Because.']);

    expect((await cc.send(new UpdateCommentCommand({ commentId: reply.commentId, content: 'Because it is.' }))).comment!.content).toBe('Because it is.');
    const deleted = (await cc.send(new DeleteCommentContentCommand({ commentId: reply.commentId }))).comment!;
    expect(deleted).toMatchObject({ deleted: true, commentId: reply.commentId });
    expect(deleted.content).toBeUndefined();
    expect((await awsError(cc.send(new UpdateCommentCommand({ commentId: reply.commentId, content: 'x' })))).name).toBe('CommentDeletedException');
    expect((await awsError(cc.send(new GetCommentCommand({ commentId: 'no-such-comment' })))).name).toBe('CommentDoesNotExistException');

    const events = seen.filter((e) => e['detail-type'] === 'CodeCommit Comment on Commit');
    expect(events.map((e) => e.detail.event)).toEqual(['commentOnCommitCreated', 'commentOnCommitCreated', 'commentOnCommitUpdated']);
    expect(events[1].detail).toMatchObject({ afterCommitId: feature, beforeCommitId: main, callerUserArn: ROOT, commentId: reply.commentId, inReplyTo: id, repositoryName });
  });

  it('refuses bad comments with CodeCommit’s exceptions', async () => {
    const post = (input: object) => awsError(cc.send(new PostCommentForComparedCommitCommand({ repositoryName, afterCommitId: feature, content: 'x', ...input } as never)));
    expect((await post({ beforeCommitId: feature })).name).toBe('BeforeCommitIdAndAfterCommitIdAreSameException');
    expect((await post({ content: '' })).name).toBe('CommentContentRequiredException');
    expect((await post({ content: 'x'.repeat(10241) })).name).toBe('CommentContentSizeLimitExceededException');
    expect((await post({ afterCommitId: 'f'.repeat(40) })).name).toBe('CommitDoesNotExistException');
    expect((await post({ location: { filePath: 'missing.txt', filePosition: 1, relativeFileVersion: 'AFTER' } })).name).toBe('PathDoesNotExistException');
    expect((await post({ location: { filePath: 'src/app.js', filePosition: 99, relativeFileVersion: 'AFTER' } })).name).toBe('InvalidFilePositionException');
  });

  it('comments on a pull request, and lists them by pull request, with events', async () => {
    const pr = (await cc.send(new CreatePullRequestCommand({ title: 't', targets: [{ repositoryName, sourceReference: 'feature', destinationReference: 'main' }] }))).pullRequest!;
    const posted = await cc.send(
      new PostCommentForPullRequestCommand({ pullRequestId: pr.pullRequestId, repositoryName, beforeCommitId: main, afterCommitId: feature, content: 'Looks good' }),
    );
    expect(posted).toMatchObject({ pullRequestId: pr.pullRequestId, repositoryName, comment: { content: 'Looks good' } });
    const { commentsForPullRequestData } = await cc.send(new GetCommentsForPullRequestCommand({ pullRequestId: pr.pullRequestId }));
    expect(commentsForPullRequestData).toEqual([
      expect.objectContaining({ pullRequestId: pr.pullRequestId, repositoryName, beforeCommitId: main, afterCommitId: feature, comments: [expect.objectContaining({ content: 'Looks good' })] }),
    ]);
    // Comments on the pull request are not comments on the compared commits.
    const onCommits = await cc.send(new GetCommentsForComparedCommitCommand({ repositoryName, beforeCommitId: main, afterCommitId: feature }));
    expect(onCommits.commentsForComparedCommitData!.flatMap((g) => g.comments!.map((c) => c.content))).not.toContain('Looks good');
    const event = seen.find((e) => e['detail-type'] === 'CodeCommit Comment on Pull Request');
    expect(event?.detail).toMatchObject({ event: 'commentOnPullRequestCreated', pullRequestId: pr.pullRequestId, commentId: posted.comment!.commentId, repositoryName });
  });

  it.skipIf(!defaultAwsCli)('posts and reads a comment with the AWS CLI', async () => {
    const cli = defaultAwsCli!;
    const endpoint = ['--endpoint-url', server.endpoint];
    const posted = await awsCli(cli, [
      'codecommit',
      'post-comment-for-compared-commit',
      ...endpoint,
      '--repository-name',
      repositoryName,
      '--before-commit-id',
      main,
      '--after-commit-id',
      feature,
      '--content',
      'from the CLI',
    ]);
    const got = await awsCli(cli, ['codecommit', 'get-comment', ...endpoint, '--comment-id', posted.comment.commentId]);
    expect(got.comment).toMatchObject({ content: 'from the CLI', authorArn: ROOT });
    const failure = await awsCliFailure(cli, ['codecommit', 'get-comment', ...endpoint, '--comment-id', 'missing']);
    expect(failure).toContain('CommentDoesNotExistException');
  });
});
