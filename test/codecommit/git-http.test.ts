import { CreateRepositoryCommand, GetBranchCommand, GetRepositoryCommand, ListBranchesCommand } from '@aws-sdk/client-codecommit';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/core/events.js';
import type { RunningServer } from '../../src/server.js';
import { commitFile, git, gitOk, tempDir } from '../helpers/git.js';
import { codecommit, testServer } from '../helpers/server.js';

let server: RunningServer;
const work = tempDir();
const events: BusEvent[] = [];

beforeAll(async () => {
  server = await testServer();
  server.events.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

async function newRepo(name: string): Promise<string> {
  const { repositoryMetadata } = await codecommit(server).send(new CreateRepositoryCommand({ repositoryName: name }));
  return repositoryMetadata!.cloneUrlHttp!;
}

describe('git over smart HTTP', () => {
  it('clones an empty repository, pushes the first branch and makes it the default', async () => {
    const url = await newRepo('first');
    const dir = join(work.path, 'first');
    const cloned = await git(work.path, ['clone', url, dir]);
    expect(cloned.code).toBe(0);
    expect(cloned.stderr).toContain('empty repository');
    const commit = await commitFile(dir, 'README.md', 'hello\n');
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:trunk']);

    const cc = codecommit(server);
    expect((await cc.send(new GetRepositoryCommand({ repositoryName: 'first' }))).repositoryMetadata?.defaultBranch).toBe('trunk');
    expect((await cc.send(new GetBranchCommand({ repositoryName: 'first', branchName: 'trunk' }))).branch?.commitId).toBe(commit);

    const pushEvent = events.find((e) => e.detail.repositoryName === 'first');
    expect(pushEvent).toMatchObject({
      'detail-type': 'CodeCommit Repository State Change',
      source: 'aws.codecommit',
      region: 'us-east-1',
      resources: ['arn:aws:codecommit:us-east-1:000000000000:first'],
      detail: { event: 'referenceCreated', referenceFullName: 'refs/heads/trunk', referenceName: 'trunk', referenceType: 'branch', commitId: commit },
    });

    // A fresh clone checks out the default branch.
    const again = join(work.path, 'first-again');
    await gitOk(work.path, ['clone', '-q', url, again]);
    expect((await gitOk(again, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim()).toBe('trunk');
  });

  it('pushes branches and tags, deletes them, and fetches', async () => {
    const url = await newRepo('refs');
    const dir = join(work.path, 'refs');
    await gitOk(work.path, ['clone', '-q', url, dir]);
    await commitFile(dir, 'a.txt', 'a');
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
    await gitOk(dir, ['checkout', '-q', '-b', 'feature']);
    const feature = await commitFile(dir, 'b.txt', 'b');
    await gitOk(dir, ['tag', '-a', 'v1.0', '-m', 'release']);
    await gitOk(dir, ['push', '-q', 'origin', 'feature', 'v1.0']);

    const cc = codecommit(server);
    expect((await cc.send(new ListBranchesCommand({ repositoryName: 'refs' }))).branches).toEqual(['feature', 'main']);
    const remote = await gitOk(dir, ['ls-remote', url]);
    expect(remote).toContain(`${feature}\trefs/heads/feature`);
    expect(remote).toMatch(/\trefs\/tags\/v1\.0\n/);
    expect(events.some((e) => e.detail.repositoryName === 'refs' && e.detail.referenceType === 'tag')).toBe(true);

    await gitOk(dir, ['push', '-q', 'origin', '--delete', 'feature', 'v1.0']);
    expect((await cc.send(new ListBranchesCommand({ repositoryName: 'refs' }))).branches).toEqual(['main']);
    expect(await gitOk(dir, ['ls-remote', '--tags', url])).toBe('');
    expect(events.some((e) => e.detail.repositoryName === 'refs' && e.detail.event === 'referenceDeleted')).toBe(true);

    const other = join(work.path, 'refs-other');
    await gitOk(work.path, ['clone', '-q', url, other]);
    const upstream = await commitFile(other, 'c.txt', 'c');
    await gitOk(other, ['push', '-q', 'origin', 'main']);
    await gitOk(dir, ['fetch', '-q', 'origin']);
    expect((await gitOk(dir, ['rev-parse', 'origin/main'])).trim()).toBe(upstream);
  });

  it('refuses a non-fast-forward push and changes nothing, but takes a forced one', async () => {
    const url = await newRepo('ff');
    const a = join(work.path, 'ff-a');
    const b = join(work.path, 'ff-b');
    await gitOk(work.path, ['clone', '-q', url, a]);
    await commitFile(a, 'one', '1');
    await gitOk(a, ['push', '-q', 'origin', 'HEAD:main']);
    await gitOk(work.path, ['clone', '-q', url, b]);
    const ahead = await commitFile(a, 'two', '2');
    await gitOk(a, ['push', '-q', 'origin', 'main']);
    const diverged = await commitFile(b, 'three', '3');

    const refused = await git(b, ['push', 'origin', 'main']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/rejected/);
    expect(await gitOk(b, ['ls-remote', url, 'refs/heads/main'])).toContain(ahead);

    await gitOk(b, ['push', '-q', '--force', 'origin', 'main']);
    expect(await gitOk(b, ['ls-remote', url, 'refs/heads/main'])).toContain(diverged);
  });

  it('refuses to delete the default branch by push', async () => {
    const url = await newRepo('keep-default');
    const dir = join(work.path, 'keep-default');
    await gitOk(work.path, ['clone', '-q', url, dir]);
    const head = await commitFile(dir, 'x', 'x');
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
    const refused = await git(dir, ['push', 'origin', '--delete', 'main']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('[remote rejected] main (the default branch cannot be deleted)');
    expect(await gitOk(dir, ['ls-remote', url, 'refs/heads/main'])).toContain(head);
  });

  it('serves shallow clones and protocol v2', async () => {
    const url = await newRepo('shallow');
    const dir = join(work.path, 'shallow');
    await gitOk(work.path, ['clone', '-q', url, dir]);
    for (let i = 0; i < 5; i++) await commitFile(dir, `f${i}`, String(i));
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);

    const shallow = join(work.path, 'shallow-1');
    await gitOk(work.path, ['clone', '-q', '--depth', '1', url, shallow]);
    expect((await gitOk(shallow, ['rev-list', '--count', 'HEAD'])).trim()).toBe('1');
    expect((await gitOk(shallow, ['rev-parse', '--is-shallow-repository'])).trim()).toBe('true');

    const v2 = await git(work.path, ['-c', 'protocol.version=2', 'clone', url, join(work.path, 'shallow-v2')], { GIT_TRACE_PACKET: '1' });
    expect(v2.code).toBe(0);
    expect(v2.stderr).toContain('version 2');
    expect(v2.stderr).toContain('ls-refs');
  });

  it('fails clearly for a repository that does not exist', async () => {
    const clone = await git(work.path, ['clone', `${server.endpoint}/v1/repos/ghost`, join(work.path, 'ghost')]);
    expect(clone.code).not.toBe(0);
    expect(clone.stderr).toContain('Repository ghost does not exist');

    const dir = join(work.path, 'pusher');
    await gitOk(work.path, ['init', '-q', dir]);
    await commitFile(dir, 'f', 'f');
    const push = await git(dir, ['push', `${server.endpoint}/v1/repos/ghost`, 'HEAD:main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/ghost.*not found|does not exist/);
  });
});
