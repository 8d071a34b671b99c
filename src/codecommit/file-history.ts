import type { FileVersion, ListFileCommitHistoryRequest, ListFileCommitHistoryResponse } from '@aws-sdk/client-codecommit';
import { operation, type OperationSpec } from '../core/service.js';
import { commitView, resolveOptionalCommit } from './commit-specifiers.js';
import { repositoryResource } from './content-iam.js';
import { inputError, invalidContinuationToken } from './errors.js';
import { isFileMode } from './file-modes.js';
import { requiredPath } from './file-operations.js';
import type { GitObjects, ParsedCommit } from './git-objects.js';
import { normalizeFilePath } from './paths.js';
import type { Repositories } from './repositories.js';

const DEFAULT_MAX_RESULTS = 100;

export function fileHistoryOperations(repos: Repositories): Record<string, OperationSpec> {
  return {
    ListFileCommitHistory: operation<ListFileCommitHistoryRequest, ListFileCommitHistoryResponse>({
      iam: { action: 'codecommit:ListFileCommitHistory', resource: repositoryResource },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const path = normalizeFilePath(requiredPath(input.filePath));
        const max = input.maxResults ?? DEFAULT_MAX_RESULTS;
        if (!Number.isInteger(max) || max < 1) throw inputError('InvalidMaxResultsException');
        const offset = decodeOffset(input.nextToken);
        const start = await resolveOptionalCommit(repos, repo, input.commitSpecifier);
        // One version beyond the page tells whether there is a next page.
        const versions = await fileVersions(repos.git.objects(repo.id), start, path, offset + max + 1);
        if (offset > versions.length) throw invalidContinuationToken();
        const more = versions.length > offset + max;
        return {
          revisionDag: versions.slice(offset, offset + max),
          nextToken: more ? Buffer.from(String(offset + max)).toString('base64url') : undefined,
        };
      },
    }),
  };
}

function decodeOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw invalidContinuationToken();
  return Number(text);
}

/**
 * The commits that gave a file a new version, newest first, the way `git log -- <path>` finds
 * them: a commit counts when its version of the file differs from every parent's, and history is
 * followed through a merge only along a parent that already had the merge's version. Each version
 * lists the versions that replaced it (its `revisionChildren`) among those walked.
 */
async function fileVersions(objects: GitObjects, start: string, path: string, limit: number): Promise<FileVersion[]> {
  const versions: FileVersion[] = [];
  const blobs = new Map<string, string | undefined>();
  const commits = new Map<string, ParsedCommit>();
  const later = new Map<string, Set<string>>();
  const queued = new Set<string>([start]);
  const queue: ParsedCommit[] = [];

  const commitOf = async (oid: string) => {
    let c = commits.get(oid);
    if (!c) {
      c = (await objects.commit(oid))!;
      commits.set(oid, c);
    }
    return c;
  };
  const versionAt = async (c: ParsedCommit) => {
    if (!blobs.has(c.oid)) {
      const entry = await objects.entryAt(c.tree, path);
      blobs.set(c.oid, entry && isFileMode(entry.mode) ? `${entry.mode} ${entry.oid}` : undefined);
    }
    return blobs.get(c.oid);
  };
  const enqueue = (c: ParsedCommit) => {
    // Newest committer date first, as git log orders by default.
    let i = queue.length;
    while (i > 0 && queue[i - 1].committer.timestamp < c.committer.timestamp) i--;
    queue.splice(i, 0, c);
  };

  // Where each walked commit passed its children on to: a child can reach a commit after the
  // commit was taken from the queue (equal committer dates), and must still reach the versions below.
  const passedTo = new Map<string, string[]>();
  const childrenOf = new Map<FileVersion, Set<string>>();
  const addChildren = (oid: string, children: Iterable<string>) => {
    const waiting = later.get(oid) ?? new Set<string>();
    later.set(oid, waiting);
    const fresh = [...children].filter((child) => !waiting.has(child));
    for (const child of fresh) waiting.add(child);
    if (fresh.length > 0) for (const parent of passedTo.get(oid) ?? []) addChildren(parent, fresh);
  };

  enqueue(await commitOf(start));
  while (queue.length > 0 && versions.length < limit) {
    const c = queue.shift()!;
    const mine = await versionAt(c);
    const parents = await Promise.all(c.parents.map(commitOf));
    const parentVersions = await Promise.all(parents.map(versionAt));
    const same = parents.filter((_, i) => parentVersions[i] === mine);
    const children = later.get(c.oid) ?? new Set<string>();
    later.set(c.oid, children);
    let follow = parents;
    let passOn: Set<string> = children;
    if (mine !== undefined && same.length === 0) {
      const blobId = mine.slice(mine.indexOf(' ') + 1);
      // The children set stays live: a child walked later still lands in it before the answer is made.
      const version = { commit: commitView(c), blobId, path, revisionChildren: [] };
      versions.push(version);
      childrenOf.set(version, children);
      passOn = new Set([c.oid]);
    } else {
      if (same.length > 0) follow = [same[0]];
      passedTo.set(c.oid, follow.map((p) => p.oid));
    }
    for (const p of follow) {
      addChildren(p.oid, passOn);
      if (!queued.has(p.oid)) {
        queued.add(p.oid);
        enqueue(p);
      }
    }
  }
  for (const v of versions) v.revisionChildren = [...childrenOf.get(v)!];
  return versions;
}
