import {
  CreateBranchCommand,
  CreateRepositoryCommand,
  DeleteBranchCommand,
  GetBranchCommand,
  GetRepositoryCommand,
  ListBranchesCommand,
  UpdateDefaultBranchCommand,
} from '@aws-sdk/client-codecommit';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';

let server: RunningServer;
const work = tempDir();
let first: string;
let second: string;
const repositoryName = 'branches';

beforeAll(async () => {
  server = await testServer();
  const { repositoryMetadata } = await codecommit(server).send(new CreateRepositoryCommand({ repositoryName }));
  const dir = join(work.path, 'clone');
  await gitOk(work.path, ['clone', '-q', repositoryMetadata!.cloneUrlHttp!, dir]);
  first = await commitFile(dir, 'a', 'a');
  second = await commitFile(dir, 'b', 'b');
  await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

describe('CodeCommit branches', () => {
  it('creates a branch at a commit and reads it back, through the API and git', async () => {
    const cc = codecommit(server);
    await cc.send(new CreateBranchCommand({ repositoryName, branchName: 'release/1', commitId: first }));
    expect((await cc.send(new GetBranchCommand({ repositoryName, branchName: 'release/1' }))).branch).toEqual({
      branchName: 'release/1',
      commitId: first,
    });
    const { cloneUrlHttp } = (await cc.send(new GetRepositoryCommand({ repositoryName }))).repositoryMetadata!;
    expect(await gitOk(work.path, ['ls-remote', cloneUrlHttp!, 'refs/heads/release/1'])).toContain(first);
    expect((await cc.send(new ListBranchesCommand({ repositoryName }))).branches).toEqual(['main', 'release/1']);
  });

  it('refuses bad branch requests with CodeCommit’s exceptions and changes nothing', async () => {
    const cc = codecommit(server);
    const fail = async (input: object) => (await awsError(cc.send(new CreateBranchCommand({ repositoryName, ...input } as never)))).name;
    expect(await fail({ branchName: 'main', commitId: second })).toBe('BranchNameExistsException');
    expect(await fail({ branchName: 'x', commitId: 'f'.repeat(40) })).toBe('CommitDoesNotExistException');
    expect(await fail({ branchName: 'x', commitId: 'not-a-commit' })).toBe('InvalidCommitIdException');
    expect(await fail({ branchName: 'bad..name', commitId: second })).toBe('InvalidBranchNameException');
    expect(await fail({ commitId: second })).toBe('BranchNameRequiredException');
    expect(await fail({ branchName: 'y' })).toBe('CommitIdRequiredException');
    expect((await awsError(cc.send(new CreateBranchCommand({ repositoryName: 'nope', branchName: 'x', commitId: second })))).name).toBe(
      'RepositoryDoesNotExistException',
    );
    expect((await awsError(cc.send(new GetBranchCommand({ repositoryName, branchName: 'absent' })))).name).toBe('BranchDoesNotExistException');
    expect((await cc.send(new ListBranchesCommand({ repositoryName }))).branches).not.toContain('x');
  });

  it('changes the default branch and protects it from deletion', async () => {
    const cc = codecommit(server);
    await cc.send(new CreateBranchCommand({ repositoryName, branchName: 'develop', commitId: second }));
    await cc.send(new UpdateDefaultBranchCommand({ repositoryName, defaultBranchName: 'develop' }));
    expect((await cc.send(new GetRepositoryCommand({ repositoryName }))).repositoryMetadata?.defaultBranch).toBe('develop');
    expect((await awsError(cc.send(new DeleteBranchCommand({ repositoryName, branchName: 'develop' })))).name).toBe(
      'DefaultBranchCannotBeDeletedException',
    );
    expect((await awsError(cc.send(new UpdateDefaultBranchCommand({ repositoryName, defaultBranchName: 'ghost' })))).name).toBe(
      'BranchDoesNotExistException',
    );
    const clone = join(work.path, 'default-clone');
    const { cloneUrlHttp } = (await cc.send(new GetRepositoryCommand({ repositoryName }))).repositoryMetadata!;
    await gitOk(work.path, ['clone', '-q', cloneUrlHttp!, clone]);
    expect((await gitOk(clone, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim()).toBe('develop');
  });

  it('deletes a branch once, then answers without deletedBranch', async () => {
    const cc = codecommit(server);
    await cc.send(new CreateBranchCommand({ repositoryName, branchName: 'temp', commitId: first }));
    expect((await cc.send(new DeleteBranchCommand({ repositoryName, branchName: 'temp' }))).deletedBranch).toEqual({
      branchName: 'temp',
      commitId: first,
    });
    expect((await cc.send(new DeleteBranchCommand({ repositoryName, branchName: 'temp' }))).deletedBranch).toBeUndefined();
    expect((await awsError(cc.send(new GetBranchCommand({ repositoryName, branchName: 'temp' })))).name).toBe('BranchDoesNotExistException');
  });

  it('answers a name no branch can have (a part over 255 bytes) as a missing branch', async () => {
    const cc = codecommit(server);
    for (const branchName of ['x'.repeat(256), `a/${'é'.repeat(200)}`]) {
      expect((await cc.send(new DeleteBranchCommand({ repositoryName, branchName }))).deletedBranch).toBeUndefined();
      expect((await awsError(cc.send(new GetBranchCommand({ repositoryName, branchName })))).name).toBe('BranchDoesNotExistException');
    }
  });

  it('pages branch listings with nextToken', async () => {
    const cc = codecommit(server);
    for (let i = 0; i < 105; i++) {
      await cc.send(new CreateBranchCommand({ repositoryName, branchName: `bulk/${String(i).padStart(3, '0')}`, commitId: first }));
    }
    const page1 = await cc.send(new ListBranchesCommand({ repositoryName }));
    expect(page1.branches).toHaveLength(100);
    expect(page1.nextToken).toBeDefined();
    const page2 = await cc.send(new ListBranchesCommand({ repositoryName, nextToken: page1.nextToken }));
    expect(page2.nextToken).toBeUndefined();
    const all = [...page1.branches!, ...page2.branches!];
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((b) => b.startsWith('bulk/'))).toHaveLength(105);
  });
});
