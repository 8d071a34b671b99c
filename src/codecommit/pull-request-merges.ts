import type {
  MergePullRequestByFastForwardInput,
  MergePullRequestByFastForwardOutput,
  MergePullRequestBySquashInput,
  MergePullRequestBySquashOutput,
  MergePullRequestByThreeWayInput,
  MergePullRequestByThreeWayOutput,
} from '@aws-sdk/client-codecommit';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { moveBranch } from './branch-commits.js';
import { readRef } from './commit-specifiers.js';
import { inputError } from './errors.js';
import { FULL_OID } from './git-objects.js';
import type { MergeCommitOptions, Merger } from './merger.js';
import type { PullRequests } from './pull-requests.js';
import { pullRequestReferences, pullRequestResource } from './review-iam.js';

type MergeOption = 'FAST_FORWARD_MERGE' | 'SQUASH_MERGE' | 'THREE_WAY_MERGE';
type PullRequestMergeInput = { pullRequestId?: string; repositoryName?: string; sourceCommitId?: string } & MergeCommitOptions;

export function pullRequestMergeOperations(prs: PullRequests, merger: Merger): Record<string, OperationSpec> {
  const { store, repos } = prs;

  /**
   * Merges every open target of the pull request in the named repository, with the checks
   * CodeCommit makes first: the pull request is open, the caller saw the source's current tip, and
   * its approval rules are satisfied or overridden. Runs in the repository's queue so a push that
   * lands meanwhile is seen before or after, never halfway.
   */
  async function merge(ctx: RequestContext, input: PullRequestMergeInput, option: MergeOption) {
    if (input.sourceCommitId !== undefined && !FULL_OID.test(input.sourceCommitId)) throw inputError('InvalidCommitIdException');
    const repo = repos.require(ctx, input.repositoryName!);
    const named = store.require(ctx, input.pullRequestId);
    if (!named.targets.some((t) => t.repositoryId === repo.id)) throw inputError('RepositoryNotAssociatedWithPullRequestException');
    return prs.serialized(repo.id, async () => {
      await prs.refresh(named.id, named.authorArn);
      let pr = store.get(named.id)!;
      if (pr.status === 'CLOSED') throw inputError('PullRequestAlreadyClosedException');
      const targets = pr.targets.filter((t) => t.repositoryId === repo.id && !t.mergedBy);
      for (const t of targets) {
        const tip = await readRef(repos, repo, t.sourceReference);
        if (!tip) throw inputError('ReferenceDoesNotExistException');
        if (input.sourceCommitId !== undefined && input.sourceCommitId !== tip) throw inputError('TipOfSourceReferenceIsDifferentException');
      }
      if (!prs.evaluate(pr).approved) throw inputError('PullRequestApprovalRulesNotSatisfiedException');
      for (const t of targets) {
        const tips = await merger.tips(ctx, { repositoryName: repo.name, sourceCommitSpecifier: t.sourceCommit, destinationCommitSpecifier: t.destinationReference });
        const branch = t.destinationReference.replace(/^refs\/heads\//, '');
        let mergeCommitId: string;
        if (option === 'FAST_FORWARD_MERGE') {
          if (tips.baseCommitId !== tips.destinationCommitId) throw inputError('ManualMergeRequiredException');
          mergeCommitId = tips.sourceCommitId;
        } else {
          const kind = option === 'SQUASH_MERGE' ? 'SQUASH_MERGE' : 'THREE_WAY_MERGE';
          const made = await merger.mergeCommit(tips, ctx, kind, { ...input, repositoryName: repo.name }, `Merged pull request ${pr.id}: ${pr.title}`);
          mergeCommitId = made.commitId;
        }
        await moveBranch(repos, repo, ctx, branch, mergeCommitId, tips.destinationCommitId, () => inputError('ConcurrentReferenceUpdateException'));
        if (option !== 'FAST_FORWARD_MERGE') merger.record(tips, mergeCommitId);
        pr = prs.merged(pr, t.position, ctx.principalArn, { mergeCommitId, mergeOption: option });
      }
      return { pullRequest: prs.view(pr) };
    });
  }

  const iam = (action: string) => ({ action, resource: pullRequestResource(store), conditionKeys: pullRequestReferences(store) });

  return {
    MergePullRequestByFastForward: operation<MergePullRequestByFastForwardInput, MergePullRequestByFastForwardOutput>({
      iam: iam('codecommit:MergePullRequestByFastForward'),
      handler: (input, ctx) => merge(ctx, input, 'FAST_FORWARD_MERGE'),
    }),
    MergePullRequestBySquash: operation<MergePullRequestBySquashInput, MergePullRequestBySquashOutput>({
      iam: iam('codecommit:MergePullRequestBySquash'),
      handler: (input, ctx) => merge(ctx, input, 'SQUASH_MERGE'),
    }),
    MergePullRequestByThreeWay: operation<MergePullRequestByThreeWayInput, MergePullRequestByThreeWayOutput>({
      iam: iam('codecommit:MergePullRequestByThreeWay'),
      handler: (input, ctx) => merge(ctx, input, 'THREE_WAY_MERGE'),
    }),
  };
}
