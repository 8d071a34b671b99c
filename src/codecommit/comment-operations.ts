import type {
  Comment,
  DeleteCommentContentInput,
  DeleteCommentContentOutput,
  GetCommentInput,
  GetCommentOutput,
  GetCommentReactionsInput,
  GetCommentReactionsOutput,
  GetCommentsForComparedCommitInput,
  GetCommentsForComparedCommitOutput,
  GetCommentsForPullRequestInput,
  GetCommentsForPullRequestOutput,
  Location,
  PostCommentForComparedCommitInput,
  PostCommentForComparedCommitOutput,
  PostCommentForPullRequestInput,
  PostCommentForPullRequestOutput,
  PostCommentReplyInput,
  PostCommentReplyOutput,
  PutCommentReactionInput,
  UpdateCommentInput,
  UpdateCommentOutput,
} from '@aws-sdk/client-codecommit';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { loadCommit } from './commit-specifiers.js';
import { CommentStore, type CommentRecord } from './comment-store.js';
import { repositoryResource } from './content-iam.js';
import { commitDoesNotExist, inputError } from './errors.js';
import { FULL_OID } from './git-objects.js';
import { page } from './pagination.js';
import { normalizeFilePath } from './paths.js';
import type { PullRequests } from './pull-requests.js';
import { reactionByShortCode, reactionFor } from './reactions.js';
import type { RepositoryRecord } from './repository-store.js';
import { publishCommentEvent } from './review-events.js';
import { commentResource, pullRequestResource } from './review-iam.js';

const MAX_CONTENT = 10240;
const MAX_COMMENT_GROUPS_PER_PAGE = 500;
const DEFAULT_COMMENT_GROUPS_PER_PAGE = 100;
const MAX_REACTIONS_PER_PAGE = 1000;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/;

/** Where a comment is and what it answers, before its content and author are added. */
interface Placement {
  repo: RepositoryRecord;
  pullRequestId: number | null;
  beforeCommitId: string | null;
  afterCommitId: string;
  beforeBlobId: string | null;
  afterBlobId: string | null;
  location?: Location;
  inReplyTo: string | null;
}

