import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { deflate as deflateCallback } from 'node:zlib';
import { gitEnv } from './git-env.js';
import { isoGit } from './isomorphic-git.js';

const execFileAsync = promisify(execFile);

const deflate = promisify(deflateCallback);

const LOOSE_OBJECT = /\/objects\/[0-9a-f]{2}\/[0-9a-f]{38}$/;
/** Thrown for every missing loose object: building an error per miss is what costs. */
const NOT_FOUND = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });

/** A tree entry as git stores it; `nameBytes` keeps names that are not UTF-8 intact on rewrite. */
export interface TreeEntry {
  name: string;
  nameBytes: Buffer;
  /** The mode as written in the tree (`40000` for folders, `100644`...). */
  mode: string;
  oid: string;
}

export type EntryKind = 'tree' | 'file' | 'executable' | 'symlink' | 'gitlink';

export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** As written in the object: `+0000`, `-0800`. */
  timezone: string;
}

export interface ParsedCommit {
  oid: string;
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
export const ZERO_OID = '0'.repeat(40);
export const FULL_OID = /^[0-9a-f]{40}$/;

export function kindOf(mode: string): EntryKind {
  if (mode === '40000' || mode === '040000') return 'tree';
  if (mode === '160000') return 'gitlink';
  if (mode === '120000') return 'symlink';
  // Old git wrote group-writable modes (100664); git itself reads every 1007xx as executable.
  return /^1007/.test(mode) ? 'executable' : 'file';
}

/** The mode git would write today for an entry of this kind, six digits as the API reports it. */
export function canonicalMode(mode: string): string {
  return { tree: '040000', file: '100644', executable: '100755', symlink: '120000', gitlink: '160000' }[kindOf(mode)];
}

const MAX_PARSED = 20_000;
const MAX_WRITE_ATTEMPTS = 5;
const MAX_READS_PER_CACHE = 50_000;
const MAX_REPOSITORY_CACHES = 32;

/**
 * Reads and writes the objects of one bare repository in-process with isomorphic-git. Pack
 * indexes stay loaded between requests (isomorphic-git's cache) and parsed trees and commits are
 * remembered by id: objects never change, so nothing here needs invalidating when refs move.
 */
export class GitObjects {
  private static readonly byDir = new Map<string, GitObjects>();

  static for(gitdir: string): GitObjects {
    let objects = GitObjects.byDir.get(gitdir);
    if (objects) {
      GitObjects.byDir.delete(gitdir);
    } else {
      objects = new GitObjects(gitdir);
      if (GitObjects.byDir.size >= MAX_REPOSITORY_CACHES) GitObjects.byDir.delete(GitObjects.byDir.keys().next().value!);
    }
    GitObjects.byDir.set(gitdir, objects);
    return objects;
  }

  /** Forgets a repository's caches (its directory was deleted or replaced). */
  static forget(gitdir: string): void {
    GitObjects.byDir.delete(gitdir);
  }

  /** isomorphic-git's cache of pack indexes and pack contents. */
  private cache: object = {};
  /** The pack files as last listed; isomorphic-git would otherwise list them on every read. */
  private packs: string[] | undefined;
  private reads = 0;
  private readonly fs: ReturnType<GitObjects['fileSystem']>;
  private readonly parsed = new Map<string, TreeEntry[] | ParsedCommit>();

  private constructor(readonly gitdir: string) {
    this.fs = this.fileSystem();
  }

  /** The object's type and content, or undefined when the repository does not have it. */
  async read(oid: string): Promise<{ type: string; content: Buffer } | undefined> {
    if (!FULL_OID.test(oid)) return undefined;
    const { git } = await isoGit();
    // isomorphic-git keeps every object it inflates from a pack; start afresh now and then.
    if (++this.reads > MAX_READS_PER_CACHE) this.dropPacks();
    for (let attempt = 1; ; attempt++) {
      try {
        const { type, object } = await git.readObject({ fs: this.fs, gitdir: this.gitdir, oid, format: 'content', cache: this.cache });
        return { type, content: Buffer.from(object as Uint8Array) };
      } catch (err) {
        // A push or a repack may have changed the packs since they were listed: look again.
        const missing = (err as { code?: string }).code === 'NotFoundError';
        if ((missing && attempt >= 2) || attempt >= 3) {
          if (missing) return undefined;
          throw err;
        }
        await this.relistPacks();
      }
    }
  }

  /**
   * Lists the packs afresh; when they changed, the loaded ones are dropped too, so a repack's
   * superseded packs do not stay in memory.
   */
  private async relistPacks(): Promise<void> {
    const packs = await readdir(join(this.gitdir, 'objects', 'pack')).catch(() => []);
    if (this.packs && packs.join('\n') !== this.packs.join('\n')) this.dropPacks();
    this.packs = packs;
  }

