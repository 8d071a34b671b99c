import type {
  BatchDescribeMergeConflictsError,
  BatchDescribeMergeConflictsInput,
  BatchDescribeMergeConflictsOutput,
  CreateUnreferencedMergeCommitInput,
  CreateUnreferencedMergeCommitOutput,
  DescribeMergeConflictsInput,
  DescribeMergeConflictsOutput,
  GetMergeCommitInput,
  GetMergeCommitOutput,
  GetMergeConflictsInput,
  GetMergeConflictsOutput,
  GetMergeOptionsInput,
  GetMergeOptionsOutput,
  MergeBranchesByFastForwardInput,
  MergeBranchesByFastForwardOutput,
  MergeBranchesBySquashInput,
  MergeBranchesBySquashOutput,
  MergeBranchesByThreeWayInput,
  MergeBranchesByThreeWayOutput,
  MergeOptionTypeEnum,
} from '@aws-sdk/client-codecommit';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { moveBranch } from './branch-commits.js';
import { loadCommit } from './commit-specifiers.js';
import { mergeReferences, repositoryResource } from './content-iam.js';
import { inputError } from './errors.js';
import { describe, hunks, policyOf, unresolved, type MergePolicy } from './merge-conflicts.js';
import type { PathMerge, TreeMerge } from './merge-engine.js';
import { createMerger, type Tips } from './merger.js';
import { page } from './pagination.js';
import { normalizeFilePath } from './paths.js';
import type { Repositories } from './repositories.js';

const DEFAULT_MAX_CONFLICT_FILES = 100;
const DEFAULT_MAX_MERGE_HUNKS = 100;

