import {
  BatchGetCommitsCommand,
  CreateCommitCommand,
  GetCommitCommand,
  GetFileCommand,
  ListFileCommitHistoryCommand,
  PutFileCommand,
} from '@aws-sdk/client-codecommit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/core/events.js';
import type { RunningServer } from '../../src/server.js';
import { gitOk, tempDir } from '../helpers/git.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';
import { commitFiles, createRepo, lsTree, str, text, tip } from './helpers.js';

let server: RunningServer;
const work = tempDir();
const events: BusEvent[] = [];
const repositoryName = 'commits';
let url: string;

beforeAll(async () => {
  server = await testServer();
  server.events.subscribe((e) => events.push(e));
  url = await createRepo(codecommit(server), repositoryName);
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

describe('CreateCommit', () => {
  it('makes the first commit of an empty repository without a parent', async () => {
    const cc = codecommit(server);
    const first = await cc.send(
      new CreateCommitCommand({
        repositoryName,
        branchName: 'main',
        authorName: 'Li Juan',
        email: 'li@example.com',
        commitMessage: 'Initial import',
        putFiles: [
          { filePath: 'readme.md', fileContent: text('Welcome\n') },
          { filePath: 'src/a.txt', fileContent: text('a\n') },
          { filePath: 'src/b.txt', fileContent: text('b\n') },
          { filePath: 'tools/build.sh', fileContent: text('#!/bin/sh\n'), fileMode: 'EXECUTABLE' },
        ],
      }),
    );
    expect(first.filesAdded!.map((f) => f.absolutePath)).toEqual(['readme.md', 'src/a.txt', 'src/b.txt', 'tools/build.sh']);
    expect(first.filesAdded![3].fileMode).toBe('EXECUTABLE');
    expect(first.filesUpdated).toEqual([]);
    expect(first.filesDeleted).toEqual([]);
    const { commit } = await cc.send(new GetCommitCommand({ repositoryName, commitId: first.commitId }));
    expect(commit).toMatchObject({
      commitId: first.commitId,
      treeId: first.treeId,
      parents: [],
      message: 'Initial import',
      author: { name: 'Li Juan', email: 'li@example.com', date: expect.stringMatching(/^\d+ \+0000$/) },
      committer: { name: 'Li Juan', email: 'li@example.com' },
      additionalData: '',
    });
  });

  it('puts, copies, moves, deletes and changes modes in one commit that git sees', async () => {
    const cc = codecommit(server);
    const parentCommitId = await tip(cc, repositoryName, 'main');
    const made = await cc.send(
      new CreateCommitCommand({
        repositoryName,
        branchName: 'main',
        parentCommitId,
        putFiles: [
          { filePath: 'readme.md', fileContent: text('Welcome, team\n') },
          { filePath: 'docs/a-copy.txt', sourceFile: { filePath: 'src/a.txt' } },
          { filePath: 'lib/b.txt', sourceFile: { filePath: 'src/b.txt', isMove: true } },
        ],
        deleteFiles: [{ filePath: 'tools/build.sh' }],
        setFileModes: [{ filePath: 'src/a.txt', fileMode: 'EXECUTABLE' }],
      }),
    );
    expect(made.filesAdded!.map((f) => f.absolutePath)).toEqual(['docs/a-copy.txt', 'lib/b.txt']);
    expect(made.filesUpdated!.map((f) => [f.absolutePath, f.fileMode])).toEqual([
      ['readme.md', 'NORMAL'],
      ['src/a.txt', 'EXECUTABLE'],
    ]);
    expect(made.filesDeleted!.map((f) => f.absolutePath)).toEqual(['tools/build.sh', 'src/b.txt']);
    const { commit } = await cc.send(new GetCommitCommand({ repositoryName, commitId: made.commitId }));
    // No name given: CodeCommit uses the caller's ARN; no email: left blank.
    expect(commit?.author).toMatchObject({ name: 'arn:aws:iam::000000000000:root', email: '' });
    expect(commit?.parents).toEqual([parentCommitId]);

    const clone = join(work.path, 'clone');
    await gitOk(work.path, ['clone', '-q', url, clone]);
    expect(await lsTree(clone, 'HEAD')).toBe(
      [
        `100644 blob ${made.filesAdded![0].blobId}\tdocs/a-copy.txt`,
        `100644 blob ${made.filesAdded![1].blobId}\tlib/b.txt`,
        `100644 blob ${made.filesUpdated![0].blobId}\treadme.md`,
        `100755 blob ${made.filesUpdated![1].blobId}\tsrc/a.txt`,
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(clone, 'readme.md'), 'utf8')).toBe('Welcome, team\n');
    await gitOk(clone, ['fsck', '--strict']);
    expect(events.filter((e) => e.detail.repositoryName === repositoryName).map((e) => e.detail.event)).toEqual(['referenceCreated', 'referenceUpdated']);
  });

  it('refuses every malformed or impossible change and leaves the branch alone', async () => {
    const cc = codecommit(server);
    const parentCommitId = await tip(cc, repositoryName, 'main');
    const fail = async (input: object) =>
      (await awsError(cc.send(new CreateCommitCommand({ repositoryName, branchName: 'main', parentCommitId, ...input } as never)))).name;
    const put = (filePath: string, content = 'x') => ({ filePath, fileContent: text(content) });
    expect(await fail({})).toBe('FileEntryRequiredException');
    expect(await fail({ parentCommitId: undefined, putFiles: [put('n')] })).toBe('ParentCommitIdRequiredException');
    expect(await fail({ putFiles: [{ filePath: 'n' }] })).toBe('SourceFileOrContentRequiredException');
    expect(await fail({ putFiles: [{ filePath: 'n', fileContent: text('x'), sourceFile: { filePath: 'readme.md' } }] })).toBe(
      'FileContentAndSourceFileSpecifiedException',
    );
    expect(await fail({ putFiles: [put('n'), put('n')] })).toBe('SamePathRequestException');
    expect(await fail({ putFiles: [put('n')], deleteFiles: [{ filePath: 'n' }] })).toBe('SamePathRequestException');
    expect(await fail({ putFiles: [{ filePath: 'z', sourceFile: { filePath: 'readme.md', isMove: true } }], deleteFiles: [{ filePath: 'readme.md' }] })).toBe(
      'SamePathRequestException',
    );
    expect(await fail({ putFiles: [put('p'), put('p/q')] })).toBe('PutFileEntryConflictException');
    expect(await fail({ putFiles: [put('readme.md/inner')] })).toBe('DirectoryNameConflictsWithFileNameException');
    expect(await fail({ putFiles: [put('lib')] })).toBe('FileNameConflictsWithDirectoryNameException');
    expect(await fail({ deleteFiles: [{ filePath: 'nothing' }] })).toBe('FileDoesNotExistException');
    expect(await fail({ putFiles: [{ filePath: 'n', sourceFile: { filePath: 'nothing' } }] })).toBe('FileDoesNotExistException');
    expect(await fail({ setFileModes: [{ filePath: 'nothing', fileMode: 'NORMAL' }] })).toBe('FileDoesNotExistException');
    expect(await fail({ setFileModes: [{ filePath: 'readme.md' }] })).toBe('FileModeRequiredException');
    expect(await fail({ putFiles: [{ filePath: 'k', sourceFile: { filePath: 'x/.gitkeep' } }] })).toBe('RestrictedSourceFileException');
    expect(await fail({ putFiles: [put('../../etc/passwd')] })).toBe('InvalidPathException');
    expect(await fail({ putFiles: [put('.git/hooks/pre-receive')] })).toBe('InvalidPathException');
    expect(await fail({ putFiles: [put('readme.md', 'Welcome, team\n')] })).toBe('NoChangeException');
    expect(await fail({ putFiles: Array.from({ length: 101 }, (_, i) => put(`f${i}`)) })).toBe('MaximumFileEntriesExceededException');
    expect(
      await fail({ putFiles: [put('big1', 'a'.repeat(4 * 1024 * 1024)), put('big2', 'b'.repeat(4 * 1024 * 1024))] }),
    ).toBe('FileContentSizeLimitExceededException');
    expect(await fail({ branchName: 'ghost', putFiles: [put('n')] })).toBe('BranchDoesNotExistException');
    expect(await fail({ parentCommitId: 'c'.repeat(40), putFiles: [put('n')] })).toBe('ParentCommitDoesNotExistException');
    expect(await tip(cc, repositoryName, 'main')).toBe(parentCommitId);
  });
});

describe('commits', () => {
  it('gets one commit or many, reporting the ones it cannot find', async () => {
    const cc = codecommit(server);
    const head = await tip(cc, repositoryName, 'main');
    const err = async (p: Promise<unknown>) => (await awsError(p)).name;
    expect(await err(cc.send(new GetCommitCommand({ repositoryName, commitId: 'abc' })))).toBe('InvalidCommitIdException');
    expect(await err(cc.send(new GetCommitCommand({ repositoryName, commitId: 'd'.repeat(40) })))).toBe('CommitIdDoesNotExistException');
    expect(await err(cc.send(new GetCommitCommand({ repositoryName } as never)))).toBe('CommitIdRequiredException');

    const batch = await cc.send(new BatchGetCommitsCommand({ repositoryName, commitIds: [head, 'd'.repeat(40), 'short'] }));
    expect(batch.commits!.map((c) => c.commitId)).toEqual([head]);
    expect(batch.errors).toEqual([
      { commitId: 'd'.repeat(40), errorCode: 'CommitIdDoesNotExistException', errorMessage: 'The specified commit ID does not exist.' },
      { commitId: 'short', errorCode: 'InvalidCommitIdException', errorMessage: 'The specified commit ID is not valid.' },
    ]);
    expect(await err(cc.send(new BatchGetCommitsCommand({ repositoryName, commitIds: [] })))).toBe('CommitIdsListRequiredException');
    expect(await err(cc.send(new BatchGetCommitsCommand({ repositoryName, commitIds: Array(101).fill(head) })))).toBe('CommitIdsLimitExceededException');
  });

  it('lists the history of a file across git pushes and API commits, with its DAG', async () => {
    const cc = codecommit(server);
    const clone = join(work.path, 'history');
    await gitOk(work.path, ['clone', '-q', url, clone]);
    const v1 = await commitFiles(clone, { 'notes.txt': 'one\n' }, 'v1');
    await commitFiles(clone, { 'other.txt': 'unrelated\n' }, 'unrelated');
    const v2 = await commitFiles(clone, { 'notes.txt': 'one\ntwo\n' }, 'v2');
    await gitOk(clone, ['checkout', '-q', '-b', 'side', v1]);
    const side = await commitFiles(clone, { 'notes.txt': 'zero\none\n' }, 'side');
    await gitOk(clone, ['checkout', '-q', 'main']);
    await gitOk(clone, ['merge', '-q', '--no-edit', 'side']);
    const merge = (await gitOk(clone, ['rev-parse', 'HEAD'])).trim();
    await gitOk(clone, ['push', '-q', 'origin', 'main']);
    const api = await cc.send(
      new PutFileCommand({ repositoryName, branchName: 'main', parentCommitId: merge, filePath: 'notes.txt', fileContent: text('zero\none\ntwo\nthree\n') }),
    );

    const { revisionDag } = await cc.send(new ListFileCommitHistoryCommand({ repositoryName, filePath: 'notes.txt' }));
    const ids = revisionDag!.map((v) => v.commit!.commitId);
    expect(ids).toEqual([api.commitId, merge, expect.anything(), expect.anything(), v1]);
    expect(new Set(ids.slice(2, 4))).toEqual(new Set([v2, side]));
    const byId = new Map(revisionDag!.map((v) => [v.commit!.commitId, v]));
    expect(byId.get(api.commitId!)!.revisionChildren).toEqual([]);
    expect(byId.get(merge)!.revisionChildren).toEqual([api.commitId]);
    expect(byId.get(v2)!.revisionChildren).toEqual([merge]);
    expect(byId.get(v1)!.revisionChildren!.sort()).toEqual([v2, side].sort());
    expect(byId.get(v1)).toMatchObject({ path: 'notes.txt', blobId: (await gitOk(clone, ['rev-parse', `${v1}:notes.txt`])).trim() });
    const gitLog = (await gitOk(clone, ['log', '--format=%H', 'origin/main', '--', 'notes.txt'])).trim().split('\n');
    expect(new Set(ids.slice(1))).toEqual(new Set(gitLog));

    const first = await cc.send(new ListFileCommitHistoryCommand({ repositoryName, filePath: 'notes.txt', maxResults: 2 }));
    expect(first.revisionDag!.map((v) => v.commit!.commitId)).toEqual(ids.slice(0, 2));
    const second = await cc.send(new ListFileCommitHistoryCommand({ repositoryName, filePath: 'notes.txt', maxResults: 2, nextToken: first.nextToken }));
    expect(second.revisionDag!.map((v) => v.commit!.commitId)).toEqual(ids.slice(2, 4));
    const third = await cc.send(new ListFileCommitHistoryCommand({ repositoryName, filePath: 'notes.txt', maxResults: 2, nextToken: second.nextToken }));
    expect(third.revisionDag!.map((v) => v.commit!.commitId)).toEqual(ids.slice(4));
    expect(third.nextToken).toBeUndefined();
    expect((await cc.send(new ListFileCommitHistoryCommand({ repositoryName, filePath: 'notes.txt', commitSpecifier: v2 }))).revisionDag!.length).toBe(2);

    const err = async (input: object) => (await awsError(cc.send(new ListFileCommitHistoryCommand({ repositoryName, filePath: 'notes.txt', ...input })))).name;
    expect(await err({ maxResults: 0 })).toBe('InvalidMaxResultsException');
    expect(await err({ nextToken: 'garbage!' })).toBe('InvalidContinuationTokenException');
    expect(await err({ commitSpecifier: 'nope' })).toBe('CommitDoesNotExistException');
  });
});

describe('writes racing a push', () => {
  it('loses cleanly to a push that moved the branch, and one of two racing API writes wins', async () => {
    const cc = codecommit(server);
    const clone = join(work.path, 'racer');
    await gitOk(work.path, ['clone', '-q', url, clone]);
    const seen = await tip(cc, repositoryName, 'main');
    const pushed = await commitFiles(clone, { 'race.txt': 'pushed\n' }, 'pushed first');
    await gitOk(clone, ['push', '-q', 'origin', 'main']);
    const late = await awsError(
      cc.send(new PutFileCommand({ repositoryName, branchName: 'main', parentCommitId: seen, filePath: 'race.txt', fileContent: text('api\n') })),
    );
    expect(late.name).toBe('ParentCommitIdOutdatedException');
    expect(await tip(cc, repositoryName, 'main')).toBe(pushed);

    const attempts = await Promise.allSettled(
      ['one', 'two', 'three'].map((n) =>
        cc.send(new PutFileCommand({ repositoryName, branchName: 'main', parentCommitId: pushed, filePath: 'race.txt', fileContent: text(`${n}\n`) })),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of attempts.filter((a) => a.status === 'rejected')) expect((lost as PromiseRejectedResult).reason.name).toBe('ParentCommitIdOutdatedException');
    const winner = (won[0] as PromiseFulfilledResult<{ commitId?: string }>).value.commitId;
    expect(await tip(cc, repositoryName, 'main')).toBe(winner);
    expect(str((await cc.send(new GetFileCommand({ repositoryName, filePath: 'race.txt' }))).fileContent)).toMatch(/^(one|two|three)\n$/);
    await gitOk(clone, ['pull', '-q', '--ff-only']);
    expect((await gitOk(clone, ['rev-parse', 'HEAD'])).trim()).toBe(winner);
  });
});
