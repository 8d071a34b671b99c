import {
  BatchDescribeMergeConflictsCommand,
  CodeCommitClient,
  CreateUnreferencedMergeCommitCommand,
  DescribeMergeConflictsCommand,
  GetCommitCommand,
  GetFileCommand,
  GetFolderCommand,
  GetMergeCommitCommand,
  GetMergeConflictsCommand,
  GetMergeOptionsCommand,
  MergeBranchesByFastForwardCommand,
  MergeBranchesBySquashCommand,
  MergeBranchesByThreeWayCommand,
} from '@aws-sdk/client-codecommit';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { git, gitOk, tempDir } from '../helpers/git.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';
import { commitFiles, createRepo, str, text, tip } from './helpers.js';

let server: RunningServer;
let cc: CodeCommitClient;
const work = tempDir();
const repositoryName = 'merges';
let clone: string;
const ids: Record<string, string> = {};

const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => `${change[i + 1] ?? `line ${i + 1}`}\n`).join('');

/**
 * One history with a branch per scenario, all grown from the same base commit:
 * feature / main diverge cleanly at line level; left / right conflict in g.txt;
 * md-left / md-right conflict in ways no line merge can settle.
 */
beforeAll(async () => {
  server = await testServer();
  cc = codecommit(server);
  const url = await createRepo(cc, repositoryName);
  clone = join(work.path, 'clone');
  await gitOk(work.path, ['clone', '-q', url, clone]);
  const c = (files: Record<string, string | null>, msg: string) => commitFiles(clone, files, msg);
  const branch = (name: string, from: string) => gitOk(clone, ['checkout', '-q', '-B', name, from]);

  ids.base = await c(
    { 'f.txt': lines(10), 'g.txt': 'alpha\nbeta\ngamma\n', 'x.sh': 'echo x\n', 'd1.txt': 'doomed\n', 'dir/keep.txt': 'keep\n' },
    'base',
  );
  await branch('feature', ids.base);
  ids.feature = await c({ 'f.txt': lines(10, { 2: 'two (source)' }), 's.txt': 'from source\n', 'd1.txt': null }, 'feature work');
  await branch('main', ids.base);
  await c({ 'f.txt': lines(10, { 8: 'eight (dest)' }), 'd.txt': 'from destination\n' }, 'main work');
  chmodSync(join(clone, 'x.sh'), 0o755);
  await gitOk(clone, ['commit', '-q', '-am', 'make x.sh executable']);
  ids.main = (await gitOk(clone, ['rev-parse', 'HEAD'])).trim();

  await branch('left', ids.base);
  ids.left = await c({ 'g.txt': 'alpha\nbeta (left)\ngamma\n', 'f.txt': lines(10, { 5: 'five (left)' }), 'l.txt': 'left only\n' }, 'left');
  await branch('right', ids.base);
  ids.right = await c({ 'g.txt': 'alpha\nbeta (right)\ngamma\n', 'f.txt': lines(10, { 9: 'nine (right)' }) }, 'right');

  await branch('md-left', ids.base);
  ids.mdLeft = await c({ 'd1.txt': 'changed on the left\n', 'dir/keep.txt': null }, 'md-left a');
  ids.mdLeft = await c({ dir: 'now a file\n', 'tool.sh': '#!/bin/sh\n' }, 'md-left b');
  chmodSync(join(clone, 'tool.sh'), 0o755);
  ids.mdLeft = await c({ 'tool.sh': '#!/bin/sh\n' }, 'md-left c');
  await branch('md-right', ids.base);
  ids.mdRight = await c({ 'd1.txt': null, 'dir/keep.txt': 'keep, changed\n', 'tool.sh': '#!/bin/sh\n' }, 'md-right');

  await branch('ff-base', ids.base);
  await branch('ff-ahead', ids.base);
  ids.ffAhead = await c({ 'ff.txt': 'ahead\n' }, 'ahead');
  await branch('squash-target', ids.main);

  await gitOk(clone, ['checkout', '-q', '--orphan', 'orphan']);
  await gitOk(clone, ['rm', '-rq', '--cached', '.']);
  ids.orphan = await c({ 'alone.txt': 'alone\n' }, 'unrelated history');

  await gitOk(clone, ['push', '-q', 'origin', '--all']);
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

/** The tree `git merge` makes of `source` into `destination` in the clone (after `resolve` settles conflicts, if given). */
async function gitMergeTree(destination: string, source: string, options: string[] = [], resolve?: () => Promise<void>): Promise<string> {
  await gitOk(clone, ['checkout', '-q', '-f', '--detach', destination]);
  await gitOk(clone, ['clean', '-q', '-fdx']);
  const merged = await git(clone, ['merge', '-q', '--no-ff', '--no-edit', ...options, source]);
  if (merged.code !== 0) {
    if (!resolve) throw new Error(`git merge failed: ${merged.stderr}${merged.stdout}`);
    await resolve();
    await gitOk(clone, ['commit', '-q', '--no-edit']);
  }
  return (await gitOk(clone, ['rev-parse', 'HEAD^{tree}'])).trim();
}

const unreferenced = (input: Record<string, unknown>) =>
  cc.send(
    new CreateUnreferencedMergeCommitCommand({
      repositoryName,
      sourceCommitSpecifier: ids.left,
      destinationCommitSpecifier: ids.right,
      mergeOption: 'THREE_WAY_MERGE',
      ...input,
    }),
  );

describe('a clean three-way merge', () => {
  it('offers the merges that work at each detail level', async () => {
    const options = async (extra: object = {}) =>
      (await cc.send(new GetMergeOptionsCommand({ repositoryName, sourceCommitSpecifier: 'feature', destinationCommitSpecifier: 'main', ...extra }))).mergeOptions;
    // f.txt changed on both sides: a conflict at FILE_LEVEL (the default), not at LINE_LEVEL.
    expect(await options()).toEqual([]);
    expect(await options({ conflictDetailLevel: 'LINE_LEVEL' })).toEqual(['SQUASH_MERGE', 'THREE_WAY_MERGE']);
    expect(await options({ conflictResolutionStrategy: 'AUTOMERGE' })).toEqual(['SQUASH_MERGE', 'THREE_WAY_MERGE']);
    const ff = await cc.send(new GetMergeOptionsCommand({ repositoryName, sourceCommitSpecifier: 'ff-ahead', destinationCommitSpecifier: 'ff-base' }));
    expect(ff).toMatchObject({ mergeOptions: ['FAST_FORWARD_MERGE', 'SQUASH_MERGE', 'THREE_WAY_MERGE'], baseCommitId: ids.base, sourceCommitId: ids.ffAhead });
  });

  it('merges into the branch and gives the tree git merge gives', async () => {
    const refused = await awsError(
      cc.send(new MergeBranchesByThreeWayCommand({ repositoryName, sourceCommitSpecifier: 'feature', destinationCommitSpecifier: 'main' })),
    );
    expect(refused.name).toBe('ManualMergeRequiredException');
    expect(await tip(cc, repositoryName, 'main')).toBe(ids.main);

    const merged = await cc.send(
      new MergeBranchesByThreeWayCommand({
        repositoryName,
        sourceCommitSpecifier: 'feature',
        destinationCommitSpecifier: 'main',
        conflictDetailLevel: 'LINE_LEVEL',
        authorName: 'Merger',
        email: 'merger@example.com',
        commitMessage: 'Merge feature',
      }),
    );
    expect(merged.treeId).toBe(await gitMergeTree(ids.main, ids.feature));
    expect(await tip(cc, repositoryName, 'main')).toBe(merged.commitId);
    const { commit } = await cc.send(new GetCommitCommand({ repositoryName, commitId: merged.commitId }));
    expect(commit).toMatchObject({ parents: [ids.main, ids.feature], message: 'Merge feature', author: { name: 'Merger' } });

    await gitOk(clone, ['fetch', '-q', 'origin']);
    expect((await gitOk(clone, ['rev-parse', 'origin/main'])).trim()).toBe(merged.commitId);
    expect((await gitOk(clone, ['ls-tree', 'origin/main', 'x.sh'])).startsWith('100755')).toBe(true);

    const found = await cc.send(new GetMergeCommitCommand({ repositoryName, sourceCommitSpecifier: ids.feature, destinationCommitSpecifier: ids.main }));
    expect(found).toEqual(expect.objectContaining({ mergedCommitId: merged.commitId, baseCommitId: ids.base, sourceCommitId: ids.feature }));
  });

  it('squashes into one commit on the destination', async () => {
    const squashed = await cc.send(
      new MergeBranchesBySquashCommand({
        repositoryName,
        sourceCommitSpecifier: ids.feature,
        destinationCommitSpecifier: 'squash-target',
        conflictDetailLevel: 'LINE_LEVEL',
      }),
    );
    const { commit } = await cc.send(new GetCommitCommand({ repositoryName, commitId: squashed.commitId }));
    expect(commit?.parents).toEqual([ids.main]);
    expect(squashed.treeId).toBe(await gitMergeTree(ids.main, ids.feature));
  });

  it('fast-forwards when it can and says so when it cannot', async () => {
    const ff = await cc.send(new MergeBranchesByFastForwardCommand({ repositoryName, sourceCommitSpecifier: 'ff-ahead', destinationCommitSpecifier: 'ff-base' }));
    expect(ff.commitId).toBe(ids.ffAhead);
    expect(await tip(cc, repositoryName, 'ff-base')).toBe(ids.ffAhead);
    const no = await awsError(cc.send(new MergeBranchesByFastForwardCommand({ repositoryName, sourceCommitSpecifier: 'left', destinationCommitSpecifier: 'right' })));
    expect(no.name).toBe('ManualMergeRequiredException');
    expect(await tip(cc, repositoryName, 'right')).toBe(ids.right);
  });
});

describe('a conflicted merge', () => {
  it('is detected and described at line level', async () => {
    const conflicts = await cc.send(
      new GetMergeConflictsCommand({
        repositoryName,
        sourceCommitSpecifier: 'left',
        destinationCommitSpecifier: 'right',
        mergeOption: 'THREE_WAY_MERGE',
        conflictDetailLevel: 'LINE_LEVEL',
      }),
    );
    expect(conflicts).toMatchObject({ mergeable: false, sourceCommitId: ids.left, destinationCommitId: ids.right, baseCommitId: ids.base });
    expect(conflicts.conflictMetadataList).toEqual([
      {
        filePath: 'g.txt',
        fileSizes: { source: 24, destination: 25, base: 17 },
        fileModes: { source: 'NORMAL', destination: 'NORMAL', base: 'NORMAL' },
        objectTypes: { source: 'FILE', destination: 'FILE', base: 'FILE' },
        numberOfConflicts: 1,
        isBinaryFile: { source: false, destination: false, base: false },
        contentConflict: true,
        fileModeConflict: false,
        objectTypeConflict: false,
        mergeOperations: { source: 'M', destination: 'M' },
      },
    ]);
    const fileLevel = await cc.send(
      new GetMergeConflictsCommand({ repositoryName, sourceCommitSpecifier: 'left', destinationCommitSpecifier: 'right', mergeOption: 'THREE_WAY_MERGE' }),
    );
    expect(fileLevel.conflictMetadataList!.map((c) => c.filePath)).toEqual(['f.txt', 'g.txt']);
    const paged = await cc.send(
      new GetMergeConflictsCommand({ repositoryName, sourceCommitSpecifier: 'left', destinationCommitSpecifier: 'right', mergeOption: 'SQUASH_MERGE', maxConflictFiles: 1 }),
    );
    expect(paged.conflictMetadataList!.map((c) => c.filePath)).toEqual(['f.txt']);
    expect(paged.nextToken).toBeDefined();
    const ff = await cc.send(
      new GetMergeConflictsCommand({ repositoryName, sourceCommitSpecifier: 'left', destinationCommitSpecifier: 'right', mergeOption: 'FAST_FORWARD_MERGE' }),
    );
    expect(ff).toMatchObject({ mergeable: false, conflictMetadataList: [] });

    const described = await cc.send(
      new DescribeMergeConflictsCommand({
        repositoryName,
        sourceCommitSpecifier: 'left',
        destinationCommitSpecifier: 'right',
        mergeOption: 'THREE_WAY_MERGE',
        conflictDetailLevel: 'LINE_LEVEL',
        filePath: 'g.txt',
      }),
    );
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(described.mergeHunks).toEqual([
      {
        isConflict: true,
        source: { startLine: 1, endLine: 2, hunkContent: b64('beta (left)\n') },
        destination: { startLine: 1, endLine: 2, hunkContent: b64('beta (right)\n') },
        base: { startLine: 1, endLine: 2, hunkContent: b64('beta\n') },
      },
    ]);
    const f = await cc.send(
      new DescribeMergeConflictsCommand({
        repositoryName,
        sourceCommitSpecifier: 'left',
        destinationCommitSpecifier: 'right',
        mergeOption: 'THREE_WAY_MERGE',
        conflictDetailLevel: 'LINE_LEVEL',
        filePath: 'f.txt',
      }),
    );
    expect(f.conflictMetadata).toMatchObject({ contentConflict: false, numberOfConflicts: 0 });
    expect(f.mergeHunks!.map((h) => [h.isConflict, h.source!.startLine, h.destination!.startLine])).toEqual([
      [false, 4, 4],
      [false, 8, 8],
    ]);

    const batch = await cc.send(
      new BatchDescribeMergeConflictsCommand({
        repositoryName,
        sourceCommitSpecifier: 'left',
        destinationCommitSpecifier: 'right',
        mergeOption: 'THREE_WAY_MERGE',
        filePaths: ['g.txt', 'missing.txt'],
      }),
    );
    expect(batch.conflicts!.map((c) => c.conflictMetadata!.filePath)).toEqual(['g.txt']);
    // FILE_LEVEL describes the whole file as one conflicting hunk.
    expect(batch.conflicts![0].mergeHunks).toEqual([
      {
        isConflict: true,
        source: { startLine: 0, endLine: 3, hunkContent: b64('alpha\nbeta (left)\ngamma\n') },
        destination: { startLine: 0, endLine: 3, hunkContent: b64('alpha\nbeta (right)\ngamma\n') },
        base: { startLine: 0, endLine: 3, hunkContent: b64('alpha\nbeta\ngamma\n') },
      },
    ]);
    expect(batch.errors).toEqual([{ filePath: 'missing.txt', exceptionName: 'FileDoesNotExistException', message: expect.any(String) }]);
  });

  it('resolves with ACCEPT_SOURCE and ACCEPT_DESTINATION as git merge -X theirs / -X ours do', async () => {
    const theirs = await unreferenced({ conflictDetailLevel: 'LINE_LEVEL', conflictResolutionStrategy: 'ACCEPT_SOURCE' });
    expect(theirs.treeId).toBe(await gitMergeTree(ids.right, ids.left, ['-X', 'theirs']));
    const ours = await unreferenced({ conflictDetailLevel: 'LINE_LEVEL', conflictResolutionStrategy: 'ACCEPT_DESTINATION' });
    expect(ours.treeId).toBe(await gitMergeTree(ids.right, ids.left, ['-X', 'ours']));
    // At FILE_LEVEL a conflicting file is taken whole from the chosen side, like `git checkout --theirs`.
    const whole = await unreferenced({ conflictResolutionStrategy: 'ACCEPT_SOURCE', mergeOption: 'SQUASH_MERGE' });
    const expected = await gitMergeTree(ids.right, ids.left, [], () => gitOk(clone, ['checkout', ids.left, '--', 'f.txt', 'g.txt']).then(() => undefined));
    expect(whole.treeId).toBe(expected);
    const { commit } = await cc.send(new GetCommitCommand({ repositoryName, commitId: whole.commitId }));
    expect(commit?.parents).toEqual([ids.right]);
    // Unreferenced: no branch moved.
    expect(await tip(cc, repositoryName, 'right')).toBe(ids.right);
  });

  it('refuses resolutions that do not fit the conflicts', async () => {
    const fail = async (conflictResolution: object, extra: object = {}) =>
      (await awsError(unreferenced({ conflictDetailLevel: 'LINE_LEVEL', conflictResolution, ...extra }))).name;
    expect(await fail({})).toBe('ManualMergeRequiredException');
    expect(await fail({ replaceContents: [{ filePath: 'l.txt', replacementType: 'KEEP_BASE' }] })).toBe('InvalidConflictResolutionException');
    expect(await fail({ replaceContents: [{ filePath: 'g.txt', replacementType: 'USE_NEW_CONTENT' }] })).toBe('ReplacementContentRequiredException');
    expect(await fail({ replaceContents: [{ filePath: 'g.txt', replacementType: 'KEEP_SOURCE', content: text('x') }] })).toBe(
      'InvalidReplacementContentException',
    );
    expect(
      await fail({ replaceContents: [{ filePath: 'g.txt', replacementType: 'KEEP_SOURCE' }], deleteFiles: [{ filePath: 'g.txt' }] }),
    ).toBe('MultipleConflictResolutionEntriesException');
    expect(await fail({ replaceContents: [{ filePath: 'g.txt', replacementType: 'BOGUS' }] })).toBe('InvalidReplacementTypeException');
    expect(await fail({ replaceContents: [{ filePath: 'g.txt' }] })).toBe('ReplacementTypeRequiredException');
    expect(await fail({}, { mergeOption: 'FAST_FORWARD_MERGE' })).toBe('InvalidMergeOptionException');
    expect(await fail({}, { mergeOption: undefined })).toBe('MergeOptionRequiredException');
    expect(await fail({}, { conflictDetailLevel: 'WORD_LEVEL' })).toBe('InvalidConflictDetailLevelException');
    expect(await fail({}, { conflictResolutionStrategy: 'GUESS' })).toBe('InvalidConflictResolutionStrategyException');
  });

  it('resolves with explicit content into the destination branch, as a manual git resolution does', async () => {
    const resolved = 'alpha\nbeta (both)\ngamma\n';
    const merged = await cc.send(
      new MergeBranchesByThreeWayCommand({
        repositoryName,
        sourceCommitSpecifier: 'left',
        destinationCommitSpecifier: 'right',
        conflictDetailLevel: 'LINE_LEVEL',
        conflictResolution: { replaceContents: [{ filePath: 'g.txt', replacementType: 'USE_NEW_CONTENT', content: text(resolved) }] },
      }),
    );
    const expected = await gitMergeTree(ids.right, ids.left, [], async () => {
      writeFileSync(join(clone, 'g.txt'), resolved);
      await gitOk(clone, ['add', 'g.txt']);
    });
    expect(merged.treeId).toBe(expected);
    expect(await tip(cc, repositoryName, 'right')).toBe(merged.commitId);
    expect(str((await cc.send(new GetFileCommand({ repositoryName, commitSpecifier: 'right', filePath: 'g.txt' }))).fileContent)).toBe(resolved);
    const found = await cc.send(new GetMergeCommitCommand({ repositoryName, sourceCommitSpecifier: ids.left, destinationCommitSpecifier: ids.right }));
    expect(found.mergedCommitId).toBe(merged.commitId);
    await gitOk(clone, ['fetch', '-q', 'origin']);
    expect((await gitOk(clone, ['rev-parse', 'origin/right'])).trim()).toBe(merged.commitId);
    await gitOk(clone, ['fsck', '--strict', '--no-dangling']);
    // Source now contained in the destination: nothing left to merge.
    const again = await cc.send(new GetMergeOptionsCommand({ repositoryName, sourceCommitSpecifier: 'left', destinationCommitSpecifier: 'right' }));
    expect(again.baseCommitId).toBe(ids.left);
  });
});

describe('conflicts no line merge settles', () => {
  it('reports modify/delete and file/folder conflicts, and settles them by side', async () => {
    const { conflictMetadataList, mergeable } = await cc.send(
      new GetMergeConflictsCommand({
        repositoryName,
        sourceCommitSpecifier: 'md-left',
        destinationCommitSpecifier: 'md-right',
        mergeOption: 'THREE_WAY_MERGE',
        conflictDetailLevel: 'LINE_LEVEL',
      }),
    );
    expect(mergeable).toBe(false);
    expect(conflictMetadataList).toEqual([
      expect.objectContaining({
        filePath: 'd1.txt',
        contentConflict: true,
        objectTypeConflict: false,
        mergeOperations: { source: 'M', destination: 'D' },
        objectTypes: { source: 'FILE', base: 'FILE' },
      }),
      expect.objectContaining({
        filePath: 'dir',
        objectTypeConflict: true,
        objectTypes: { source: 'FILE', destination: 'DIRECTORY', base: 'DIRECTORY' },
        mergeOperations: { source: 'M', destination: 'M' },
      }),
      expect.objectContaining({
        filePath: 'tool.sh',
        contentConflict: false,
        fileModeConflict: true,
        numberOfConflicts: 1,
        fileModes: { source: 'EXECUTABLE', destination: 'NORMAL' },
        mergeOperations: { source: 'A', destination: 'A' },
      }),
    ]);
    const automerge = await awsError(
      cc.send(
        new MergeBranchesByThreeWayCommand({
          repositoryName,
          sourceCommitSpecifier: 'md-left',
          destinationCommitSpecifier: 'md-right',
          conflictResolutionStrategy: 'AUTOMERGE',
        }),
      ),
    );
    expect(automerge.name).toBe('ManualMergeRequiredException');
    const bySource = await cc.send(
      new MergeBranchesByThreeWayCommand({
        repositoryName,
        sourceCommitSpecifier: 'md-left',
        destinationCommitSpecifier: 'md-right',
        conflictResolutionStrategy: 'ACCEPT_SOURCE',
      }),
    );
    expect(str((await cc.send(new GetFileCommand({ repositoryName, commitSpecifier: bySource.commitId, filePath: 'd1.txt' }))).fileContent)).toBe(
      'changed on the left\n',
    );
    expect(str((await cc.send(new GetFileCommand({ repositoryName, commitSpecifier: bySource.commitId, filePath: 'dir' }))).fileContent)).toBe('now a file\n');
    const root = await cc.send(new GetFolderCommand({ repositoryName, commitSpecifier: bySource.commitId, folderPath: '/' }));
    expect(root.subFolders).toEqual([]);
    expect(root.files!.find((f) => f.relativePath === 'tool.sh')?.fileMode).toBe('EXECUTABLE');

    // Settled one by one: keep a version, delete, choose the mode.
    const explicit = await unreferenced({
      sourceCommitSpecifier: ids.mdLeft,
      destinationCommitSpecifier: ids.mdRight,
      conflictResolution: {
        replaceContents: [{ filePath: 'dir', replacementType: 'KEEP_DESTINATION' }],
        deleteFiles: [{ filePath: 'd1.txt' }],
        setFileModes: [{ filePath: 'tool.sh', fileMode: 'NORMAL' }],
      },
    });
    const tree = await cc.send(new GetFolderCommand({ repositoryName, commitSpecifier: explicit.commitId, folderPath: '/' }));
    expect(tree.subFolders!.map((f) => f.relativePath)).toEqual(['dir']);
    expect(tree.files!.map((f) => [f.relativePath, f.fileMode])).toEqual([
      ['f.txt', 'NORMAL'],
      ['g.txt', 'NORMAL'],
      ['tool.sh', 'NORMAL'],
      ['x.sh', 'NORMAL'],
    ]);
    expect(str((await cc.send(new GetFileCommand({ repositoryName, commitSpecifier: explicit.commitId, filePath: 'dir/keep.txt' }))).fileContent)).toBe(
      'keep, changed\n',
    );
  });
});

describe('merge errors', () => {
  it('names what is wrong with the request', async () => {
    const err = async (p: Promise<unknown>) => (await awsError(p)).name;
    const options = (s: string, d: string) => cc.send(new GetMergeOptionsCommand({ repositoryName, sourceCommitSpecifier: s, destinationCommitSpecifier: d }));
    expect(await err(options('orphan', 'main'))).toBe('TipsDivergenceExceededException');
    expect(await err(options('nope', 'main'))).toBe('CommitDoesNotExistException');
    expect(await err(options('', 'main'))).toBe('CommitRequiredException');
    expect(
      await err(
        cc.send(new GetMergeConflictsCommand({ repositoryName, sourceCommitSpecifier: 'a..b', destinationCommitSpecifier: 'main', mergeOption: 'SQUASH_MERGE' })),
      ),
    ).toBe('InvalidSourceCommitSpecifierException');
    expect(
      await err(
        cc.send(
          new DescribeMergeConflictsCommand({
            repositoryName,
            sourceCommitSpecifier: 'feature',
            destinationCommitSpecifier: 'main',
            mergeOption: 'FAST_FORWARD_MERGE',
            filePath: 'f.txt',
          }),
        ),
      ),
    ).toBe('InvalidMergeOptionException');
    expect(
      await err(
        cc.send(
          new DescribeMergeConflictsCommand({ repositoryName, sourceCommitSpecifier: 'left', destinationCommitSpecifier: 'md-right', mergeOption: 'SQUASH_MERGE', filePath: 'zz' }),
        ),
      ),
    ).toBe('FileDoesNotExistException');
    expect(
      await err(
        cc.send(
          new MergeBranchesBySquashCommand({ repositoryName, sourceCommitSpecifier: 'feature', destinationCommitSpecifier: ids.base, targetBranch: 'no-such-branch' }),
        ),
      ),
    ).toBe('BranchDoesNotExistException');
    expect(
      await err(cc.send(new MergeBranchesBySquashCommand({ repositoryName, sourceCommitSpecifier: 'feature', destinationCommitSpecifier: ids.base }))),
    ).toBe('InvalidTargetBranchException');
    // A target branch that is not behind the destination would lose commits.
    expect(
      await err(
        cc.send(
          new MergeBranchesByFastForwardCommand({ repositoryName, sourceCommitSpecifier: 'ff-ahead', destinationCommitSpecifier: ids.base, targetBranch: 'left' }),
        ),
      ),
    ).toBe('InvalidTargetBranchException');
  });
});
