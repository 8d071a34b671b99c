import { CodeCommitClient, CreateUnreferencedMergeCommitCommand, GetCommitCommand, MergeBranchesBySquashCommand, MergeBranchesByThreeWayCommand } from '@aws-sdk/client-codecommit';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { gitOk, tempDir } from '../helpers/git.js';
import { codecommit, testServer } from '../helpers/server.js';
import { commitFiles, createRepo, tip } from './helpers.js';

let server: RunningServer;
let cc: CodeCommitClient;
const work = tempDir();
const repositoryName = 'squash-ancestor';
let base: string;
let featureTree: string;

/** main stays at the base commit; each feature-N branch adds two commits on top of it. */
beforeAll(async () => {
  server = await testServer();
  cc = codecommit(server);
  const url = await createRepo(cc, repositoryName);
  const dir = join(work.path, 'clone');
  await gitOk(work.path, ['clone', '-q', url, dir]);
  base = await commitFiles(dir, { 'README.md': 'base\n' });
  await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
  await commitFiles(dir, { 'a.txt': 'a\n' });
  await commitFiles(dir, { 'README.md': 'changed\n', 'src/b.txt': 'b\n' });
  featureTree = (await gitOk(dir, ['rev-parse', 'HEAD^{tree}'])).trim();
  for (const n of [1, 2, 3]) await gitOk(dir, ['push', '-q', 'origin', `HEAD:feature-${n}`]);
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

describe('a squash merge into a branch the source already contains', () => {
  it('MergeBranchesBySquash writes one commit with the source tree on top of the destination', async () => {
    const merged = await cc.send(new MergeBranchesBySquashCommand({ repositoryName, sourceCommitSpecifier: 'feature-1', destinationCommitSpecifier: 'main' }));
    expect(merged.treeId).toBe(featureTree);
    const { commit } = await cc.send(new GetCommitCommand({ repositoryName, commitId: merged.commitId! }));
    expect(commit?.parents).toEqual([base]);
    expect(commit?.treeId).toBe(featureTree);
    expect(await tip(cc, repositoryName, 'main')).toBe(merged.commitId);
  });

  it('CreateUnreferencedMergeCommit with SQUASH_MERGE and THREE_WAY_MERGE carry the source tree too', async () => {
    // main moved in the test above; feature-2 still sits on the old base, so target the base commit.
    for (const mergeOption of ['SQUASH_MERGE', 'THREE_WAY_MERGE'] as const) {
      const made = await cc.send(
        new CreateUnreferencedMergeCommitCommand({ repositoryName, sourceCommitSpecifier: 'feature-2', destinationCommitSpecifier: base, mergeOption }),
      );
      expect({ mergeOption, tree: made.treeId }).toEqual({ mergeOption, tree: featureTree });
    }
  });

  it('MergeBranchesByThreeWay keeps both parents and the source tree', async () => {
    await gitOk(join(work.path, 'clone'), ['push', '-q', '-f', 'origin', `${base}:refs/heads/old-main`]);
    const merged = await cc.send(new MergeBranchesByThreeWayCommand({ repositoryName, sourceCommitSpecifier: 'feature-3', destinationCommitSpecifier: 'old-main' }));
    expect(merged.treeId).toBe(featureTree);
  });
});
