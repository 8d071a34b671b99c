import { inputError } from './errors.js';

/**
 * Paths in the content API name entries of a repository's tree, never places on disk. CodeCommit
 * documents them as "fully qualified" (`/examples/file.md`), so a leading `/` is the repository
 * root. Anything that could address something other than a tree entry is refused: `.` and `..`
 * segments, empty segments, NUL, and `.git` in any spelling git itself refuses (any case,
 * trailing dots or spaces, the NTFS short name `git~1`), so an API commit can never write a tree
 * that a checkout would turn into a `.git` directory.
 */
export function normalizeFilePath(path: string): string {
  const segments = split(path);
  if (segments.length === 0) throw invalidPath();
  return segments.join('/');
}

/** Like a file path, but the root itself (`/` or the empty string) is a folder; returns '' for it. */
export function normalizeFolderPath(path: string): string {
  return split(path.replace(/\/+$/, '')).join('/');
}

/** The parent folder of a normalized path ('' at the root) and the entry's own name. */
export function splitPath(path: string): { dir: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { dir: '', name: path } : { dir: path.slice(0, slash), name: path.slice(slash + 1) };
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

function split(path: string): string[] {
  if (path.includes('\0')) throw invalidPath();
  const body = path.replace(/^\/+/, '');
  if (body === '') return [];
  const segments = body.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || isGitDir(segment)) throw invalidPath();
  }
  return segments;
}

function isGitDir(segment: string): boolean {
  const trimmed = segment.replace(/[. ]+$/, '').toLowerCase();
  return trimmed === '.git' || trimmed === 'git~1';
}

const invalidPath = () => inputError('InvalidPathException');
