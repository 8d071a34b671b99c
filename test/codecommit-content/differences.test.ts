import { GetDifferencesCommand, type Difference } from '@aws-sdk/client-codecommit';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { gitOk, tempDir } from '../helpers/git.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';
import { commitFiles, createRepo } from './helpers.js';

let server: RunningServer;
const work = tempDir();
const repositoryName = 'differences';
let clone: string;
let first: string;
let second: string;

beforeAll(async () => {
  server = await testServer();
  const url = await createRepo(codecommit(server), repositoryName);
  clone = join(work.path, 'clone');
  await gitOk(work.path, ['clone', '-q', url, clone]);
  first = await commitFiles(clone, {
    'keep.txt': 'same\n',
    'edit.txt': 'before\n',
    'gone.txt': 'bye\n',
    'tmp/example-folder/blob.txt': 'blob\n',
    'was-file': 'file\n',
    'run.sh': 'echo\n',
  });
  chmodSync(join(clone, 'run.sh'), 0o755);
  second = await commitFiles(
    clone,
    {
      'edit.txt': 'after\n',
      'gone.txt': null,
      'new/deep/added.txt': 'hi\n',
      'tmp/example-folder/blob.txt': null,
      'tmp/renamed-folder/blob.txt': 'blob, renamed\n',
      'was-file': null,
      'was-file/inside.txt': 'now a folder\n',
      'run.sh': 'echo\n',
    },
    'second',
  );
  await gitOk(clone, ['push', '-q', 'origin', 'HEAD:main']);
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

const summary = (d: Difference) => [d.changeType, d.beforeBlob?.path ?? null, d.afterBlob?.path ?? null];

/** What git reports for the same pair of commits, without rename detection. */
async function gitDiff(before: string, after: string): Promise<string[][]> {
  const out = await gitOk(clone, ['diff', '--no-renames', '--name-status', before, after]);
  return out
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
}

describe('GetDifferences', () => {
  it('lists every changed blob between two pushed commits, as git diff does', async () => {
    const cc = codecommit(server);
    const { differences, NextToken } = await cc.send(
      new GetDifferencesCommand({ repositoryName, beforeCommitSpecifier: first, afterCommitSpecifier: 'main' }),
    );
    expect(NextToken).toBeUndefined();
    const fromGit = await gitDiff(first, second);
    // git reports a type change (T) where a file became a folder; the API has A, M and D only.
    const expected = fromGit.flatMap(([status, path]) => (status === 'T' ? [['M', path]] : [[status, path]]));
    expect(differences!.map((d) => [d.changeType, d.afterBlob?.path ?? d.beforeBlob?.path]).sort()).toEqual(expected.sort());
    const edit = differences!.find((d) => d.afterBlob?.path === 'edit.txt')!;
    expect(edit).toEqual({
      changeType: 'M',
      beforeBlob: { path: 'edit.txt', blobId: (await gitOk(clone, ['rev-parse', `${first}:edit.txt`])).trim(), mode: '100644' },
      afterBlob: { path: 'edit.txt', blobId: (await gitOk(clone, ['rev-parse', `${second}:edit.txt`])).trim(), mode: '100644' },
    });
    expect(differences!.find((d) => d.afterBlob?.path === 'run.sh')).toMatchObject({ beforeBlob: { mode: '100644' }, afterBlob: { mode: '100755' } });
    expect(differences!.filter((d) => d.beforeBlob?.path === 'was-file' || d.afterBlob?.path === 'was-file/inside.txt').map(summary)).toEqual([
      ['D', 'was-file', null],
      ['A', null, 'was-file/inside.txt'],
    ]);
  });

  it('limits to a path, compares a renamed folder, and shows everything without a before commit', async () => {
    const cc = codecommit(server);
    const limited = await cc.send(new GetDifferencesCommand({ repositoryName, beforeCommitSpecifier: first, afterCommitSpecifier: second, afterPath: 'new' }));
    expect(limited.differences!.map(summary)).toEqual([['A', null, 'new/deep/added.txt']]);
    const renamed = await cc.send(
      new GetDifferencesCommand({
        repositoryName,
        beforeCommitSpecifier: first,
        afterCommitSpecifier: second,
        beforePath: 'tmp/example-folder',
        afterPath: 'tmp/renamed-folder',
      }),
    );
    expect(renamed.differences!.map(summary)).toEqual([['M', 'tmp/example-folder/blob.txt', 'tmp/renamed-folder/blob.txt']]);
    const all = await cc.send(new GetDifferencesCommand({ repositoryName, afterCommitSpecifier: first }));
    expect(all.differences!.map((d) => d.changeType)).toEqual(Array(6).fill('A'));
    const files = (await gitOk(clone, ['ls-tree', '-r', '--name-only', first])).trim().split('\n');
    expect(all.differences!.map((d) => d.afterBlob!.path).sort()).toEqual(files.sort());
  });

  it('pages with MaxResults and NextToken', async () => {
    const cc = codecommit(server);
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await cc.send(new GetDifferencesCommand({ repositoryName, beforeCommitSpecifier: first, afterCommitSpecifier: second, MaxResults: 2, NextToken }));
      expect(page.differences!.length).toBeLessThanOrEqual(2);
      seen.push(...page.differences!.map((d) => (d.afterBlob ?? d.beforeBlob)!.path!));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    const whole = await cc.send(new GetDifferencesCommand({ repositoryName, beforeCommitSpecifier: first, afterCommitSpecifier: second }));
    expect(seen).toEqual(whole.differences!.map((d) => (d.afterBlob ?? d.beforeBlob)!.path!));
    expect(pages).toBe(Math.ceil(seen.length / 2));
  });

  it('answers bad requests with CodeCommit’s exceptions', async () => {
    const cc = codecommit(server);
    const err = async (input: object) =>
      (await awsError(cc.send(new GetDifferencesCommand({ repositoryName, afterCommitSpecifier: second, ...input } as never)))).name;
    expect(await err({ afterCommitSpecifier: undefined })).toBe('CommitRequiredException');
    expect(await err({ afterCommitSpecifier: 'no-branch' })).toBe('CommitDoesNotExistException');
    expect(await err({ beforeCommitSpecifier: 'bad~ref' })).toBe('InvalidCommitException');
    expect(await err({ afterPath: 'nowhere' })).toBe('PathDoesNotExistException');
    expect(await err({ afterPath: '../up' })).toBe('InvalidPathException');
    expect(await err({ MaxResults: 0 })).toBe('InvalidMaxResultsException');
    expect(await err({ NextToken: 'not-a-token' })).toBe('InvalidContinuationTokenException');
  });
});
