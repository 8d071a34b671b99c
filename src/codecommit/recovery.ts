import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv } from './git-env.js';
import type { Repositories } from './repositories.js';

/**
 * Start-up repair of what a server killed mid-operation left behind, run before any request:
 * - repositories half created or half deleted (`<id>.git.creating`, `<id>.git.deleting`, and a
 *   `<id>.git` no record names: its create or delete was never acknowledged);
 * - inside each repository, a push's quarantine (`objects/tmp_objdir-incoming-*`), a repack's
 *   temporary packs and the `.lock` files of ref updates that never finished (a stale lock would
 *   refuse every later update of that ref);
 * - records without a default branch whose repository has branches: a first push whose refs
 *   moved but whose bookkeeping never ran. A retried push then finds nothing to send and would
 *   never record it.
 * Nothing runs meanwhile, so nothing found here belongs to a live operation.
 */
export function recoverRepositories(repos: Repositories): { removed: string[]; defaultBranches: number } {
  const root = repos.deps.filesDir;
  const records = new Map(repos.store.ids().map((r) => [`${r.id}.git`, r]));
  const removed: string[] = [];
  const remove = (path: string) => {
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  };
  for (const name of readdirSync(root)) {
    if (!records.has(name)) {
      if (name.endsWith('.git') || name.endsWith('.git.creating') || name.endsWith('.git.deleting')) remove(join(root, name));
      continue;
    }
    sweepRepository(join(root, name), remove);
  }
  let defaultBranches = 0;
  for (const [dirName, record] of records) {
    if (record.defaultBranch !== null || !repos.git.exists(record.id)) continue;
    const branch = firstBranch(join(root, dirName));
    if (!branch) continue;
    execFileSync('git', ['symbolic-ref', 'HEAD', `refs/heads/${branch}`], { cwd: join(root, dirName), env: gitEnv() });
    repos.store.update(record.id, { defaultBranch: branch }, repos.now());
    defaultBranches++;
  }
  return { removed, defaultBranches };
}

function sweepRepository(dir: string, remove: (path: string) => void): void {
  const objects = join(dir, 'objects');
  for (const name of list(objects)) {
    if (name.startsWith('tmp_objdir') || name.startsWith('incoming-')) remove(join(objects, name));
  }
  const packs = join(objects, 'pack');
  for (const name of list(packs)) {
    if (name.startsWith('tmp_') || name.startsWith('.tmp-')) remove(join(packs, name));
  }
  for (const name of ['HEAD.lock', 'packed-refs.lock', 'config.lock', 'shallow.lock']) {
    if (list(dir).includes(name)) remove(join(dir, name));
  }
  sweepLocks(join(dir, 'refs'), remove);
}

function sweepLocks(dir: string, remove: (path: string) => void): void {
  for (const name of list(dir)) {
    const path = join(dir, name);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) sweepLocks(path, remove);
    else if (name.endsWith('.lock')) remove(path);
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The branch a first push would have made the default: HEAD's when that branch exists (git
 * points HEAD at the branch it was told to), otherwise the first in git's order. The order of
 * the push's own commands is lost with the process that read them.
 */
export function defaultBranchOf(branches: string[], headFile: string): string | undefined {
  const head = headFile.trim();
  const named = head.startsWith('ref: refs/heads/') ? head.slice('ref: refs/heads/'.length) : undefined;
  return named && branches.includes(named) ? named : branches[0];
}

function firstBranch(dir: string): string | undefined {
  const out = execFileSync('git', ['for-each-ref', '--format=%(refname)', 'refs/heads/'], { cwd: dir, env: gitEnv(), encoding: 'utf8' });
  const branches = out.split('\n').filter(Boolean).map((ref) => ref.slice('refs/heads/'.length));
  return defaultBranchOf(branches, readFileSync(join(dir, 'HEAD'), 'utf8'));
}
