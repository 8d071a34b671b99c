import {
  CreateBranchCommand,
  DeleteFileCommand,
  GetBlobCommand,
  GetFileCommand,
  GetFolderCommand,
  GetRepositoryCommand,
  PutFileCommand,
} from '@aws-sdk/client-codecommit';
import { existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/core/events.js';
import type { RunningServer } from '../../src/server.js';
import { gitOk, tempDir } from '../helpers/git.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';
import { commitFiles, createRepo, str, text, tip } from './helpers.js';

let server: RunningServer;
const work = tempDir();
const events: BusEvent[] = [];
const repositoryName = 'files';
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

describe('PutFile', () => {
  it('starts an empty repository, and the file shows up in a git clone', async () => {
    const cc = codecommit(server);
    const put = await cc.send(
      new PutFileCommand({
        repositoryName,
        branchName: 'main',
        filePath: '/docs/README.md',
        fileContent: text('# Hello\n'),
        commitMessage: 'Add the readme',
        name: 'Mary Major',
        email: 'mary@example.com',
      }),
    );
    expect(put.commitId).toMatch(/^[0-9a-f]{40}$/);
    expect((await cc.send(new GetRepositoryCommand({ repositoryName }))).repositoryMetadata?.defaultBranch).toBe('main');
    expect(events.find((e) => e.detail.repositoryName === repositoryName)).toMatchObject({
      'detail-type': 'CodeCommit Repository State Change',
      detail: { event: 'referenceCreated', referenceFullName: 'refs/heads/main', commitId: put.commitId },
    });

    const clone = join(work.path, 'clone');
    await gitOk(work.path, ['clone', '-q', url, clone]);
    expect(readFileSync(join(clone, 'docs/README.md'), 'utf8')).toBe('# Hello\n');
    expect((await gitOk(clone, ['log', '-1', '--format=%H|%an|%ae|%s'])).trim()).toBe(`${put.commitId}|Mary Major|mary@example.com|Add the readme`);
    expect((await gitOk(clone, ['rev-parse', 'HEAD^{tree}'])).trim()).toBe(put.treeId);
    expect((await gitOk(clone, ['rev-parse', 'HEAD:docs/README.md'])).trim()).toBe(put.blobId);
    await gitOk(clone, ['fsck', '--strict']);
  });

  it('updates a file on the tip it was given, with modes, and refuses stale or missing parents', async () => {
    const cc = codecommit(server);
    const parent = await tip(cc, repositoryName, 'main');
    const fail = async (input: object) =>
      (await awsError(cc.send(new PutFileCommand({ repositoryName, branchName: 'main', filePath: 'x.txt', fileContent: text('x'), ...input } as never)))).name;
    expect(await fail({})).toBe('ParentCommitIdRequiredException');
    expect(await fail({ parentCommitId: 'nope' })).toBe('InvalidParentCommitIdException');
    expect(await fail({ parentCommitId: 'a'.repeat(40) })).toBe('ParentCommitDoesNotExistException');
    expect(await fail({ parentCommitId: parent, branchName: 'ghost' })).toBe('BranchDoesNotExistException');
    expect(await fail({ parentCommitId: parent, filePath: 'docs/README.md', fileContent: text('# Hello\n') })).toBe('SameFileContentException');
    expect(await fail({ parentCommitId: parent, fileMode: 'BOGUS' })).toBe('InvalidFileModeException');
    expect(await fail({ parentCommitId: parent, fileContent: new Uint8Array() })).toBe('FileContentRequiredException');
    expect(await fail({ parentCommitId: parent, fileContent: Buffer.alloc(6 * 1024 * 1024 + 1, 'a') })).toBe('FileContentSizeLimitExceededException');
    expect(await fail({ parentCommitId: parent, filePath: 'docs' })).toBe('FileNameConflictsWithDirectoryNameException');
    expect(await fail({ parentCommitId: parent, filePath: 'docs/README.md/inner' })).toBe('DirectoryNameConflictsWithFileNameException');
    expect(await fail({ parentCommitId: parent, email: 'not <an> email' })).toBe('InvalidEmailException');
    expect(await fail({ parentCommitId: parent, commitMessage: 'm'.repeat(256 * 1024 + 1) })).toBe('CommitMessageLengthExceededException');
    expect(await tip(cc, repositoryName, 'main')).toBe(parent);

    const script = await cc.send(
      new PutFileCommand({ repositoryName, branchName: 'main', parentCommitId: parent, filePath: 'bin/run.sh', fileContent: text('#!/bin/sh\necho hi\n'), fileMode: 'EXECUTABLE' }),
    );
    const link = await cc.send(
      new PutFileCommand({ repositoryName, branchName: 'main', parentCommitId: script.commitId, filePath: 'bin/run', fileContent: text('run.sh'), fileMode: 'SYMLINK' }),
    );
    expect(await fail({ parentCommitId: parent })).toBe('ParentCommitIdOutdatedException');
    // Only the mode changes: a change all the same.
    const chmod = await cc.send(
      new PutFileCommand({ repositoryName, branchName: 'main', parentCommitId: link.commitId, filePath: 'bin/run.sh', fileContent: text('#!/bin/sh\necho hi\n'), fileMode: 'NORMAL' }),
    );
    const file = await cc.send(new GetFileCommand({ repositoryName, filePath: 'bin/run.sh', commitSpecifier: script.commitId }));
    expect(file).toMatchObject({ commitId: script.commitId, blobId: script.blobId, filePath: 'bin/run.sh', fileMode: 'EXECUTABLE', fileSize: 18 });
    expect((await cc.send(new GetFileCommand({ repositoryName, filePath: 'bin/run.sh' }))).fileMode).toBe('NORMAL');
    expect(await cc.send(new GetFileCommand({ repositoryName, filePath: '/bin/run' }))).toMatchObject({ fileMode: 'SYMLINK', commitId: chmod.commitId });

    const clone = join(work.path, 'modes');
    await gitOk(work.path, ['clone', '-q', url, clone]);
    expect(readlinkSync(join(clone, 'bin/run'))).toBe('run.sh');
    await gitOk(clone, ['checkout', '-q', script.commitId!]);
    expect(statSync(join(clone, 'bin/run.sh')).mode & 0o111).not.toBe(0);
  });

  it('never lets a path leave the tree or reach .git', async () => {
    const cc = codecommit(server);
    const parentCommitId = await tip(cc, repositoryName, 'main');
    for (const filePath of ['../escape', 'a/../../b', './a', 'a//b', '.git/config', 'x/.GIT/hooks/post-update', '.git./x', 'git~1/config', 'a\0b', '/', '']) {
      const err = await awsError(cc.send(new PutFileCommand({ repositoryName, branchName: 'main', parentCommitId, filePath, fileContent: text('x') })));
      expect([filePath, err.name]).toEqual([filePath, filePath === '' ? 'PathRequiredException' : 'InvalidPathException']);
    }
    expect(await tip(cc, repositoryName, 'main')).toBe(parentCommitId);
    // A name that merely starts like .git is an ordinary file.
    const ok = await cc.send(new PutFileCommand({ repositoryName, branchName: 'main', parentCommitId, filePath: '.gitignore', fileContent: text('dist\n') }));
    expect(ok.commitId).toBeDefined();
  });

  it('refuses a branch that is really a tag, and an invalid branch name', async () => {
    const cc = codecommit(server);
    const clone = join(work.path, 'tags');
    await gitOk(work.path, ['clone', '-q', url, clone]);
    await gitOk(clone, ['tag', 'v1']);
    await gitOk(clone, ['push', '-q', 'origin', 'v1']);
    const parentCommitId = await tip(cc, repositoryName, 'main');
    const put = (branchName: string) => cc.send(new PutFileCommand({ repositoryName, branchName, parentCommitId, filePath: 'y', fileContent: text('y') }));
    expect((await awsError(put('v1'))).name).toBe('BranchNameIsTagNameException');
    expect((await awsError(put('bad..name'))).name).toBe('InvalidBranchNameException');
  });
});

describe('reading files and folders', () => {
  it('reads what git pushed, by branch, commit, tag, full ref and HEAD', async () => {
    const cc = codecommit(server);
    const clone = join(work.path, 'pusher');
    await gitOk(work.path, ['clone', '-q', url, clone]);
    await gitOk(clone, ['checkout', '-q', '-b', 'feature']);
    const commit = await commitFiles(clone, { 'src/app.js': 'console.log(1);\n', 'src/lib/util.js': 'export {};\n', 'logo.bin': '\0\x01\x02' }, 'pushed');
    await gitOk(clone, ['update-index', '--add', '--cacheinfo', `160000,${commit},vendor/mod`]);
    await gitOk(clone, ['commit', '-q', '-m', 'submodule']);
    await gitOk(clone, ['tag', '-a', '-m', 'annotated', 'v2']);
    await gitOk(clone, ['push', '-q', 'origin', 'feature', 'v2']);
    const head = (await gitOk(clone, ['rev-parse', 'HEAD'])).trim();

    for (const commitSpecifier of ['feature', commit, 'v2', 'refs/heads/feature', 'refs/tags/v2']) {
      const file = await cc.send(new GetFileCommand({ repositoryName, commitSpecifier, filePath: 'src/app.js' }));
      expect(str(file.fileContent)).toBe('console.log(1);\n');
      expect(file.blobId).toBe((await gitOk(clone, ['rev-parse', `${commit}:src/app.js`])).trim());
    }
    expect((await cc.send(new GetFileCommand({ repositoryName, commitSpecifier: 'v2', filePath: 'src/app.js' }))).commitId).toBe(head);
    expect((await cc.send(new GetFileCommand({ repositoryName, commitSpecifier: 'HEAD', filePath: '.gitignore' }))).fileSize).toBe(5);

    const root = await cc.send(new GetFolderCommand({ repositoryName, commitSpecifier: 'feature', folderPath: '/' }));
    expect(root.commitId).toBe(head);
    expect(root.treeId).toBe((await gitOk(clone, ['rev-parse', 'HEAD^{tree}'])).trim());
    expect(root.folderPath).toBe('');
    expect(root.subFolders!.map((f) => f.absolutePath).sort()).toEqual(['bin', 'docs', 'src', 'vendor']);
    expect(root.files!.map((f) => f.relativePath)).toContain('logo.bin');
    const src = await cc.send(new GetFolderCommand({ repositoryName, commitSpecifier: 'feature', folderPath: 'src/' }));
    expect(src.files).toEqual([{ absolutePath: 'src/app.js', relativePath: 'app.js', blobId: expect.stringMatching(/^[0-9a-f]{40}$/), fileMode: 'NORMAL' }]);
    expect(src.subFolders).toEqual([{ absolutePath: 'src/lib', relativePath: 'lib', treeId: (await gitOk(clone, ['rev-parse', 'HEAD:src/lib'])).trim() }]);
    const bin = await cc.send(new GetFolderCommand({ repositoryName, commitSpecifier: 'feature', folderPath: 'bin' }));
    expect(bin.symbolicLinks).toEqual([{ absolutePath: 'bin/run', relativePath: 'run', blobId: expect.any(String), fileMode: 'SYMLINK' }]);
    const vendor = await cc.send(new GetFolderCommand({ repositoryName, commitSpecifier: 'feature', folderPath: 'vendor' }));
    expect(vendor.subModules).toEqual([{ absolutePath: 'vendor/mod', relativePath: 'mod', commitId: commit }]);

    const logo = await cc.send(new GetFileCommand({ repositoryName, commitSpecifier: 'feature', filePath: 'logo.bin' }));
    expect(Buffer.from(logo.fileContent!)).toEqual(Buffer.from('\0\x01\x02', 'latin1'));
    const blob = await cc.send(new GetBlobCommand({ repositoryName, blobId: logo.blobId }));
    expect(Buffer.from(blob.content!)).toEqual(Buffer.from('\0\x01\x02', 'latin1'));
  });

  it('answers bad reads with CodeCommit’s exceptions', async () => {
    const cc = codecommit(server);
    const err = async (p: Promise<unknown>) => (await awsError(p)).name;
    expect(await err(cc.send(new GetFileCommand({ repositoryName, filePath: 'nope.txt' })))).toBe('FileDoesNotExistException');
    expect(await err(cc.send(new GetFileCommand({ repositoryName, filePath: 'docs' })))).toBe('FileDoesNotExistException');
    expect(await err(cc.send(new GetFileCommand({ repositoryName, filePath: 'a', commitSpecifier: 'no-such-branch' })))).toBe('CommitDoesNotExistException');
    expect(await err(cc.send(new GetFileCommand({ repositoryName, filePath: 'a', commitSpecifier: 'bad..ref' })))).toBe('InvalidCommitException');
    expect(await err(cc.send(new GetFileCommand({ repositoryName, filePath: '../a' })))).toBe('InvalidPathException');
    expect(await err(cc.send(new GetFileCommand({ repositoryName: 'ghost', filePath: 'a' })))).toBe('RepositoryDoesNotExistException');
    expect(await err(cc.send(new GetFileCommand({ repositoryName } as never)))).toBe('PathRequiredException');
    expect(await err(cc.send(new GetFolderCommand({ repositoryName, folderPath: 'docs/README.md' })))).toBe('FolderDoesNotExistException');
    expect(await err(cc.send(new GetFolderCommand({ repositoryName, folderPath: 'nowhere' })))).toBe('FolderDoesNotExistException');
    expect(await err(cc.send(new GetBlobCommand({ repositoryName, blobId: 'xyz' })))).toBe('InvalidBlobIdException');
    expect(await err(cc.send(new GetBlobCommand({ repositoryName, blobId: 'b'.repeat(40) })))).toBe('BlobIdDoesNotExistException');
    expect(await err(cc.send(new GetBlobCommand({ repositoryName, blobId: await tip(cc, repositoryName, 'main') })))).toBe('BlobIdDoesNotExistException');
    expect(await err(cc.send(new GetBlobCommand({ repositoryName } as never)))).toBe('BlobIdRequiredException');

    const empty = 'empty-files';
    await createRepo(cc, empty);
    expect(await err(cc.send(new GetFileCommand({ repositoryName: empty, filePath: 'a' })))).toBe('CommitDoesNotExistException');
  });
});

describe('DeleteFile', () => {
  it('deletes a file, removing or keeping the folders it leaves empty', async () => {
    const cc = codecommit(server);
    await cc.send(new CreateBranchCommand({ repositoryName, branchName: 'cleanup', commitId: await tip(cc, repositoryName, 'main') }));
    let parentCommitId = await tip(cc, repositoryName, 'cleanup');
    const nested = await cc.send(
      new PutFileCommand({ repositoryName, branchName: 'cleanup', parentCommitId, filePath: 'a/b/c/leaf.txt', fileContent: text('leaf\n') }),
    );
    parentCommitId = nested.commitId!;
    const kept = await cc.send(new DeleteFileCommand({ repositoryName, branchName: 'cleanup', parentCommitId, filePath: 'a/b/c/leaf.txt', keepEmptyFolders: true }));
    expect(kept).toMatchObject({ blobId: nested.blobId, filePath: 'a/b/c/leaf.txt' });
    const gitkeep = await cc.send(new GetFileCommand({ repositoryName, commitSpecifier: 'cleanup', filePath: 'a/b/c/.gitkeep' }));
    expect(gitkeep.fileSize).toBe(0);

    const gone = await cc.send(
      new DeleteFileCommand({ repositoryName, branchName: 'cleanup', parentCommitId: kept.commitId, filePath: 'a/b/c/.gitkeep', commitMessage: 'tidy' }),
    );
    expect((await awsError(cc.send(new GetFolderCommand({ repositoryName, commitSpecifier: 'cleanup', folderPath: 'a' })))).name).toBe('FolderDoesNotExistException');

    const err = async (input: object) =>
      (await awsError(cc.send(new DeleteFileCommand({ repositoryName, branchName: 'cleanup', filePath: 'docs/README.md', parentCommitId: gone.commitId, ...input } as never)))).name;
    expect(await err({ filePath: 'missing.txt' })).toBe('FileDoesNotExistException');
    expect(await err({ filePath: 'docs' })).toBe('FileDoesNotExistException');
    expect(await err({ parentCommitId: parentCommitId })).toBe('ParentCommitIdOutdatedException');
    expect(await err({ branchName: 'ghost' })).toBe('BranchDoesNotExistException');
    expect(await err({ parentCommitId: undefined })).toBe('ParentCommitIdRequiredException');

    const clone = join(work.path, 'deleted');
    await gitOk(work.path, ['clone', '-q', '-b', 'cleanup', url, clone]);
    expect((await gitOk(clone, ['log', '-1', '--format=%s'])).trim()).toBe('tidy');
    expect(existsSync(join(clone, 'a'))).toBe(false);
  });
});
