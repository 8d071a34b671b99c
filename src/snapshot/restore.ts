import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import { checkManifest, DATA_PREFIX, DATABASE_FILE, MANIFEST_NAME, SnapshotError, type Manifest } from './manifest.js';

const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface RestoreTarget {
  /** The data directory to fill: it must not exist yet, or be empty. */
  dataDir: string;
  /** Per service, the highest migration this codesuite knows. */
  knownSchema: Record<string, number>;
  accountId: string;
}

/**
 * Fills a new data directory from a snapshot archive. Refuses, before writing anything, an
 * archive from a newer codesuite; refuses any entry that is not a plain file or folder inside
 * the data directory (absolute paths, `..`, symbolic and hard links, devices), removing what it
 * had written. A snapshot names only files and folders, so no entry can follow a link out.
 */
export async function restoreSnapshot(file: string, target: RestoreTarget): Promise<Manifest> {
  const dataDir = resolve(target.dataDir);
  const existed = existsSync(dataDir);
  if (existed && readdirSync(dataDir).length > 0) {
    throw new SnapshotError(`data directory ${dataDir} is not empty: --restore starts a new one; choose a new or empty --data-dir`);
  }
  if (!existsSync(file)) throw new SnapshotError(`snapshot ${file} does not exist`);
  mkdirSync(dataDir, { recursive: true });
  try {
    const manifest = await extract(file, dataDir, target);
    if (!existsSync(join(dataDir, DATABASE_FILE))) throw new SnapshotError(`${file} holds no ${DATA_PREFIX}${DATABASE_FILE}: not a codesuite snapshot`);
    return manifest;
  } catch (err) {
    // Leave the directory as it was found: gone, or empty.
    if (existed) for (const name of readdirSync(dataDir)) rmSync(join(dataDir, name), { recursive: true, force: true });
    else rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * `--restore` at start-up. With `inMemory` the data directory is a fresh temporary one and the
 * database lives in memory: its bytes are handed back to load, and the file leaves the directory.
 */
export async function restoreAtStart(
  file: string,
  dataDir: string,
  options: { inMemory: boolean; accountId: string; knownSchema: Record<string, number> },
): Promise<Buffer | undefined> {
  try {
    await restoreSnapshot(file, { dataDir, knownSchema: options.knownSchema, accountId: options.accountId });
  } catch (err) {
    if (options.inMemory) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  if (!options.inMemory) return undefined;
  const database = join(dataDir, DATABASE_FILE);
  const image = readFileSync(database);
  rmSync(database);
  return image;
}

async function extract(file: string, dataDir: string, target: RestoreTarget): Promise<Manifest> {
  const entries = tarStream.extract();
  const unreadable = (err: Error) => (err instanceof SnapshotError ? err : new SnapshotError(`${file} is not a readable .tar.gz (${err.message})`));
  const reading = pipeline(createReadStream(file), createGunzip(), entries).catch((err: Error) => {
    throw unreadable(err);
  });
  let manifest: Manifest | undefined;
  try {
    for await (const entry of entries) {
      const { header } = entry;
      if (!manifest) {
        if (header.name !== MANIFEST_NAME || header.type !== 'file' || header.size > MAX_MANIFEST_BYTES) {
          throw new SnapshotError(`${file} is not a codesuite snapshot: it does not begin with ${MANIFEST_NAME}`);
        }
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        manifest = checkManifest(Buffer.concat(chunks).toString('utf8'), file, target.knownSchema, target.accountId);
        continue;
      }
      const path = placeOf(header.name, dataDir, file);
      if (header.type === 'directory') {
        if (path) mkdirSync(path, { recursive: true });
        entry.resume();
      } else if (header.type === 'file' || header.type === 'contiguous-file') {
        if (!path) throw new SnapshotError(`${file}: entry ${header.name} is a file where the data directory itself belongs`);
        mkdirSync(dirname(path), { recursive: true });
        await pipeline(entry, createWriteStream(path, { mode: (header.mode ?? 0o644) & 0o777 }));
      } else {
        throw new SnapshotError(`${file}: entry ${header.name} is a ${header.type}; a snapshot holds only files and folders`);
      }
    }
  } catch (err) {
    entries.destroy();
    await reading.catch(() => undefined);
    throw unreadable(err as Error);
  }
  await reading;
  if (!manifest) throw new SnapshotError(`${file} is not a codesuite snapshot: it is empty`);
  return manifest;
}

/** Where an entry lands inside the data directory (undefined for the folder itself); throws for any name that leaves it. */
function placeOf(name: string, dataDir: string, file: string): string | undefined {
  const escape = () => new SnapshotError(`${file}: entry ${name} points outside the data directory; refusing the snapshot`);
  if (!name.startsWith(DATA_PREFIX)) {
    if (isAbsolute(name) || name.split(/[\\/]/).includes('..')) throw escape();
    throw new SnapshotError(`${file}: entry ${name} is outside ${DATA_PREFIX}; not a codesuite snapshot`);
  }
  const rel = name.slice(DATA_PREFIX.length).replace(/\/+$/, '');
  if (rel === '') return undefined;
  if (isAbsolute(rel) || rel.includes('\0') || rel.split(/[\\/]/).some((part) => part === '..' || part === '')) throw escape();
  const path = resolve(dataDir, rel);
  if (!path.startsWith(dataDir + sep)) throw escape();
  return path;
}
