import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const OID = /^[0-9a-f]{40}$/;
/** git follows at most this many symbolic refs (refs.c SYMREF_MAXDEPTH). */
const MAX_SYMREF_DEPTH = 5;

/**
 * The object a full ref (`HEAD`, `refs/heads/main`) points at, symbolic refs followed, or
 * undefined. The caller's words never become a path: each component is looked up among the names
 * the ref folders already hold, and packed refs in a map, so a name no file system could store
 * (too long, say) is simply not found, as on CodeCommit.
 */
export async function lookupRef(gitdir: string, ref: string, depth = 0): Promise<string | undefined> {
  if (depth > MAX_SYMREF_DEPTH || (ref !== 'HEAD' && !ref.startsWith('refs/'))) return undefined;
  const value = (await readLoose(gitdir, ref)) ?? (await packedRefs(gitdir)).get(ref);
  if (value === undefined) return undefined;
  if (value.startsWith('ref:')) return lookupRef(gitdir, value.slice(4).trim(), depth + 1);
  return OID.test(value) ? value : undefined;
}

async function readLoose(gitdir: string, ref: string): Promise<string | undefined> {
  const parts = ref.split('/');
  let dir = gitdir;
  for (const [i, part] of parts.entries()) {
    const entry = (await entries(dir)).find((e) => e.name === part);
    if (!entry) return undefined;
    const path = join(dir, entry.name);
    if (i < parts.length - 1) {
      if (!entry.isDirectory()) return undefined;
      dir = path;
    } else if (entry.isFile()) {
      // A ref moved or packed between the listing and the read is found in packed-refs instead.
      return readFile(path, 'utf8').then((s) => s.trim(), () => undefined);
    }
  }
  return undefined;
}

async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** packed-refs (written by `git pack-refs` or a gc, if ever), parsed. */
async function packedRefs(gitdir: string): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  const text = await readFile(join(gitdir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    // `#` starts the header, `^` the peeled id of the annotated tag above: neither names a ref.
    if (!line || line.startsWith('#') || line.startsWith('^')) continue;
    if (line[40] === ' ') refs.set(line.slice(41), line.slice(0, 40));
  }
  return refs;
}
