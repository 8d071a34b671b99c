import {
  BatchDescribeMergeConflictsCommand,
  CodeCommitClient,
  CreateBranchCommand,
  CreateUnreferencedMergeCommitCommand,
  DescribeMergeConflictsCommand,
  GetBranchCommand,
  GetDifferencesCommand,
  GetFileCommand,
  GetFolderCommand,
  GetMergeCommitCommand,
  GetMergeConflictsCommand,
  GetMergeOptionsCommand,
  ListFileCommitHistoryCommand,
  MergeBranchesByFastForwardCommand,
  MergeBranchesBySquashCommand,
  MergeBranchesByThreeWayCommand,
} from '@aws-sdk/client-codecommit';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { gitOk, tempDir } from '../helpers/git.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';
import { commitFiles, createRepo } from './helpers.js';

let server: RunningServer;
let cc: CodeCommitClient;
const work = tempDir();
const repositoryName = 'long-specifiers';

beforeAll(async () => {
  server = await testServer();
  cc = codecommit(server);
  const url = await createRepo(cc, repositoryName);
  const dir = join(work.path, 'clone');
  await gitOk(work.path, ['clone', '-q', url, dir]);
  await commitFiles(dir, { 'a.txt': 'a\n' });
  await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

/** Every operation that resolves a commit specifier, called with `spec` where it names the source or only commit. */
const operations = (spec: string) => {
  const merge = { repositoryName, sourceCommitSpecifier: spec, destinationCommitSpecifier: 'main' };
  return {
    GetFile: new GetFileCommand({ repositoryName, filePath: 'a.txt', commitSpecifier: spec }),
    ListFileCommitHistory: new ListFileCommitHistoryCommand({ repositoryName, filePath: 'a.txt', commitSpecifier: spec }),
    GetDifferences: new GetDifferencesCommand({ repositoryName, afterCommitSpecifier: spec }),
    GetFolder: new GetFolderCommand({ repositoryName, folderPath: '/', commitSpecifier: spec }),
    GetMergeCommit: new GetMergeCommitCommand(merge),
    GetMergeOptions: new GetMergeOptionsCommand(merge),
    GetMergeConflicts: new GetMergeConflictsCommand({ ...merge, mergeOption: 'THREE_WAY_MERGE' }),
    DescribeMergeConflicts: new DescribeMergeConflictsCommand({ ...merge, mergeOption: 'THREE_WAY_MERGE', filePath: 'a.txt' }),
    BatchDescribeMergeConflicts: new BatchDescribeMergeConflictsCommand({ ...merge, mergeOption: 'THREE_WAY_MERGE' }),
    CreateUnreferencedMergeCommit: new CreateUnreferencedMergeCommitCommand({ ...merge, mergeOption: 'THREE_WAY_MERGE' }),
    MergeBranchesByFastForward: new MergeBranchesByFastForwardCommand(merge),
    MergeBranchesBySquash: new MergeBranchesBySquashCommand(merge),
    MergeBranchesByThreeWay: new MergeBranchesByThreeWayCommand(merge),
  };
};

describe('commit specifiers longer than a file name can be', () => {
  for (const [label, spec] of [
    ['256 characters', 'a'.repeat(256)],
    ['4,000 characters', 'b'.repeat(4000)],
    ['a long path component under a folder', `feature/${'c'.repeat(300)}`],
    ['a full ref', `refs/heads/${'d'.repeat(300)}`],
  ]) {
    it(`answer what a 255-character unknown specifier answers: ${label}`, async () => {
      for (const [name, command] of Object.entries(operations(spec))) {
        const expected = await awsError(cc.send(operations('e'.repeat(255))[name as keyof ReturnType<typeof operations>] as never));
        const actual = await awsError(cc.send(command as never));
        expect({ name, error: actual.name, status: actual.status }).toEqual({ name, error: expected.name, status: 400 });
      }
    });
  }

  it('a 256-character branch that does not exist is BranchDoesNotExistException, and one cannot be created', async () => {
    const long = 'f'.repeat(256);
    expect((await awsError(cc.send(new GetBranchCommand({ repositoryName, branchName: long })))).name).toBe('BranchDoesNotExistException');
    const main = (await cc.send(new GetBranchCommand({ repositoryName, branchName: 'main' }))).branch!.commitId!;
    const created = await awsError(cc.send(new CreateBranchCommand({ repositoryName, branchName: long, commitId: main })));
    expect(created.status).toBe(400);
  });
});
