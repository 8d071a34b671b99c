import { lstat, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';

/** A file found by a buildspec pattern: its path on disk and the path it takes in the artifact or report. */
export interface MatchedFile {
  path: string;
  name: string;
}

/**
 * Buildspec file patterns (`artifacts.files`, `reports.files`, `exclude-paths`): `**` crosses
 * directories, `*` and `?` stay within one, everything else is literal.
 */
export function patternRegex(pattern: string): RegExp {
  const p = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      const slash = p[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

interface Walked {
  files: string[];
  dirs: string[];
}

/** Every file (symlinks included) and directory under `root`, as `/`-separated relative paths. */
export async function walk(root: string): Promise<Walked> {
  const out: Walked = { files: [], dirs: [] };
  async function visit(rel: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.dirs.push(path);
        await visit(path);
      } else out.files.push(path);
    }
  }
  await visit('');
  return out;
}

export interface SelectOptions {
  files: string[];
  baseDirectory?: string;
  discardPaths?: boolean;
  excludePaths?: string[];
}

export interface Selection {
  matched: MatchedFile[];
  /** Patterns that matched nothing (logged as `Skipping invalid file path`). */
  unmatched: string[];
}

/**
 * The files of `root` that a buildspec section selects. `base-directory` may itself be a
 * pattern: the contents of every matching directory are taken, without the directory itself.
 * A pattern naming a directory literally takes everything under it.
 */
export async function selectFiles(root: string, options: SelectOptions): Promise<Selection> {
  const tree = await walk(root);
  const bases = options.baseDirectory ? tree.dirs.filter((d) => patternRegex(options.baseDirectory!).test(d)) : [''];
  const matched = new Map<string, MatchedFile>();
  const unmatched: string[] = [];
  const excludes = (options.excludePaths ?? []).map(patternRegex);
  for (const pattern of options.files) {
    const re = patternRegex(pattern);
    let any = false;
    for (const base of bases) {
      const prefix = base ? `${base}/` : '';
      // A literal directory name takes everything under it; `dir/*` stays one level deep.
      const literal = !/[*?]/.test(pattern);
      const dirHit = literal ? tree.dirs.filter((d) => d.startsWith(prefix) && re.test(d.slice(prefix.length))).map((d) => `${d}/`) : [];
      for (const file of tree.files) {
        if (!file.startsWith(prefix)) continue;
        const rel = file.slice(prefix.length);
        if (!re.test(rel) && !dirHit.some((d) => file.startsWith(d))) continue;
        if (excludes.some((x) => x.test(rel))) continue;
        any = true;
        const name = options.discardPaths ? posix.basename(rel) : rel;
        if (!matched.has(name)) matched.set(name, { path: join(root, file), name });
      }
    }
    if (!any) unmatched.push(pattern);
  }
  return { matched: [...matched.values()], unmatched };
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}
