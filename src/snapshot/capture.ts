import { randomUUID } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, readdirSync, rmSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../core/store/db.js';
import { DATABASE_FILE } from './manifest.js';

/** Snapshots being streamed live here, inside the data directory so hard links reach them. */
export const STAGING_DIR = '.snapshots';

/** How often the objects of a repository are listed again after a repack pulled files away mid-copy. */
const MAX_OBJECT_PASSES = 20;

/**
 * Files that are work in progress anywhere in a data directory: git's lock files, temporary packs
 * and objects (`tmp_pack_*`, `tmp_obj_*`) and the quarantine of a push not yet accepted
 * (`incoming-*`). Each becomes state only by a rename to another name.
 */
function isTransient(name: string): boolean {
  return name.endsWith('.lock') || name.startsWith('tmp_') || name.startsWith('incoming-');
}

export interface CaptureSource {
  db: Db;
  dataDir: string;
  /** Paths (relative to the data directory, `/`-separated) that hold work in progress, not state. */
  skip: (relativePath: string) => boolean;
}

/**
 * A consistent image of a running server's state, frozen in a staging directory:
 * `codesuite.db` (a copy of the database) beside hard links to every file of the data directory.
 *
 * Consistency. The whole capture runs synchronously, in one turn of the event loop: no request
 * handler, job or event listener runs meanwhile, so this is the write barrier, and it is short
 * (one `VACUUM INTO` and one hard link per file; no bytes are copied). Every write acknowledged
 * before the capture began is in the database copy. The files are then linked after the copy,
 * and the services keep one order (a file is in place, by an atomic rename, before a row names
 * it; a row is removed before its file), so every file the copied rows name exists and is linked,
 * and a file written or deleted meanwhile is at worst an unreferenced extra, which the restored
 * server's own start-up sweep removes. A hard link keeps the bytes it was made from even when the
 * live file is later replaced by a rename or deleted, so streaming afterwards, at leisure, sends
 * exactly what existed at the capture.
 *
 * Only processes outside Node run during the capture: git (receive-pack, update-ref, repack).
 * git writes objects before the refs that point at them, so in each repository the refs are
 * linked first and the objects after: every captured ref finds its objects. A repack removes old
 * packs and loose objects only once the new pack holding them is in place, so when a file
 * vanishes between listing and linking, the objects are listed again until a pass loses nothing.
 *
 * SQLite's online backup API (better-sqlite3's `db.backup()`) was the other candidate: it copies
 * a few pages per turn of the event loop, and writes made meanwhile are folded into the copy, so
 * its image is of the moment it finishes, which files linked in the same turn could not be
 * matched to without a barrier around every write. `VACUUM INTO` takes the copy inside one read
 * transaction, synchronously, which is the moment the files are linked.
 */
export function captureSnapshot(source: CaptureSource): string {
  const staging = join(source.dataDir, STAGING_DIR, randomUUID());
  mkdirSync(staging, { recursive: true });
  try {
    source.db.prepare('VACUUM INTO ?').run(join(staging, DATABASE_FILE));
    const top = join(staging, 'files');
    linkTree(source.dataDir, top, '', source.skip);
    return staging;
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Removes what a snapshot left in the staging directory when the server stopped mid-stream. */
export function sweepStaging(dataDir: string): void {
  rmSync(join(dataDir, STAGING_DIR), { recursive: true, force: true });
}

const LIVE_DATABASE = new Set([DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-journal`]);

function listing(dir: string): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Links every file under `from` into `to`; returns how many listed files or folders vanished before they were linked. */
function linkTree(from: string, to: string, rel: string, skip: (rel: string) => boolean): number {
  const entries = listing(from);
  if (!entries) return 1;
  mkdirSync(to, { recursive: true });
  const isRepository = entries.some((e) => e.name === 'HEAD' && e.isFile()) && entries.some((e) => e.name === 'objects' && e.isDirectory());
  let vanished = 0;
  const later: Dirent[] = [];
  for (const entry of entries) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (isTransient(entry.name) || skip(path)) continue;
    if (!rel && (entry.name === STAGING_DIR || LIVE_DATABASE.has(entry.name))) continue;
    if (isRepository && entry.name === 'objects') later.push(entry);
    else vanished += linkEntry(entry, join(from, entry.name), join(to, entry.name), path, skip);
  }
  // A repository's refs are now linked; its objects follow (see captureSnapshot).
  for (const entry of later) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    let passes = 0;
    while (linkTree(join(from, entry.name), join(to, entry.name), path, skip) > 0) {
      if (++passes >= MAX_OBJECT_PASSES) throw new Error(`the objects of ${join(from)} kept changing while the snapshot listed them`);
    }
  }
  return vanished;
}

function linkEntry(entry: Dirent, from: string, to: string, rel: string, skip: (rel: string) => boolean): number {
  if (entry.isDirectory()) return linkTree(from, to, rel, skip);
  // A data directory holds only files and folders; anything else (a socket, a link) is not state.
  if (!entry.isFile()) return 0;
  try {
    linkSync(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Linked by an earlier pass over the same objects.
    if (code === 'EEXIST') return 0;
    // File systems without hard links: a copy, still inside the synchronous capture.
    if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EMLINK') return vanishedOr(err);
    try {
      copyFileSync(from, to);
    } catch (copyErr) {
      return vanishedOr(copyErr);
    }
  }
  return 0;
}

function vanishedOr(err: unknown): number {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 1;
  throw err;
}
