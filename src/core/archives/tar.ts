import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readlink, symlink, rm } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import { ArchiveError, insideRoot } from './paths.js';

/** Extra entries of an archive, written from memory (a buildspec, the environment file). */
export interface TarFile {
  name: string;
  content: string | Buffer;
  mode?: number;
}

export interface PackOptions {
  /** Directories to create (with mode 0777 so a `run-as` user can write there too). */
  dirs?: string[];
  /** Host directories to copy in: every file under `from` lands under `to`. */
  trees?: { from: string; to: string }[];
  files?: TarFile[];
}

/**
 * A tar stream of directories, host trees and files, named relative to `/`, for Docker's
 * putArchive: the way sources and the build's own files get into a container without a bind mount.
 */
export function packTar(options: PackOptions): Readable {
  const pack = tarStream.pack();
  type Header = Parameters<typeof pack.entry>[0];
  const add = (header: Header, body?: Buffer | string) =>
    new Promise<void>((done, fail) => pack.entry(header, body ?? '', (err) => (err ? fail(err) : done())));
  const addStream = (header: Header, path: string) =>
    new Promise<void>((done, fail) => {
      const entry = pack.entry(header, (err) => (err ? fail(err) : done()));
      createReadStream(path).on('error', fail).pipe(entry);
    });
  const seen = new Set<string>();
  const ensureDir = async (name: string) => {
    const parts = name.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (seen.has(dir)) continue;
      seen.add(dir);
      await add({ name: `${dir}/`, type: 'directory', mode: 0o777, mtime: new Date() });
    }
  };
  async function tree(from: string, to: string): Promise<void> {
    await ensureDir(to);
    for (const e of await readdir(from, { withFileTypes: true })) {
      const path = join(from, e.name);
      const name = `${to}/${e.name}`;
      const stat = await lstat(path);
      if (stat.isDirectory()) {
        seen.add(name);
        await add({ name: `${name}/`, type: 'directory', mode: stat.mode & 0o7777, mtime: stat.mtime });
        await tree(path, name);
      } else if (stat.isSymbolicLink()) {
        await add({ name, type: 'symlink', linkname: await readlink(path), mode: 0o777, mtime: stat.mtime });
      } else if (stat.isFile()) {
        await addStream({ name, type: 'file', size: stat.size, mode: stat.mode & 0o7777, mtime: stat.mtime }, path);
      }
    }
  }
  void (async () => {
    try {
      for (const dir of options.dirs ?? []) await ensureDir(strip(dir));
      for (const t of options.trees ?? []) await tree(t.from, strip(t.to));
      for (const f of options.files ?? []) {
        await ensureDir(posix.dirname(strip(f.name)));
        const body = typeof f.content === 'string' ? Buffer.from(f.content) : f.content;
        await add({ name: strip(f.name), type: 'file', size: body.length, mode: f.mode ?? 0o666, mtime: new Date() }, body);
      }
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
    }
  })();
  return Readable.from(pack);
}

const strip = (p: string) => p.replace(/^\/+/, '').replace(/\/+$/, '');

/** A tar archive that cannot be extracted. */
export class TarError extends ArchiveError {}

/**
 * Extracts a tar stream into `dest`, dropping the first `strip` path components (1 for Docker's
 * getArchive of a directory, whose entries start with its own name). Modes are kept; an entry
 * that would land outside `dest` fails the extraction; symbolic links are made last, so nothing
 * of the archive is written through a link it made itself. Returns the number of files written.
 */
export async function extractTar(stream: Readable, dest: string, options: { strip?: number } = {}): Promise<number> {
  await mkdir(dest, { recursive: true });
  const extract = tarStream.extract();
  const links: { target: string; link: string }[] = [];
  let n = 0;
  stream.on('error', (err) => extract.destroy(err));
  stream.pipe(extract);
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const rel = header.name.split('/').slice(options.strip ?? 0).join('/');
      if (!rel || rel === '.' || rel === './') {
        entry.resume();
        continue;
      }
      const target = insideRoot(dest, rel, (name) => new TarError(`tar entry ${name} points outside the extraction directory`));
      const mode = (header.mode ?? 0o644) & 0o7777;
      if (header.type === 'directory') {
        await mkdir(target, { recursive: true, mode });
        entry.resume();
      } else if (header.type === 'symlink' && header.linkname) {
        links.push({ target, link: header.linkname });
        entry.resume();
      } else if (header.type === 'file' || header.type === 'contiguous-file') {
        await mkdir(dirname(target), { recursive: true });
        await rm(target, { force: true });
        await pipeline(entry, createWriteStream(target, { mode }));
        await chmod(target, mode);
        n++;
      } else entry.resume();
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new TarError((err as Error).message);
  }
  for (const { target, link } of links) {
    await mkdir(dirname(target), { recursive: true });
    await rm(target, { force: true });
    await symlink(link, target);
    n++;
  }
  return n;
}

/** Extracts a tar file on disk, gunzipping it first for `tgz`. */
export function extractTarFile(path: string, dest: string, options: { gzip: boolean }): Promise<number> {
  const file = createReadStream(path);
  if (!options.gzip) return extractTar(file, dest);
  const gunzip = createGunzip();
  file.on('error', (err) => gunzip.destroy(err));
  return extractTar(file.pipe(gunzip), dest);
}
