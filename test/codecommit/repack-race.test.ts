import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { GitObjects } from '../../src/codecommit/git-objects.js';
import { GitStorage } from '../../src/codecommit/git-storage.js';
import { gitOk, tempDir } from '../helpers/git.js';

const run = promisify(execFile);
const work = tempDir();
afterAll(() => work.remove());

describe('object writes while git repacks', () => {
  it('never fail because the repack removed an emptied object folder', async () => {
    const storage = new GitStorage(work.path);
    await storage.create('race');
    const dir = storage.dir('race');
    const objects: GitObjects = storage.objects('race');
    let writing = true;
    // git repack -a -d ends with prune-packed, which removes loose objects now packed and the
    // fan-out folders it empties: exactly where the next loose object is being written.
    const repacks = (async () => {
      let n = 0;
      while (writing) {
        await run('git', ['repack', '-a', '-d', '-q'], { cwd: dir });
        n++;
      }
      return n;
    })();
    const written: string[] = [];
    try {
      for (let i = 0; i < 600; i++) {
        const blob = await objects.writeBlob(randomBytes(16));
        written.push(blob);
        // Referenced from a ref, so the repack packs them and prune-packed empties their folders.
        if (i % 50 === 49) {
          const tree = await objects.writeTree(written.slice(-50).map((oid, k) => ({ name: `f${k}`, nameBytes: Buffer.from(`f${k}`), mode: '100644', oid })));
          await gitOk(dir, ['update-ref', `refs/heads/b${i}`, (await gitOk(dir, ['commit-tree', tree, '-m', 'x'])).trim()]);
        }
      }
    } finally {
      writing = false;
    }
    expect(await repacks).toBeGreaterThan(0);
    await gitOk(dir, ['fsck', '--strict']);
    for (const oid of written.slice(-10)) expect((await gitOk(dir, ['cat-file', '-t', oid])).trim()).toBe('blob');
    // The content API's reader, whose pack indexes predate the repacks, still finds every object.
    for (const oid of [written[0], written[300], written[599]]) expect(await objects.type(oid)).toBe('blob');
  });
});