export function commentOperations(prs: PullRequests): Record<string, OperationSpec> {
  const { repos } = prs;
  const comments = new CommentStore(repos.deps.db);

  function content(value: string | undefined): string {
    if (value === undefined || value === '') throw inputError('CommentContentRequiredException');
    if (value.length > MAX_CONTENT) throw inputError('CommentContentSizeLimitExceededException');
    return value;
  }

  async function commit(repo: RepositoryRecord, id: string | undefined): Promise<string> {
    if (!id) throw inputError('CommitIdRequiredException');
    if (!FULL_OID.test(id)) throw inputError('InvalidCommitIdException');
    if (!(await repos.git.objects(repo.id).commit(id))) throw commitDoesNotExist();
    return id;
  }

  /** The blob a commit has at a path, if any. */
  async function blobAt(repo: RepositoryRecord, commitId: string | null, path: string): Promise<string | undefined> {
    if (!commitId) return undefined;
    const objects = repos.git.objects(repo.id);
    const entry = await objects.entryAt((await loadCommit(objects, commitId)).tree, path);
    return entry && (await objects.type(entry.oid)) === 'blob' ? entry.oid : undefined;
  }

  /** Checks the commits and location of a new comment and finds the blobs it is about. */
  async function place(
    repo: RepositoryRecord,
    input: { beforeCommitId?: string; afterCommitId?: string; location?: Location },
    pullRequestId: number | null,
  ): Promise<Placement> {
    const afterCommitId = await commit(repo, input.afterCommitId);
    const beforeCommitId = input.beforeCommitId === undefined ? null : await commit(repo, input.beforeCommitId);
    if (beforeCommitId === afterCommitId) throw inputError('BeforeCommitIdAndAfterCommitIdAreSameException');
    const placement: Placement = { repo, pullRequestId, beforeCommitId, afterCommitId, beforeBlobId: null, afterBlobId: null, inReplyTo: null };
    const location = input.location;
    if (!location) return placement;
    if (location.filePath === undefined || location.filePath === '') throw inputError('PathRequiredException');
    const path = normalizeFilePath(location.filePath);
    const version = location.relativeFileVersion ?? 'AFTER';
    if (version !== 'BEFORE' && version !== 'AFTER') throw inputError('InvalidRelativeFileVersionEnumException');
    if (version === 'BEFORE' && !beforeCommitId) throw inputError('InvalidRelativeFileVersionEnumException');
    const beforeBlobId = await blobAt(repo, beforeCommitId, path);
    const afterBlobId = await blobAt(repo, afterCommitId, path);
    const blobId = version === 'BEFORE' ? beforeBlobId : afterBlobId;
    if (!blobId) throw inputError('PathDoesNotExistException');
    if (location.filePosition !== undefined) {
      const text = (await repos.git.objects(repo.id).blob(blobId))!.toString('utf8');
      const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (!Number.isSafeInteger(location.filePosition) || location.filePosition < 0 || location.filePosition > lines) throw inputError('InvalidFilePositionException');
    }
    return {
      ...placement,
      beforeBlobId: beforeBlobId ?? null,
      afterBlobId: afterBlobId ?? null,
      location: { filePath: path, filePosition: location.filePosition, relativeFileVersion: version },
    };
  }

  /** Stores a comment once per client request token; the same token with other parameters is refused. */
  function post(ctx: RequestContext, at: Placement, text: string, token: string | undefined): CommentRecord {
    const requestHash = createHash('sha256')
      .update(JSON.stringify([at.repo.id, at.pullRequestId, at.beforeCommitId, at.afterCommitId, at.location ?? null, at.inReplyTo, text]))
      .digest('hex');
    if (token !== undefined) {
      if (token === '') throw inputError('ClientRequestTokenRequiredException');
      const earlier = comments.byToken(ctx.principalArn, token);
      if (earlier) {
        if (earlier.requestHash !== requestHash) throw inputError('IdempotencyParameterMismatchException');
        return earlier;
      }
    }
    const now = repos.now();
    const record: CommentRecord = {
      id: repos.deps.ids.uuid(),
      repositoryId: at.repo.id,
      pullRequestId: at.pullRequestId,
      beforeCommitId: at.beforeCommitId,
      afterCommitId: at.afterCommitId,
      beforeBlobId: at.beforeBlobId,
      afterBlobId: at.afterBlobId,
      filePath: at.location?.filePath ?? null,
      filePosition: at.location?.filePosition ?? null,
      relativeFileVersion: at.location?.relativeFileVersion ?? null,
      inReplyTo: at.inReplyTo,
      content: text,
      authorArn: ctx.principalArn,
      clientRequestToken: token ?? null,
      requestHash,
      deleted: false,
      createdAt: now,
      updatedAt: now,
    };
    comments.insert(record);
    publishCommentEvent(repos.deps, at.repo, { commentId: record.id, ...record }, 'Created', ctx.principalArn);
    return record;
  }

  function view(c: CommentRecord, ctx: RequestContext): Comment {
    const reactions = comments.reactions(c.id);
    const counts: Record<string, number> = {};
    for (const r of reactions) counts[r.reaction] = (counts[r.reaction] ?? 0) + 1;
    return {
      commentId: c.id,
      content: c.deleted ? undefined : c.content,
      inReplyTo: c.inReplyTo ?? undefined,
      creationDate: new Date(c.createdAt),
      lastModifiedDate: new Date(c.updatedAt),
      authorArn: c.authorArn,
      deleted: c.deleted,
      clientRequestToken: c.clientRequestToken ?? undefined,
      callerReactions: reactions.filter((r) => r.userArn === ctx.principalArn).map((r) => r.reaction),
      reactionCounts: counts,
    };
  }

  const locationOf = (c: CommentRecord): Location | undefined =>
    c.filePath === null ? undefined : { filePath: c.filePath, filePosition: c.filePosition ?? undefined, relativeFileVersion: (c.relativeFileVersion ?? undefined) as never };

  /** The commits, blobs and location a comment is about, as every comment answer names them. */
  const placed = (c: CommentRecord) => ({
    beforeCommitId: c.beforeCommitId ?? undefined,
    afterCommitId: c.afterCommitId,
    beforeBlobId: c.beforeBlobId ?? undefined,
    afterBlobId: c.afterBlobId ?? undefined,
    location: locationOf(c),
  });

  /** Comments grouped as CodeCommit lists them: one group per pair of commits and location. */
  function grouped(list: CommentRecord[]) {
    const groups = new Map<string, CommentRecord[]>();
    for (const c of list) {
      const key = JSON.stringify([c.repositoryId, c.beforeCommitId, c.afterCommitId, c.filePath, c.filePosition, c.relativeFileVersion]);
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    return [...groups.values()];
  }

  function groupSize(max: number | undefined): number {
    const size = max ?? DEFAULT_COMMENT_GROUPS_PER_PAGE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_COMMENT_GROUPS_PER_PAGE) throw inputError('InvalidMaxResultsException');
    return size;
  }

  /** A comment in the caller's account and region, not deleted unless `deletedOk`. */
  function existing(ctx: RequestContext, id: string | undefined, deletedOk = false): { comment: CommentRecord; repo: RepositoryRecord } {
    if (!id) throw inputError('CommentIdRequiredException');
    if (id.length > 128) throw inputError('InvalidCommentIdException');
    const comment = comments.get(id);
    const repo = comment && repos.store.byId(comment.repositoryId);
    if (!comment || !repo || repo.accountId !== ctx.accountId || repo.region !== ctx.region) throw inputError('CommentDoesNotExistException');
    if (comment.deleted && !deletedOk) throw inputError('CommentDeletedException');
    return { comment, repo };
  }

  const byComment = commentResource(repos.deps.db);

  return {
    PostCommentForComparedCommit: operation<PostCommentForComparedCommitInput, PostCommentForComparedCommitOutput>({
      iam: { action: 'codecommit:PostCommentForComparedCommit', resource: repositoryResource },
      handler: async (input, ctx) => {
        const text = content(input.content);
        const repo = repos.require(ctx, input.repositoryName!);
        const at = await place(repo, input, null);
        const c = post(ctx, at, text, input.clientRequestToken);
        return {
          repositoryName: repo.name,
          ...placed(c),
          comment: view(c, ctx),
        };
      },
    }),

    PostCommentForPullRequest: operation<PostCommentForPullRequestInput, PostCommentForPullRequestOutput>({
      iam: { action: 'codecommit:PostCommentForPullRequest', resource: repositoryResource },
      handler: async (input, ctx) => {
        const text = content(input.content);
        const pr = prs.store.require(ctx, input.pullRequestId);
        const repo = repos.require(ctx, input.repositoryName!);
        if (!pr.targets.some((t) => t.repositoryId === repo.id)) throw inputError('RepositoryNotAssociatedWithPullRequestException');
        if (!input.beforeCommitId) throw inputError('CommitIdRequiredException');
        const at = await place(repo, input, pr.id);
        const c = post(ctx, at, text, input.clientRequestToken);
        return {
          repositoryName: repo.name,
          pullRequestId: String(pr.id),
          ...placed(c),
          comment: view(c, ctx),
        };
      },
    }),

    PostCommentReply: operation<PostCommentReplyInput, PostCommentReplyOutput>({
      iam: { action: 'codecommit:PostCommentReply', resource: byComment },
      handler: (input, ctx) => {
        const text = content(input.content);
        const { comment: parent, repo } = existing(ctx, input.inReplyTo, true);
        const at: Placement = {
          repo,
          pullRequestId: parent.pullRequestId,
          beforeCommitId: parent.beforeCommitId,
          afterCommitId: parent.afterCommitId,
          beforeBlobId: parent.beforeBlobId,
          afterBlobId: parent.afterBlobId,
          location: locationOf(parent),
          inReplyTo: parent.id,
        };
        return { comment: view(post(ctx, at, text, input.clientRequestToken), ctx) };
      },
    }),

    GetComment: operation<GetCommentInput, GetCommentOutput>({
      iam: { action: 'codecommit:GetComment', resource: byComment },
      handler: (input, ctx) => ({ comment: view(existing(ctx, input.commentId).comment, ctx) }),
    }),

    UpdateComment: operation<UpdateCommentInput, UpdateCommentOutput>({
      iam: { action: 'codecommit:UpdateComment', resource: byComment },
      handler: (input, ctx) => {
        const text = content(input.content);
        const { comment, repo } = existing(ctx, input.commentId);
        if (comment.authorArn !== ctx.principalArn) throw inputError('CommentNotCreatedByCallerException');
        comments.setContent(comment.id, text, false, repos.now());
        publishCommentEvent(repos.deps, repo, { commentId: comment.id, ...comment }, 'Updated', ctx.principalArn);
        return { comment: view(comments.get(comment.id)!, ctx) };
      },
    }),

    DeleteCommentContent: operation<DeleteCommentContentInput, DeleteCommentContentOutput>({
      iam: { action: 'codecommit:DeleteCommentContent', resource: byComment },
      handler: (input, ctx) => {
        const { comment } = existing(ctx, input.commentId);
        comments.setContent(comment.id, '', true, repos.now());
        return { comment: view(comments.get(comment.id)!, ctx) };
      },
    }),

    GetCommentsForComparedCommit: operation<GetCommentsForComparedCommitInput, GetCommentsForComparedCommitOutput>({
      iam: { action: 'codecommit:GetCommentsForComparedCommit', resource: repositoryResource },
      handler: async (input, ctx) => {
        const size = groupSize(input.maxResults);
        const repo = repos.require(ctx, input.repositoryName!);
        const after = await commit(repo, input.afterCommitId);
        const before = input.beforeCommitId === undefined ? undefined : await commit(repo, input.beforeCommitId);
        const { items, nextToken } = page(grouped(comments.onCommits(repo.id, after, before)), input.nextToken, size);
        return {
          commentsForComparedCommitData: items.map((group) => ({
            repositoryName: repo.name,
            ...placed(group[0]),
            comments: group.map((c) => view(c, ctx)),
          })),
          nextToken,
        };
      },
    }),

    GetCommentsForPullRequest: operation<GetCommentsForPullRequestInput, GetCommentsForPullRequestOutput>({
      iam: { action: 'codecommit:GetCommentsForPullRequest', resource: pullRequestResource(prs.store) },
      handler: async (input, ctx) => {
        const size = groupSize(input.maxResults);
        const pr = prs.store.require(ctx, input.pullRequestId);
        let repo: RepositoryRecord | undefined;
        if (input.repositoryName !== undefined) {
          repo = repos.require(ctx, input.repositoryName);
          if (!pr.targets.some((t) => t.repositoryId === repo!.id)) throw inputError('RepositoryNotAssociatedWithPullRequestException');
        }
        if ((input.beforeCommitId !== undefined || input.afterCommitId !== undefined) && !repo) throw inputError('RepositoryNameRequiredException');
        const before = repo && input.beforeCommitId !== undefined ? await commit(repo, input.beforeCommitId) : undefined;
        const after = repo && input.afterCommitId !== undefined ? await commit(repo, input.afterCommitId) : undefined;
        const list = comments.onPullRequest(pr.id, { repositoryId: repo?.id, beforeCommitId: before, afterCommitId: after });
        const { items, nextToken } = page(grouped(list), input.nextToken, size);
        return {
          commentsForPullRequestData: items.map((group) => ({
            pullRequestId: String(pr.id),
            repositoryName: repos.store.byId(group[0].repositoryId)?.name,
            ...placed(group[0]),
            comments: group.map((c) => view(c, ctx)),
          })),
          nextToken,
        };
      },
    }),

    PutCommentReaction: operation<PutCommentReactionInput, Record<string, never>>({
      iam: { action: 'codecommit:PutCommentReaction', resource: byComment },
      handler: (input, ctx) => {
        const { comment } = existing(ctx, input.commentId);
        const reaction = reactionFor(input.reactionValue ?? '');
        if (reaction === undefined) throw inputError('InvalidReactionValueException');
        comments.react(comment.id, ctx.principalArn, reaction?.shortCode ?? null, repos.now());
        return {};
      },
    }),

    GetCommentReactions: operation<GetCommentReactionsInput, GetCommentReactionsOutput>({
      iam: { action: 'codecommit:GetCommentReactions', resource: byComment },
      handler: (input, ctx) => {
        if (input.reactionUserArn !== undefined && !ARN.test(input.reactionUserArn)) throw inputError('InvalidReactionUserArnException');
        const size = input.maxResults ?? MAX_REACTIONS_PER_PAGE;
        if (!Number.isInteger(size) || size < 1 || size > MAX_REACTIONS_PER_PAGE) throw inputError('InvalidMaxResultsException');
        const { comment } = existing(ctx, input.commentId);
        const byReaction = new Map<string, string[]>();
        for (const r of comments.reactions(comment.id)) {
          if (input.reactionUserArn !== undefined && r.userArn !== input.reactionUserArn) continue;
          byReaction.set(r.reaction, [...(byReaction.get(r.reaction) ?? []), r.userArn]);
        }
        const all = [...byReaction.entries()].map(([shortCode, users]) => ({
          reaction: reactionByShortCode(shortCode),
          reactionUsers: users,
          reactionsFromDeletedUsersCount: 0,
        }));
        const { items, nextToken } = page(all, input.nextToken, size);
        return { reactionsForComment: items, nextToken };
      },
    }),
  };
}
