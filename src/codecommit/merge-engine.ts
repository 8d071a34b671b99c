import type { ChangeTypeEnum } from '@aws-sdk/client-codecommit';
import { inputError } from './errors.js';
import { kindOf, type GitObjects, type TreeEntry } from './git-objects.js';
import { isBinary, mergeLines, type LineMerge } from './line-merge.js';
import { joinPath } from './paths.js';

export interface Entry {
  mode: string;
  oid: string;
}

/** The three versions of one path in a merge; absent where that version has nothing there. */
export interface Versions {
  base?: Entry;
  source?: Entry;
  destination?: Entry;
}

/** A path both sides changed in different ways, with everything needed to describe or resolve it. */
export interface PathMerge extends Versions {
  path: string;
  /** Both sides hold a different kind of object (file, folder, link, submodule). */
  objectTypeConflict: boolean;
  /** One side deleted what the other changed. */
  deleteConflict: boolean;
  /** Both sides changed the executable bit differently. */
  fileModeConflict: boolean;
  /** The merged mode when there is no mode conflict. */
  mode?: string;
  /** Both sides changed the content and a line merge is impossible (binary, links, submodules). */
  unmergeableContent: boolean;
  /** The line-level merge of both contents, when both are text files. */
  lines?: LineMerge;
  contents: { base?: Buffer; source?: Buffer; destination?: Buffer };
}

export interface TreeMerge {
  /** Paths whose merged result differs from the destination, as clean changes (undefined: delete). */
  changes: Map<string, Entry | undefined>;
  /** Paths changed by both sides differently, sorted by path. */
  both: PathMerge[];
}

/** Limits that keep one merge request bounded, named by the exceptions CodeCommit has for them. */
const MAX_ITEMS_TO_COMPARE = 100_000;
const MAX_CONTENT_TO_LOAD = 200 * 1024 * 1024;

const same = (a?: Entry, b?: Entry) => (a === undefined ? b === undefined : b !== undefined && a.oid === b.oid && a.mode === b.mode);
const isTree = (e?: Entry) => e !== undefined && kindOf(e.mode) === 'tree';

/**
 * Merges the trees of three commits the way git's default merge does without rename detection:
 * a path changed on one side only takes that side (whole subtrees at once), a path changed alike
 * on both sides is clean, folders changed on both sides are merged entry by entry, and files
 * changed on both sides are merged line by line. Nothing is written.
 */
export async function mergeTrees(objects: GitObjects, base: string | undefined, source: string, destination: string): Promise<TreeMerge> {
  const result: TreeMerge = { changes: new Map(), both: [] };
  const budget = { items: 0, bytes: 0 };
  const tree = (oid: string | undefined) => (oid ? { mode: '40000', oid } : undefined);
  await walk(objects, tree(base), tree(source), tree(destination), '', result, budget);
  result.both.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

async function walk(
  objects: GitObjects,
  b: Entry | undefined,
  s: Entry | undefined,
  d: Entry | undefined,
  path: string,
  out: TreeMerge,
  budget: { items: number; bytes: number },
): Promise<void> {
  if (++budget.items > MAX_ITEMS_TO_COMPARE) throw inputError('MaximumItemsToCompareExceededException');
  if (same(s, d) || same(b, s)) return;
  if (same(b, d)) {
    out.changes.set(path, s);
    return;
  }
  const [bt, st, dt] = [isTree(b), isTree(s), isTree(d)];
  // Folders on both sides, or a folder on one side and nothing on the other: entry by entry.
  if ((st || !s) && (dt || !d) && (st || dt)) {
    const children = async (e: Entry | undefined, folder: boolean) =>
      folder ? new Map((await objects.tree(e!.oid)).map((x: TreeEntry) => [x.name, { mode: x.mode, oid: x.oid }])) : new Map<string, Entry>();
    const [cb, cs, cd] = await Promise.all([children(b, bt), children(s, st), children(d, dt)]);
    const names = [...new Set([...cb.keys(), ...cs.keys(), ...cd.keys()])].sort();
    for (const name of names) await walk(objects, cb.get(name), cs.get(name), cd.get(name), joinPath(path, name), out, budget);
    return;
  }
  out.both.push(await mergePath(objects, path, b, s, d, budget));
}

/** A path that is a file, link or submodule on at least one side and was changed on both. */
async function mergePath(
  objects: GitObjects,
  path: string,
  b: Entry | undefined,
  s: Entry | undefined,
  d: Entry | undefined,
  budget: { items: number; bytes: number },
): Promise<PathMerge> {
  const m: PathMerge = {
    path,
    base: b,
    source: s,
    destination: d,
    objectTypeConflict: false,
    deleteConflict: false,
    fileModeConflict: false,
    unmergeableContent: false,
    contents: {},
  };
  const category = (e: Entry) => ({ tree: 'tree', file: 'file', executable: 'file', symlink: 'symlink', gitlink: 'gitlink' })[kindOf(e.mode)];
  if (!s || !d) {
    m.deleteConflict = true;
  } else if (category(s) !== category(d)) {
    m.objectTypeConflict = true;
  }
  const load = async (e: Entry | undefined) => {
    if (!e || category(e) === 'tree' || category(e) === 'gitlink') return undefined;
    const content = (await objects.blob(e.oid)) ?? Buffer.alloc(0);
    budget.bytes += content.length;
    if (budget.bytes > MAX_CONTENT_TO_LOAD) throw inputError('MaximumFileContentToLoadExceededException');
    return content;
  };
  const baseIsFile = b && category(b) === 'file';
  m.contents = { base: await load(b), source: await load(s), destination: await load(d) };
  if (m.deleteConflict || m.objectTypeConflict) return m;

  // Same kind of object on both sides from here on.
  const bm = baseIsFile ? b!.mode : undefined;
  if (s!.mode === d!.mode) m.mode = s!.mode;
  else if (s!.mode === bm) m.mode = d!.mode;
  else if (d!.mode === bm) m.mode = s!.mode;
  else m.fileModeConflict = true;

  if (s!.oid === d!.oid || s!.oid === b?.oid || d!.oid === b?.oid) return m;
  const [cb, cs, cd] = [m.contents.base, m.contents.source, m.contents.destination];
  if (category(s!) !== 'file' || isBinary(cs!) || isBinary(cd!) || (cb && isBinary(cb))) {
    m.unmergeableContent = true;
    return m;
  }
  // Added on both sides: git merges the two against an empty base.
  m.lines = mergeLines(baseIsFile ? cb! : Buffer.alloc(0), cs!, cd!);
  return m;
}

/** What a side did to a path relative to the base. */
export function changeType(base: Entry | undefined, side: Entry | undefined): ChangeTypeEnum | undefined {
  if (same(base, side)) return undefined;
  if (!base) return 'A';
  if (!side) return 'D';
  return 'M';
}