  private dropPacks(): void {
    this.cache = {};
    this.reads = 0;
  }

  /**
   * The file system isomorphic-git reads through: node's, except that the pack directory is listed
   * once (until a read misses) and a missing loose object or a probe is answered without building
   * an exception, which is most of what an object read of a packed repository would otherwise cost.
   */
  private fileSystem() {
    const packDir = join(this.gitdir, 'objects', 'pack');
    let gitdirStat: Awaited<ReturnType<typeof fsp.stat>> | undefined;
    const promises = {
      // isomorphic-git probes every file system it is handed by calling readFile() without a path.
      readFile: async (path: string | undefined, options?: object) => {
        if (path === undefined || (LOOSE_OBJECT.test(path) && !existsSync(path))) throw NOT_FOUND;
        return fsp.readFile(path, options);
      },
      readdir: async (path: string) => {
        if (normalize(path) !== packDir) return fsp.readdir(path);
        if (!this.packs) await this.relistPacks();
        return [...this.packs!];
      },
      writeFile: fsp.writeFile,
      mkdir: fsp.mkdir,
      rmdir: fsp.rmdir,
      unlink: fsp.unlink,
      // It also checks on every call that the repository is a directory; it stays one.
      stat: async (path: string) => (path === this.gitdir ? (gitdirStat ??= await fsp.stat(path)) : fsp.stat(path)),
      lstat: fsp.lstat,
      readlink: fsp.readlink,
      symlink: fsp.symlink,
    };
    return { promises };
  }

  async type(oid: string): Promise<string | undefined> {
    return (await this.read(oid))?.type;
  }

  async blob(oid: string): Promise<Buffer | undefined> {
    const object = await this.read(oid);
    return object?.type === 'blob' ? object.content : undefined;
  }

  async tree(oid: string): Promise<TreeEntry[]> {
    const cached = this.parsed.get(oid);
    if (cached) return cached as TreeEntry[];
    const object = oid === EMPTY_TREE ? { type: 'tree', content: Buffer.alloc(0) } : await this.read(oid);
    if (object?.type !== 'tree') throw new Error(`tree ${oid} is missing from the repository`);
    const entries = parseTree(object.content);
    this.remember(oid, entries);
    return entries;
  }

  /** The commit, or undefined when the id names no commit here. Annotated tags are not peeled. */
  async commit(oid: string): Promise<ParsedCommit | undefined> {
    const cached = this.parsed.get(oid);
    if (cached) return cached as ParsedCommit;
    const object = await this.read(oid);
    if (object?.type !== 'commit') return undefined;
    const commit = parseCommit(oid, object.content);
    this.remember(oid, commit);
    return commit;
  }

  /** Follows annotated tags to what they finally point at. */
  async peel(oid: string): Promise<{ oid: string; type: string } | undefined> {
    for (let depth = 0; depth < 10; depth++) {
      const object = await this.read(oid);
      if (!object) return undefined;
      if (object.type !== 'tag') return { oid, type: object.type };
      const target = /^object ([0-9a-f]{40})$/m.exec(object.content.toString('utf8'));
      if (!target) return undefined;
      oid = target[1];
    }
    return undefined;
  }

  /** The entry at a path below a tree (the tree itself for the empty path). */
  async entryAt(treeOid: string, path: string): Promise<{ mode: string; oid: string } | undefined> {
    let current: { mode: string; oid: string } = { mode: '40000', oid: treeOid };
    if (path === '') return current;
    for (const name of path.split('/')) {
      if (kindOf(current.mode) !== 'tree') return undefined;
      const entry = (await this.tree(current.oid)).find((e) => e.name === name);
      if (!entry) return undefined;
      current = entry;
    }
    return current;
  }

  /**
   * The best common ancestor of two commits, or undefined when their histories are unrelated.
   * Of several equally good ones (criss-cross histories) the first found is used.
   */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    if (a === b) return a;
    // git's own walk (commit-graph, generation numbers) is far faster than reading each commit
    // in-process over a long history, and sees packs a push just added.
    try {
      const { stdout } = await execFileAsync('git', ['merge-base', a, b], { cwd: this.gitdir, env: gitEnv() });
      return stdout.trim() || undefined;
    } catch (err) {
      // Exit status 1 without output: the histories are unrelated.
      if ((err as { code?: number; stderr?: string }).code === 1 && !(err as { stderr?: string }).stderr) return undefined;
      throw err;
    }
  }

