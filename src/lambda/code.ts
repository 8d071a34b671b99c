import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { extractZip, readZip } from '../core/archives/zip.js';
import { invalidParameter, tooLarge } from './errors.js';

const MAX_ZIPPED = 52_428_800;
const MAX_UNZIPPED = 262_144_000;

export interface StoredCode {
  /** Hex SHA-256 of the zip: the name of its file and of its extracted directory. */
  key: string;
  /** What Lambda reports: base64 of the SHA-256. */
  sha256: string;
  size: number;
}

/**
 * Function code, content-addressed: each zip is kept once under code/<sha>.zip with its files
 * extracted beside it, so versions that share code share one copy and environments start from it.
 */
export class CodeStore {
  constructor(private readonly dir: string) {
    // Node.js picks a .js file's module system from the nearest package.json. On Lambda there is
    // none above /var/task, so a function without its own is CommonJS; here the data directory
    // may sit inside a project whose package.json says "module" (codesuite's own checkout does).
    // This one, above every function's code, ends the search as /var/task's parent would.
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}\n');
  }

  zipPath(key: string): string {
    return join(this.dir, `${key}.zip`);
  }

  /** The directory holding the zip's files (what an environment gets as /var/task). */
  taskDir(key: string): string {
    return join(this.dir, key);
  }

  async put(zip: Buffer): Promise<StoredCode> {
    if (zip.length > MAX_ZIPPED) throw tooLarge(`Zipped size must be smaller than ${MAX_ZIPPED} bytes`);
    const digest = createHash('sha256').update(zip).digest();
    const key = digest.toString('hex');
    const code = { key, sha256: digest.toString('base64'), size: zip.length };
    if (existsSync(this.taskDir(key))) return code;
    let unzipped = 0;
    try {
      for (const entry of await readZip(zip)) unzipped += entry.data.length;
    } catch {
      throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
    }
    if (unzipped > MAX_UNZIPPED) throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED} bytes`);
    await mkdir(this.dir, { recursive: true });
    const staging = join(this.dir, `.${key}.${process.pid}.${Date.now()}`);
    try {
      await extractZip(zip, staging);
      await writeFile(this.zipPath(key), zip);
      await rename(staging, this.taskDir(key)).catch(async (err: NodeJS.ErrnoException) => {
        // Another request stored the same zip meanwhile: theirs is as good as ours.
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      });
    } catch (err) {
      if ((err as Error).name === 'ZipError') throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
      throw err;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return code;
  }

  /** Removes code no function or version uses any more. */
  async collect(inUse: Set<string>): Promise<void> {
    if (!existsSync(this.dir)) return;
    for (const name of await readdir(this.dir)) {
      const key = name.replace(/\.zip$/, '');
      if (/^[0-9a-f]{64}$/.test(key) && !inUse.has(key)) await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }
}
