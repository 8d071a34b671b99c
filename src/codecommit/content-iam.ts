import type { RequestContext } from '../core/context.js';
import { repositoryArn } from './arns.js';

/** The repository a content operation acts on, as IAM sees it. */
export const repositoryResource = (i: { repositoryName?: string }, ctx: RequestContext) =>
  repositoryArn({ region: ctx.region, accountId: ctx.accountId, name: i.repositoryName ?? '' });

/** The full name of a branch given by name or already as a ref. */
export function branchRef(branch: string | undefined): string {
  const name = branch ?? '';
  return name.startsWith('refs/') ? name : `refs/heads/${name}`;
}

/** `codecommit:References` of an operation that commits to `branchName`. */
export const branchReferences = (i: { branchName?: string }) => ({ 'codecommit:References': branchRef(i.branchName) });

/**
 * `codecommit:References` of a merge: the branch the merge moves, which is the target branch
 * when one is given and otherwise the destination the caller named.
 */
export const mergeReferences = (i: { targetBranch?: string; destinationCommitSpecifier?: string }) => ({
  'codecommit:References': branchRef(i.targetBranch ?? i.destinationCommitSpecifier),
});
