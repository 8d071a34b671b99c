import { createHash } from 'node:crypto';
import { lstat, mkdir, open, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

/** One file of an archive: where it is on disk and the path it takes inside. */
export interface ZipInput {
  path: string;
  name: string;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const MADE_BY_UNIX = 3 << 8 | 20;

function dosTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((Math.max(1980, date.getFullYear()) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * Writes a zip file (deflate, Unix modes kept, symlinks stored as links when asked) and returns
 * its MD5 and SHA-256, which CodeBuild reports for ZIP artifacts. Entries are written one at a
 * time, so only one file is in memory at once.
 */
export async function writeZip(target: string, inputs: ZipInput[], options: { symlinks?: boolean } = {}): Promise<{ md5: string; sha256: string; size: number }> {
  const out = await open(target, 'w');
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let offset = 0;
  const central: Buffer[] = [];
  const write = async (chunk: Buffer) => {
    md5.update(chunk);
    sha256.update(chunk);
    await out.write(chunk);
    offset += chunk.length;
  };
  try {
    for (const input of inputs) {
      const stat = await lstat(input.path);
      const isLink = stat.isSymbolicLink() && options.symlinks === true;
      const data = isLink ? Buffer.from(await readlink(input.path)) : await readFile(input.path);
      const compressed = isLink ? data : deflateRawSync(data);
      const method = isLink || compressed.length >= data.length ? 0 : 8;
      const body = method === 0 ? data : compressed;
      const crc = crc32(data);
      const name = Buffer.from(input.name, 'utf8');
      const { time, date } = dosTime(stat.mtime);
      const mode = isLink ? 0o120777 : 0o100000 | (stat.mode & 0o7777);
      const header = Buffer.alloc(30);
      header.writeUInt32LE(LOCAL, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(0x0800, 6);
      header.writeUInt16LE(method, 8);
      header.writeUInt16LE(time, 10);
      header.writeUInt16LE(date, 12);
      header.writeUInt32LE(crc, 14);
      header.writeUInt32LE(body.length, 18);
      header.writeUInt32LE(data.length, 22);
      header.writeUInt16LE(name.length, 26);
      header.writeUInt16LE(0, 28);
      const entryOffset = offset;
      await write(Buffer.concat([header, name]));
      await write(body);
      const c = Buffer.alloc(46);
      c.writeUInt32LE(CENTRAL, 0);
      c.writeUInt16LE(MADE_BY_UNIX, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0800, 8);
      c.writeUInt16LE(method, 10);
      c.writeUInt16LE(time, 12);
      c.writeUInt16LE(date, 14);
      c.writeUInt32LE(crc, 16);
      c.writeUInt32LE(body.length, 20);
      c.writeUInt32LE(data.length, 24);
      c.writeUInt16LE(name.length, 28);
      c.writeUInt32LE(((mode << 16) >>> 0), 38);
      c.writeUInt32LE(entryOffset, 42);
      central.push(Buffer.concat([c, name]));
    }
    const start = offset;
    const dir = Buffer.concat(central);
    await write(dir);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END, 0);
    end.writeUInt16LE(inputs.length, 8);
    end.writeUInt16LE(inputs.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(start, 16);
    await write(end);
  } finally {
    await out.close();
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex'), size: offset };
}

export class ZipError extends Error {}

export interface ZipEntry {
  name: string;
  mode: number;
  data: Buffer;
}

/** The entries of a zip archive (stored or deflated; directories are implied by their files). */
export function readZip(zip: Buffer): ZipEntry[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipError('not a zip file: no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== CENTRAL) throw new ZipError('corrupt zip file: bad central directory entry');
    const madeBy = zip.readUInt16LE(p + 4) >> 8;
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const external = zip.readUInt32LE(p + 38);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const localNameLength = zip.readUInt16LE(localOffset + 26);
    const localExtraLength = zip.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const raw = zip.subarray(start, start + compressedSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw);
    else throw new ZipError(`unsupported zip compression method ${method} for ${name}`);
    const unixMode = madeBy === 3 ? external >>> 16 : 0;
    entries.push({ name, mode: unixMode || 0o100644, data });
  }
  return entries;
}

/** Extracts a zip archive into a directory; entries that would land outside it are refused. */
export async function extractZip(zip: Buffer, dir: string): Promise<number> {
  const root = resolve(dir);
  let n = 0;
  for (const entry of readZip(zip)) {
    const target = resolve(root, entry.name);
    if (target !== root && !target.startsWith(root + sep)) throw new ZipError(`zip entry ${entry.name} points outside the extraction directory`);
    await mkdir(dirname(target), { recursive: true });
    if ((entry.mode & 0o170000) === 0o120000) await symlink(entry.data.toString('utf8'), target);
    else await writeFile(target, entry.data, { mode: entry.mode & 0o777 || 0o644 });
    n++;
  }
  return n;
}

export const zipEntryName = (...parts: string[]) => join(...parts).split(sep).join('/');
