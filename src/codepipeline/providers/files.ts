import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ZipInput } from '../../core/archives/zip.js';

/** Every file and link under `root`, named by its path inside it, for a zip. */
export async function filesUnder(root: string, prefix = ''): Promise<ZipInput[]> {
  const found: ZipInput[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await filesUnder(root, name)));
    else found.push({ path: join(root, name), name });
  }
  return found;
}
