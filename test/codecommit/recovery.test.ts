import { CreateRepositoryCommand, GetRepositoryCommand } from '@aws-sdk/client-codecommit';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { commitFile, git, gitOk, tempDir } from '../helpers/git.js';
import { codecommit, testServer } from '../helpers/server.js';

const work = tempDir();
const dataDir = join(work.path, 'data');
const repoRoot = join(dataDir, 'codecommit');
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  work.remove();
});

const start = async () => (server = await testServer({ inMemory: false, dataDir }));

describe('start-up after a crash', () => {
  it('removes what unfinished operations left and records the default branch a recorded push missed', async () => {
    await start();
    const cc = codecommit(server!);
    const made = await cc.send(new CreateRepositoryCommand({ repositoryName: 'busy' }));
    const busy = made.repositoryMetadata!;
    const clone = join(work.path, 'busy');
    await gitOk(work.path, ['clone', '-q', busy.cloneUrlHttp!, clone]);
    await commitFile(clone, 'a.txt', 'a\n');
    await gitOk(clone, ['push', '-q', 'origin', 'HEAD:main']);
    const empty = (await cc.send(new CreateRepositoryCommand({ repositoryName: 'first-push' }))).repositoryMetadata!;
    await server!.stop();
    server = undefined;

    // What a SIGKILL leaves in each window: half-made and half-deleted repositories, a create whose
    // record was never written, a push's quarantine, a repack's temporary pack, a ref update's lock.
    const bare = join(repoRoot, `${busy.repositoryId}.git`);
    const leftovers = [
      join(repoRoot, 'c0ffee.git.creating'),
      join(repoRoot, 'dead.git.deleting'),
      join(repoRoot, 'never-recorded.git'),
      join(bare, 'objects', 'tmp_objdir-incoming-Ab12Cd'),
      join(bare, 'objects', 'pack', 'tmp_pack_Xy12'),
      join(bare, 'refs', 'heads', 'main.lock'),
    ];
    for (const path of leftovers.slice(0, 4)) {
      mkdirSync(path, { recursive: true });
      writeFileSync(join(path, 'junk'), 'x');
    }
    for (const path of leftovers.slice(4)) writeFileSync(path, 'x');
    // A first push whose pack and ref landed but whose bookkeeping never ran (git straight into the bare repository).
    await gitOk(clone, ['push', '-q', join(repoRoot, `${empty.repositoryId}.git`), 'HEAD:trunk']);

    await start();
    for (const path of leftovers) expect({ path, exists: existsSync(path) }).toEqual({ path, exists: false });
    const repaired = await codecommit(server!).send(new GetRepositoryCommand({ repositoryName: 'first-push' }));
    expect(repaired.repositoryMetadata?.defaultBranch).toBe('trunk');
    // The retried push has nothing to send, and the record is right all the same.
    const retried = await git(clone, ['push', repaired.repositoryMetadata!.cloneUrlHttp!, 'HEAD:trunk']);
    expect(retried.stderr).toContain('Everything up-to-date');
    // The stale lock no longer blocks the branch it guarded.
    await commitFile(clone, 'b.txt', 'b\n');
    await gitOk(clone, ['push', '-q', `${server!.endpoint}/v1/repos/busy`, 'HEAD:main']);
    await gitOk(bare, ['fsck', '--strict']);
  });

  it('records the default branch when a retried push finds everything up to date', async () => {
    const cc = codecommit(server!);
    const { repositoryMetadata } = (await cc.send(new CreateRepositoryCommand({ repositoryName: 'retried' })));
    const clone = join(work.path, 'busy');
    // The first push's refs landed but its bookkeeping did not run (git straight into the bare repository).
    await gitOk(clone, ['push', '-q', join(repoRoot, `${repositoryMetadata!.repositoryId}.git`), 'HEAD:develop']);
    const retried = await git(clone, ['push', repositoryMetadata!.cloneUrlHttp!, 'HEAD:develop']);
    expect(retried.stderr).toContain('Everything up-to-date');
    const after = await cc.send(new GetRepositoryCommand({ repositoryName: 'retried' }));
    expect(after.repositoryMetadata?.defaultBranch).toBe('develop');
  });
});