export function mergeOperations(repos: Repositories): Record<string, OperationSpec> {
  const db = repos.deps.db;
  const { tips, treeMerge, target, record, alreadyMerged, mergeCommit } = createMerger(repos);

  async function mergeIntoBranch(
    ctx: RequestContext,
    kind: 'SQUASH_MERGE' | 'THREE_WAY_MERGE',
    input: MergeBranchesBySquashInput | MergeBranchesByThreeWayInput,
  ): Promise<{ commitId: string; treeId: string }> {
    const t = await tips(ctx, input);
    const to = await target(t, input);
    if (alreadyMerged(t)) return { commitId: t.destinationCommitId, treeId: (await loadCommit(t.objects, t.destinationCommitId)).tree };
    const made = await mergeCommit(t, ctx, kind, input);
    await moveBranch(repos, t.repo, ctx, to.branch, made.commitId, to.tip, () => inputError('ConcurrentReferenceUpdateException'));
    record(t, made.commitId);
    return made;
  }

  const mergeable = (t: Tips, option: MergeOptionTypeEnum, merge: TreeMerge | undefined, policy: MergePolicy) =>
    option === 'FAST_FORWARD_MERGE'
      ? t.baseCommitId === t.destinationCommitId || alreadyMerged(t)
      : alreadyMerged(t) || unresolved(merge!, policy).length === 0;

  function positive(value: number | undefined, fallback: number, error: string): number {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) throw inputError(error);
    return value;
  }

  function noFastForward(option: string | undefined): void {
    if (option === 'FAST_FORWARD_MERGE') throw inputError('InvalidMergeOptionException');
  }

  /** A path of the merge as the describe operations see it, conflicting or not. */
  async function pathMerge(t: Tips, merge: TreeMerge, path: string): Promise<PathMerge | undefined> {
    const found = merge.both.find((p) => p.path === path);
    if (found) return found;
    const [base, source, destination] = await Promise.all(
      [t.baseCommitId, t.sourceCommitId, t.destinationCommitId].map(async (id) => t.objects.entryAt((await loadCommit(t.objects, id)).tree, path)),
    );
    if (!base && !source && !destination) return undefined;
    return {
      path,
      base,
      source,
      destination,
      objectTypeConflict: false,
      deleteConflict: false,
      fileModeConflict: false,
      unmergeableContent: false,
      contents: {},
    };
  }

  return {
    GetMergeOptions: operation<GetMergeOptionsInput, GetMergeOptionsOutput>({
      iam: { action: 'codecommit:GetMergeOptions', resource: repositoryResource },
      handler: async (input, ctx) => {
        const t = await tips(ctx, input);
        const policy = policyOf(input);
        const merge = alreadyMerged(t) ? undefined : await treeMerge(t);
        const mergeOptions = (['FAST_FORWARD_MERGE', 'SQUASH_MERGE', 'THREE_WAY_MERGE'] as const).filter((o) => mergeable(t, o, merge, policy));
        return { mergeOptions, sourceCommitId: t.sourceCommitId, destinationCommitId: t.destinationCommitId, baseCommitId: t.baseCommitId };
      },
    }),

    GetMergeConflicts: operation<GetMergeConflictsInput, GetMergeConflictsOutput>({
      iam: { action: 'codecommit:GetMergeConflicts', resource: repositoryResource },
      handler: async (input, ctx) => {
        const max = positive(input.maxConflictFiles, DEFAULT_MAX_CONFLICT_FILES, 'InvalidMaxConflictFilesException');
        const t = await tips(ctx, input, { source: 'InvalidSourceCommitSpecifierException', destination: 'InvalidDestinationCommitSpecifierException' });
        const policy = policyOf(input);
        const ids = { sourceCommitId: t.sourceCommitId, destinationCommitId: t.destinationCommitId, baseCommitId: t.baseCommitId };
        if (input.mergeOption === 'FAST_FORWARD_MERGE' || alreadyMerged(t)) {
          return { mergeable: mergeable(t, input.mergeOption!, undefined, policy), conflictMetadataList: [], ...ids };
        }
        const conflicts = unresolved(await treeMerge(t), policy);
        const { items, nextToken } = page(conflicts, input.nextToken, max);
        return { mergeable: conflicts.length === 0, conflictMetadataList: items.map((p) => describe(p, policy.level, true)), nextToken, ...ids };
      },
    }),

    DescribeMergeConflicts: operation<DescribeMergeConflictsInput, DescribeMergeConflictsOutput>({
      iam: { action: 'codecommit:DescribeMergeConflicts', resource: repositoryResource },
      handler: async (input, ctx) => {
        noFastForward(input.mergeOption);
        const max = positive(input.maxMergeHunks, DEFAULT_MAX_MERGE_HUNKS, 'InvalidMaxMergeHunksException');
        if (!input.filePath) throw inputError('PathRequiredException');
        const path = normalizeFilePath(input.filePath);
        const t = await tips(ctx, input);
        const policy = policyOf(input);
        const merge = await treeMerge(t);
        const p = await pathMerge(t, merge, path);
        if (!p) throw inputError('FileDoesNotExistException');
        const conflicting = unresolved(merge, policy).includes(p);
        const { items, nextToken } = page(hunks(p, policy.level, conflicting), input.nextToken, max);
        return {
          conflictMetadata: describe(p, policy.level, conflicting),
          mergeHunks: items,
          nextToken,
          sourceCommitId: t.sourceCommitId,
          destinationCommitId: t.destinationCommitId,
          baseCommitId: t.baseCommitId,
        };
      },
    }),

    BatchDescribeMergeConflicts: operation<BatchDescribeMergeConflictsInput, BatchDescribeMergeConflictsOutput>({
      iam: { action: 'codecommit:BatchDescribeMergeConflicts', resource: repositoryResource },
      handler: async (input, ctx) => {
        noFastForward(input.mergeOption);
        const maxFiles = positive(input.maxConflictFiles, DEFAULT_MAX_CONFLICT_FILES, 'InvalidMaxConflictFilesException');
        const maxHunks = positive(input.maxMergeHunks, DEFAULT_MAX_MERGE_HUNKS, 'InvalidMaxMergeHunksException');
        const t = await tips(ctx, input);
        const policy = policyOf(input);
        const merge = await treeMerge(t);
        let conflicts = unresolved(merge, policy);
        const errors: BatchDescribeMergeConflictsError[] = [];
        if (input.filePaths && input.filePaths.length > 0) {
          const wanted = new Set<string>();
          for (const filePath of input.filePaths) {
            const path = normalizeFilePath(filePath);
            wanted.add(path);
            if (!(await pathMerge(t, merge, path))) {
              errors.push({ filePath, exceptionName: 'FileDoesNotExistException', message: inputError('FileDoesNotExistException').message });
            }
          }
          conflicts = conflicts.filter((p) => wanted.has(p.path));
        }
        const { items, nextToken } = page(conflicts, input.nextToken, maxFiles);
        return {
          conflicts: items.map((p) => ({ conflictMetadata: describe(p, policy.level, true), mergeHunks: hunks(p, policy.level, true).slice(0, maxHunks) })),
          nextToken,
          errors,
          sourceCommitId: t.sourceCommitId,
          destinationCommitId: t.destinationCommitId,
          baseCommitId: t.baseCommitId,
        };
      },
    }),

    MergeBranchesByFastForward: operation<MergeBranchesByFastForwardInput, MergeBranchesByFastForwardOutput>({
      iam: { action: 'codecommit:MergeBranchesByFastForward', resource: repositoryResource, conditionKeys: mergeReferences },
      handler: async (input, ctx) => {
        const t = await tips(ctx, input);
        const to = await target(t, input);
        if (alreadyMerged(t)) return { commitId: t.destinationCommitId, treeId: (await loadCommit(t.objects, t.destinationCommitId)).tree };
        if (t.baseCommitId !== t.destinationCommitId) throw inputError('ManualMergeRequiredException');
        await moveBranch(repos, t.repo, ctx, to.branch, t.sourceCommitId, to.tip, () => inputError('ConcurrentReferenceUpdateException'));
        return { commitId: t.sourceCommitId, treeId: (await loadCommit(t.objects, t.sourceCommitId)).tree };
      },
    }),

    MergeBranchesBySquash: operation<MergeBranchesBySquashInput, MergeBranchesBySquashOutput>({
      iam: { action: 'codecommit:MergeBranchesBySquash', resource: repositoryResource, conditionKeys: mergeReferences },
      handler: (input, ctx) => mergeIntoBranch(ctx, 'SQUASH_MERGE', input),
    }),

    MergeBranchesByThreeWay: operation<MergeBranchesByThreeWayInput, MergeBranchesByThreeWayOutput>({
      iam: { action: 'codecommit:MergeBranchesByThreeWay', resource: repositoryResource, conditionKeys: mergeReferences },
      handler: (input, ctx) => mergeIntoBranch(ctx, 'THREE_WAY_MERGE', input),
    }),

    CreateUnreferencedMergeCommit: operation<CreateUnreferencedMergeCommitInput, CreateUnreferencedMergeCommitOutput>({
      iam: { action: 'codecommit:CreateUnreferencedMergeCommit', resource: repositoryResource, conditionKeys: mergeReferences },
      handler: async (input, ctx) => {
        noFastForward(input.mergeOption);
        const t = await tips(ctx, input);
        const made = await mergeCommit(t, ctx, input.mergeOption as 'SQUASH_MERGE' | 'THREE_WAY_MERGE', input);
        record(t, made.commitId);
        return made;
      },
    }),

    GetMergeCommit: operation<GetMergeCommitInput, GetMergeCommitOutput>({
      iam: { action: 'codecommit:GetMergeCommit', resource: repositoryResource },
      handler: async (input, ctx) => {
        const t = await tips(ctx, input);
        const row = db
          .prepare(
            `SELECT merge_commit_id FROM codecommit_merge_commits WHERE repository_id = ? AND source_commit_id = ? AND destination_commit_id = ?
             ORDER BY created_at DESC, rowid DESC LIMIT 1`,
          )
          .get(t.repo.id, t.sourceCommitId, t.destinationCommitId) as { merge_commit_id: string } | undefined;
        return {
          sourceCommitId: t.sourceCommitId,
          destinationCommitId: t.destinationCommitId,
          baseCommitId: t.baseCommitId,
          mergedCommitId: row?.merge_commit_id,
        };
      },
    }),
  };
}

