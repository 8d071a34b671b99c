import { CreateRepositoryCommand, GetRepositoryCommand, ListBranchesCommand } from '@aws-sdk/client-codecommit';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { codecommit, testServer } from '../helpers/server.js';

const data = tempDir('codesuite-data-');
const work = tempDir();
afterAll(() => {
  data.remove();
  work.remove();
});

describe('a restart on the same data directory', () => {
  it('keeps every repository, branch, tag and commit', async () => {
    const first = await testServer({ inMemory: false, dataDir: data.path });
    const { repositoryMetadata } = await codecommit(first).send(
      new CreateRepositoryCommand({ repositoryName: 'durable', repositoryDescription: 'kept' }),
    );
    const dir = join(work.path, 'durable');
    await gitOk(work.path, ['clone', '-q', repositoryMetadata!.cloneUrlHttp!, dir]);
    await commitFile(dir, 'one', '1');
    const head = await commitFile(dir, 'two', '2');
    await gitOk(dir, ['tag', 'v1']);
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main', 'HEAD:side', 'v1']);
    await first.stop();

    const second = await testServer({ inMemory: false, dataDir: data.path });
    try {
      const cc = codecommit(second);
      const again = (await cc.send(new GetRepositoryCommand({ repositoryName: 'durable' }))).repositoryMetadata!;
      expect(again).toMatchObject({ repositoryId: repositoryMetadata!.repositoryId, repositoryDescription: 'kept', defaultBranch: 'main' });
      expect((await cc.send(new ListBranchesCommand({ repositoryName: 'durable' }))).branches).toEqual(['main', 'side']);
      const clone = join(work.path, 'durable-again');
      await gitOk(work.path, ['clone', '-q', again.cloneUrlHttp!, clone]);
      expect((await gitOk(clone, ['rev-parse', 'HEAD'])).trim()).toBe(head);
      expect((await gitOk(clone, ['rev-list', '--count', 'HEAD'])).trim()).toBe('2');
      expect((await gitOk(clone, ['tag'])).trim()).toBe('v1');
    } finally {
      await second.stop();
    }
  });
});
