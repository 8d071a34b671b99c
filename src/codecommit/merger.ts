import type { ConflictResolution } from '@aws-sdk/client-codecommit';
import type { RequestContext } from '../core/context.js';
import { authorship } from './branch-commits.js';
import { isValidBranchName } from './branch-names.js';
import { loadCommit, readRef, resolveCommit } from './commit-specifiers.js';
import { branchDoesNotExist, inputError } from './errors.js';
import { EMPTY_TREE, type GitObjects } from './git-objects.js';
import { policyOf, settle, type MergePolicy } from './merge-conflicts.js';
import { mergeTrees, type TreeMerge } from './merge-engine.js';
import type { Repositories } from './repositories.js';
import type { RepositoryRecord } from './repository-store.js';
import { TreeEditor } from './tree-editor.js';

/** The path mergeTrees gives the repository's root folder. */
const ROOT = '';

/** Two commits to merge and their merge base. */
export interface Tips {
  repo: RepositoryRecord;
  objects: GitObjects;
  sourceCommitId: string;
  destinationCommitId: string;
  baseCommitId: string;
}

export type MergeInput = { repositoryName?: string; sourceCommitSpecifier?: string; destinationCommitSpecifier?: string };

/** What a squash or three-way merge may be told: conflict handling and the commit's authorship. */
export interface MergeCommitOptions {
  conflictDetailLevel?: string;
  conflictResolutionStrategy?: string;
  conflictResolution?: ConflictResolution;
  authorName?: string;
  email?: string;
  commitMessage?: string;
  keepEmptyFolders?: boolean;
}

/** The merge steps branch merges and pull-request merges share. */
export function createMerger(repos: Repositories) {
  const db = repos.deps.db;

  /** Both tips and their merge base; unrelated histories cannot be merged. */
  async function tips(ctx: RequestContext, input: MergeInput, invalid: { source?: string; destination?: string } = {}): Promise<Tips> {
    const repo = repos.require(ctx, input.repositoryName!);
    const sourceCommitId = await resolveCommit(repos, repo, input.sourceCommitSpecifier, { invalid: invalid.source });
    const destinationCommitId = await resolveCommit(repos, repo, input.destinationCommitSpecifier, { invalid: invalid.destination });
    const objects = repos.git.objects(repo.id);
    const baseCommitId = await objects.mergeBase(sourceCommitId, destinationCommitId);
    if (!baseCommitId) throw inputError('TipsDivergenceExceededException');
    return { repo, objects, sourceCommitId, destinationCommitId, baseCommitId };
  }

  async function treeMerge(t: Tips): Promise<TreeMerge> {
    const [base, source, destination] = await Promise.all([t.baseCommitId, t.sourceCommitId, t.destinationCommitId].map((id) => loadCommit(t.objects, id)));
    return mergeTrees(t.objects, base.tree, source.tree, destination.tree);
  }

  /** Writes the merged tree: the destination's tree with every clean change and every settled conflict applied. */
  async function mergedTree(t: Tips, merge: TreeMerge, policy: MergePolicy, resolution: ConflictResolution | undefined, keepEmptyFolders: boolean) {
    const outcomes = settle(merge, policy, resolution);
    // A change at the root path means the source replaced the whole tree (the destination is an
    // ancestor of the source): the merge starts from the source's tree, not the destination's.
    const whole = merge.changes.has(ROOT) ? (merge.changes.get(ROOT)?.oid ?? EMPTY_TREE) : undefined;
    const editor = new TreeEditor(t.objects, whole ?? (await loadCommit(t.objects, t.destinationCommitId)).tree);
    const apply = async (path: string, entry: { mode: string; oid: string } | undefined) => {
      if (entry) await editor.put(path, entry);
      else await editor.remove(path);
    };
    for (const [path, entry] of merge.changes) if (path !== ROOT) await apply(path, entry);
    for (const [path, outcome] of outcomes) {
      if (outcome.content) await t.objects.writeBlob(outcome.content);
      await apply(path, outcome.entry);
    }
    return editor.write(keepEmptyFolders);
  }

  /** The branch a merge moves: the target branch, or the destination when it names a branch. */
  async function target(t: Tips, input: { targetBranch?: string; destinationCommitSpecifier?: string }): Promise<{ branch: string; tip: string }> {
    const named = input.targetBranch ?? input.destinationCommitSpecifier!;
    // HEAD as the destination means the branch it names: the default branch.
    const branch = named === 'HEAD' && t.repo.defaultBranch ? t.repo.defaultBranch : named.replace(/^refs\/heads\//, '');
    if (!isValidBranchName(branch)) throw inputError('InvalidTargetBranchException');
    const tip = await readRef(repos, t.repo, `refs/heads/${branch}`);
    if (!tip) {
      if (await readRef(repos, t.repo, `refs/tags/${branch}`)) throw inputError('BranchNameIsTagNameException');
      throw branchDoesNotExist();
    }
    // The destination read a moment ago is the tip the merge builds on; a target that is another
    // branch may only move forward, so a merge never drops commits from it.
    if (tip === t.destinationCommitId) return { branch, tip };
    if (input.targetBranch === undefined || named === input.destinationCommitSpecifier) {
      throw inputError('ConcurrentReferenceUpdateException');
    }
    if ((await t.objects.mergeBase(tip, t.destinationCommitId)) !== tip) throw inputError('InvalidTargetBranchException');
    return { branch, tip };
  }

  function record(t: Tips, mergeCommitId: string): void {
    db.prepare(
      'INSERT INTO codecommit_merge_commits (repository_id, source_commit_id, destination_commit_id, merge_commit_id, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(t.repo.id, t.sourceCommitId, t.destinationCommitId, mergeCommitId, repos.now());
  }

  /** Source already contained in the destination: nothing to merge, the destination stands. */
  const alreadyMerged = (t: Tips) => t.baseCommitId === t.sourceCommitId;

  /** Builds the commit of a squash or three-way merge (unreferenced until a branch is moved to it). */
  async function mergeCommit(
    t: Tips,
    ctx: RequestContext,
    kind: 'SQUASH_MERGE' | 'THREE_WAY_MERGE',
    input: MergeInput & MergeCommitOptions,
    fallbackMessage?: string,
  ): Promise<{ commitId: string; treeId: string }> {
    const fallback =
      fallbackMessage ??
      (kind === 'SQUASH_MERGE'
        ? `Squash merge of ${input.sourceCommitSpecifier} into ${input.destinationCommitSpecifier}`
        : `Merge ${input.sourceCommitSpecifier} into ${input.destinationCommitSpecifier}`);
    const who = authorship(repos, ctx, { name: input.authorName, email: input.email, message: input.commitMessage }, fallback);
    const merge = await treeMerge(t);
    const treeId = await mergedTree(t, merge, policyOf(input), input.conflictResolution, input.keepEmptyFolders ?? false);
    const parents = kind === 'SQUASH_MERGE' ? [t.destinationCommitId] : [t.destinationCommitId, t.sourceCommitId];
    const commitId = await t.objects.writeCommit({ tree: treeId, parents, author: who.author, committer: who.author, message: who.message });
    return { commitId, treeId };
  }

  return { tips, treeMerge, target, record, alreadyMerged, mergeCommit };
}

export type Merger = ReturnType<typeof createMerger>;
