import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readlink, rm, symlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buffer as readAll } from 'node:stream/consumers';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { ArchiveError, insideRoot, isSymlinkMode } from './paths.js';

/**
 * The project's one zip module: yazl writes (zip64 when sizes need it), yauzl reads (zip64, data
 * descriptors as `zip -`, `aws deploy push` and macOS write them, names checked for traversal).
 */

/** One file of an archive: where it is on disk and the path it takes inside. */
export interface ZipInput {
  path: string;
  name: string;
}

export interface ZipEntry {
  name: string;
  /** Unix mode (type and permission bits); 0o100644 when the archiver recorded none. */
  mode: number;
  data: Buffer;
}

/** A zip that cannot be read: not a zip, corrupt, or an entry this module refuses. */
export class ZipError extends ArchiveError {}

/**
 * Writes a zip file (deflate, Unix modes kept, symlinks stored as links when asked) and returns
 * its MD5 and SHA-256, which CodeBuild reports for ZIP artifacts. Files stream from disk.
 */
export async function writeZip(target: string, inputs: ZipInput[], options: { symlinks?: boolean } = {}): Promise<{ md5: string; sha256: string; size: number }> {
  const zip = new yazl.ZipFile();
  for (const input of inputs) {
    const stat = await lstat(input.path);
    if (stat.isSymbolicLink() && options.symlinks === true) {
      zip.addBuffer(Buffer.from(await readlink(input.path)), input.name, { mode: 0o120777, mtime: stat.mtime, compress: false });
    } else {
      zip.addFile(input.path, input.name, { mode: 0o100000 | (stat.mode & 0o7777) });
    }
  }
  zip.end();
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let size = 0;
  const digest = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      sha256.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(zip.outputStream, digest, createWriteStream(target));
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex'), size };
}

type Source = Buffer | string;

function openZip(source: Source): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false };
  return new Promise((done, fail) => {
    const cb = (err: Error | null, zip?: yauzl.ZipFile) => (err || !zip ? fail(new ZipError(err?.message ?? 'not a zip file')) : done(zip));
    if (typeof source === 'string') yauzl.open(source, options, cb);
    else yauzl.fromBuffer(source, options, cb);
  });
}

/** Walks every entry in order; `visit` may read the entry's data through `open`. */
async function eachEntry(source: Source, visit: (entry: yauzl.Entry, open: () => Promise<Readable>) => Promise<void>): Promise<void> {
  const zip = await openZip(source);
  await new Promise<void>((done, fail) => {
    const failWith = (err: unknown) => {
      zip.close();
      fail(err instanceof ArchiveError ? err : new ZipError((err as Error).message));
    };
    zip.on('error', failWith);
    zip.on('end', () => done());
    zip.on('entry', (entry: yauzl.Entry) => {
      const open = () =>
        new Promise<Readable>((ok, ko) => zip.openReadStream(entry, (err, stream) => (err || !stream ? ko(new ZipError(err?.message ?? 'unreadable entry')) : ok(stream))));
      visit(entry, open).then(() => zip.readEntry(), failWith);
    });
    zip.readEntry();
  });
}

/** The Unix mode an entry was archived with (only Unix archivers record one). */
function entryMode(entry: yauzl.Entry): number {
  const madeBy = entry.versionMadeBy >> 8;
  const unix = madeBy === 3 || madeBy === 19 ? entry.externalFileAttributes >>> 16 : 0;
  if (entry.fileName.endsWith('/')) return unix || 0o040755;
  return unix || 0o100644;
}

/** The files of a zip archive, in memory (directories are implied by their files). */
export async function readZip(source: Source): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  await eachEntry(source, async (entry, open) => {
    if (entry.fileName.endsWith('/')) return;
    entries.push({ name: entry.fileName, mode: entryMode(entry), data: await readAll(await open()) });
  });
  return entries;
}

/**
 * Extracts a zip archive into a directory and returns how many files it wrote. An entry that
 * would land outside the directory fails the whole extraction; symbolic links are created last,
 * so no entry of the archive is ever written through a link the archive itself made.
 */
export async function extractZip(source: Source, dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const links: { target: string; link: string }[] = [];
  let n = 0;
  await eachEntry(source, async (entry, open) => {
    const target = insideRoot(dir, entry.fileName, (name) => new ZipError(`zip entry ${name} points outside the extraction directory`));
    const mode = entryMode(entry);
    if (entry.fileName.endsWith('/') || (mode & 0o170000) === 0o040000) {
      await mkdir(target, { recursive: true });
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    if (isSymlinkMode(mode)) {
      links.push({ target, link: (await readAll(await open())).toString('utf8') });
      return;
    }
    await rm(target, { force: true });
    await pipeline(await open(), createWriteStream(target, { mode: mode & 0o7777 || 0o644 }));
    n++;
  });
  for (const { target, link } of links) {
    await rm(target, { force: true });
    await symlink(link, target);
    n++;
  }
  return n;
}