  async writeBlob(content: Buffer): Promise<string> {
    return this.write('blob', content);
  }

  async writeTree(entries: TreeEntry[]): Promise<string> {
    const sorted = [...entries].sort(compareEntries);
    const parts: Buffer[] = [];
    for (const e of sorted) {
      parts.push(Buffer.from(`${e.mode} `), e.nameBytes, Buffer.from([0]), Buffer.from(e.oid, 'hex'));
    }
    const oid = await this.write('tree', Buffer.concat(parts));
    this.remember(oid, sorted);
    return oid;
  }

  async writeCommit(commit: Omit<ParsedCommit, 'oid'>): Promise<string> {
    const lines = [`tree ${commit.tree}`, ...commit.parents.map((p) => `parent ${p}`)];
    lines.push(`author ${signature(commit.author)}`, `committer ${signature(commit.committer)}`, '', commit.message);
    return this.write('commit', Buffer.from(lines.join('\n'), 'utf8'));
  }

  /**
   * Stores a loose object the way git does: compressed into a temporary file beside the others,
   * then renamed into place, so no reader (nor a crash) ever sees half an object.
   */
  private async write(type: 'blob' | 'tree' | 'commit', content: Buffer): Promise<string> {
    const wrapped = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]);
    const oid = createHash('sha1').update(wrapped).digest('hex');
    const dir = join(this.gitdir, 'objects', oid.slice(0, 2));
    const path = join(dir, oid.slice(2));
    if (existsSync(path)) return oid;
    const compressed = await deflate(wrapped);
    const temporary = join(dir, `tmp_obj_${process.pid}_${randomBytes(6).toString('hex')}`);
    // A repack's prune-packed removes the fan-out folders it empties, possibly between our mkdir
    // and our write: make the folder again and retry, as git does. Once the temporary file is in
    // it, the folder is not empty and stays until the rename.
    for (let attempt = 1; ; attempt++) {
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(temporary, compressed, { mode: 0o444 });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= MAX_WRITE_ATTEMPTS) throw err;
      }
    }
    await rename(temporary, path);
    return oid;
  }

  private remember(oid: string, value: TreeEntry[] | ParsedCommit): void {
    if (this.parsed.size >= MAX_PARSED) this.parsed.delete(this.parsed.keys().next().value!);
    this.parsed.set(oid, value);
  }
}

/** The id git gives a blob with this content, without writing it. */
export function hashBlob(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** git orders tree entries by name bytes, comparing a folder as if its name ended in `/`. */
function compareEntries(a: TreeEntry, b: TreeEntry): number {
  const ka = kindOf(a.mode) === 'tree' ? Buffer.concat([a.nameBytes, Buffer.from('/')]) : a.nameBytes;
  const kb = kindOf(b.mode) === 'tree' ? Buffer.concat([b.nameBytes, Buffer.from('/')]) : b.nameBytes;
  return Buffer.compare(ka, kb);
}

function parseTree(buf: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < buf.length) {
    const space = buf.indexOf(0x20, at);
    const nul = buf.indexOf(0, space);
    const nameBytes = buf.subarray(space + 1, nul);
    entries.push({
      mode: buf.toString('latin1', at, space),
      name: nameBytes.toString('utf8'),
      nameBytes: Buffer.from(nameBytes),
      oid: buf.toString('hex', nul + 1, nul + 21),
    });
    at = nul + 21;
  }
  return entries;
}

function parseCommit(oid: string, buf: Buffer): ParsedCommit {
  const text = buf.toString('utf8');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  const commit: ParsedCommit = { oid, tree: '', parents: [], author: noSignature(), committer: noSignature(), message };
  for (const line of head.split('\n')) {
    // Continuation lines (a signature's body) start with a space and belong to the header above.
    if (line.startsWith(' ')) continue;
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') commit.tree = value;
    else if (key === 'parent') commit.parents.push(value);
    else if (key === 'author') commit.author = parseSignature(value);
    else if (key === 'committer') commit.committer = parseSignature(value);
  }
  return commit;
}

function noSignature(): Signature {
  return { name: '', email: '', timestamp: 0, timezone: '+0000' };
}

function parseSignature(value: string): Signature {
  const m = /^(.*?) ?<([^>]*)> ?(\d+)? ?([+-]\d{4})?$/.exec(value);
  if (!m) return { ...noSignature(), name: value };
  return { name: m[1], email: m[2], timestamp: Number(m[3] ?? 0), timezone: m[4] ?? '+0000' };
}

function signature(s: Signature): string {
  return `${s.name} <${s.email}> ${s.timestamp} ${s.timezone}`;
}
