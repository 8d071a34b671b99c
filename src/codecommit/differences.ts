import type { BlobMetadata, Difference, GetDifferencesInput, GetDifferencesOutput } from '@aws-sdk/client-codecommit';
import { operation, type OperationSpec } from '../core/service.js';
import { loadCommit, resolveCommit } from './commit-specifiers.js';
import { repositoryResource } from './content-iam.js';
import { inputError } from './errors.js';
import { canonicalMode, kindOf, type GitObjects } from './git-objects.js';
import { joinPath, normalizeFolderPath } from './paths.js';
import { page } from './pagination.js';
import type { Repositories } from './repositories.js';

const DEFAULT_MAX_RESULTS = 100;

interface Entry {
  mode: string;
  oid: string;
}

export function differenceOperations(repos: Repositories): Record<string, OperationSpec> {
  return {
    GetDifferences: operation<GetDifferencesInput, GetDifferencesOutput>({
      iam: { action: 'codecommit:GetDifferences', resource: repositoryResource },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const max = input.MaxResults ?? DEFAULT_MAX_RESULTS;
        if (!Number.isInteger(max) || max < 1) throw inputError('InvalidMaxResultsException');
        const objects = repos.git.objects(repo.id);
        const after = await loadCommit(objects, await resolveCommit(repos, repo, input.afterCommitSpecifier));
        const before = input.beforeCommitSpecifier
          ? await loadCommit(objects, await resolveCommit(repos, repo, input.beforeCommitSpecifier))
          : undefined;
        // One path alone limits both sides to it; two different paths compare a renamed folder.
        const beforePath = normalizeFolderPath(input.beforePath ?? input.afterPath ?? '');
        const afterPath = normalizeFolderPath(input.afterPath ?? input.beforePath ?? '');
        const beforeEntry = before ? await objects.entryAt(before.tree, beforePath) : undefined;
        const afterEntry = await objects.entryAt(after.tree, afterPath);
        if ((input.beforePath !== undefined || input.afterPath !== undefined) && !beforeEntry && !afterEntry) {
          throw inputError('PathDoesNotExistException');
        }
        const differences: Difference[] = [];
        await diffEntries(objects, beforeEntry, afterEntry, beforePath, afterPath, differences);
        const { items, nextToken } = page(differences, input.NextToken, max);
        return { differences: items, NextToken: nextToken };
      },
    }),
  };
}

/**
 * Every blob, symbolic link and submodule that differs between two entries (trees are walked,
 * subtrees with the same id skipped), ordered by path. A path that changed from a file to a
 * folder or back is a deletion and additions.
 */
export async function diffEntries(
  objects: GitObjects,
  before: Entry | undefined,
  after: Entry | undefined,
  beforePath: string,
  afterPath: string,
  out: Difference[],
): Promise<void> {
  if (before && after && before.oid === after.oid && before.mode === after.mode) return;
  const beforeTree = before && kindOf(before.mode) === 'tree';
  const afterTree = after && kindOf(after.mode) === 'tree';
  if (beforeTree && afterTree) {
    const b = new Map((await objects.tree(before!.oid)).map((e) => [e.name, e]));
    const a = new Map((await objects.tree(after!.oid)).map((e) => [e.name, e]));
    const names = [...new Set([...b.keys(), ...a.keys()])].sort(byCodePoint);
    for (const name of names) {
      await diffEntries(objects, b.get(name), a.get(name), joinPath(beforePath, name), joinPath(afterPath, name), out);
    }
    return;
  }
  if (before && after && !beforeTree && !afterTree) {
    out.push({ beforeBlob: blobMeta(before, beforePath), afterBlob: blobMeta(after, afterPath), changeType: 'M' });
    return;
  }
  if (before) await listAll(objects, before, beforePath, 'D', out);
  if (after) await listAll(objects, after, afterPath, 'A', out);
}

async function listAll(objects: GitObjects, entry: Entry, path: string, changeType: 'A' | 'D', out: Difference[]): Promise<void> {
  if (kindOf(entry.mode) !== 'tree') {
    out.push(changeType === 'A' ? { afterBlob: blobMeta(entry, path), changeType } : { beforeBlob: blobMeta(entry, path), changeType });
    return;
  }
  const entries = [...(await objects.tree(entry.oid))].sort((x, y) => byCodePoint(x.name, y.name));
  for (const e of entries) await listAll(objects, e, joinPath(path, e.name), changeType, out);
}

function blobMeta(e: Entry, path: string): BlobMetadata {
  return { blobId: e.oid, path, mode: canonicalMode(e.mode) };
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
