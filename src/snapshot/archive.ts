import { createReadStream, rmdirSync, rmSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tarStream, { type Header } from 'tar-stream';
import { DATA_PREFIX, DATABASE_FILE, MANIFEST_NAME, type Manifest } from './manifest.js';

const SMALL_FILE = 1024 * 1024;

/**
 * A captured staging directory as a tar.gz stream: the manifest first (a reader refuses an
 * archive it cannot restore before it writes anything), then `data/codesuite.db`, then every
 * file under `data/`. The staging directory is removed once the stream ends, fails or is dropped.
 */
export function packSnapshot(staging: string, manifest: Manifest): Readable {
  const pack = tarStream.pack();
  const out = createGzip();
  let cleaned = false;
  const cleanUp = () => {
    if (cleaned) return;
    cleaned = true;
    // Synchronous, so a server stopping right after the response ends leaves no staging files behind.
    rmSync(staging, { recursive: true, force: true });
    try {
      rmdirSync(dirname(staging));
    } catch {
      // Another snapshot is still streaming from beside it.
    }
  };
  out.once('close', cleanUp);

  const add = (header: Partial<Header> & { name: string }, body: Buffer) =>
    new Promise<void>((done, fail) => pack.entry(header, body, (err) => (err ? fail(err) : done())));
  const addFile = async (name: string, path: string) => {
    const info = await stat(path);
    const header = { name, size: info.size, mode: info.mode & 0o777, mtime: info.mtime };
    // Most files of a data directory are small (refs, loose objects): one read each, not a stream.
    if (info.size <= SMALL_FILE) return add(header, await readFile(path));
    await new Promise<void>((done, fail) => {
      const entry = pack.entry(header, (err) => (err ? fail(err) : done()));
      createReadStream(path).on('error', fail).pipe(entry);
    });
  };
  const addTree = async (dir: string, name: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await add({ name: `${name}${entry.name}/`, type: 'directory', mode: 0o755 }, Buffer.alloc(0));
        await addTree(path, `${name}${entry.name}/`);
      } else {
        await addFile(`${name}${entry.name}`, path);
      }
    }
  };
  void pipeline(pack, out).catch((err) => out.destroy(err));
  void (async () => {
    await add({ name: MANIFEST_NAME, mode: 0o644, mtime: new Date(manifest.createdAt) }, Buffer.from(JSON.stringify(manifest, null, 2)));
    await add({ name: DATA_PREFIX, type: 'directory', mode: 0o755 }, Buffer.alloc(0));
    await addFile(`${DATA_PREFIX}${DATABASE_FILE}`, join(staging, DATABASE_FILE));
    await addTree(join(staging, 'files'), DATA_PREFIX);
    pack.finalize();
  })().catch((err: Error) => {
    pack.destroy(err);
    out.destroy(err);
  });
  return out;
}
