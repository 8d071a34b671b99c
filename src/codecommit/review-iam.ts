import type { RequestContext } from '../core/context.js';
import type { Db } from '../core/store/db.js';
import { repositoryArn } from './arns.js';
import { branchRef } from './content-iam.js';
import type { PullRequestStore } from './pull-request-store.js';

/**
 * The repository a pull request belongs to, as IAM sees it. An unknown pull request has no
 * repository: IAM is asked about every repository, and a caller allowed that far learns it does not exist.
 */
export const pullRequestResource =
  (store: PullRequestStore) =>
  (i: { pullRequestId?: string }, ctx: RequestContext): string =>
    repositoryArn({ region: ctx.region, accountId: ctx.accountId, name: store.repositoryNameOf(i.pullRequestId) ?? '*' });

/**
 * `codecommit:References` of a pull request merge: the destination branch it moves, one value as a
 * push names one ref (so policies written for pushes apply alike); several only for a pull
 * request with several destinations.
 */
export const pullRequestReferences =
  (store: PullRequestStore) =>
  (i: { pullRequestId?: string }): Record<string, string | string[]> => {
    const pr = i.pullRequestId && /^[1-9]\d{0,15}$/.test(i.pullRequestId) ? store.get(Number(i.pullRequestId)) : undefined;
    const refs = [...new Set((pr?.targets ?? []).map((t) => branchRef(t.destinationReference)))];
    return refs.length === 0 ? {} : { 'codecommit:References': refs.length === 1 ? refs[0] : refs };
  };

/** The repository a comment was made in, as IAM sees it. */
export const commentResource =
  (db: Db) =>
  (i: { commentId?: string; inReplyTo?: string }, ctx: RequestContext): string => {
    const row = db
      .prepare('SELECT r.name FROM codecommit_comments c JOIN codecommit_repositories r ON r.id = c.repository_id WHERE c.id = ?')
      .get(i.commentId ?? i.inReplyTo ?? '') as { name: string } | undefined;
    return repositoryArn({ region: ctx.region, accountId: ctx.accountId, name: row?.name ?? '*' });
  };
