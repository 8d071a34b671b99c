import { CodeCommitClient, CreateRepositoryCommand, GetBranchCommand } from '@aws-sdk/client-codecommit';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gitOk } from '../helpers/git.js';

export const text = (s: string) => Buffer.from(s, 'utf8');
export const str = (b: Uint8Array | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');

/** A repository on the server and its clone URL. */
export async function createRepo(cc: CodeCommitClient, repositoryName: string): Promise<string> {
  const { repositoryMetadata } = await cc.send(new CreateRepositoryCommand({ repositoryName }));
  return repositoryMetadata!.cloneUrlHttp!;
}

export async function tip(cc: CodeCommitClient, repositoryName: string, branchName: string): Promise<string> {
  return (await cc.send(new GetBranchCommand({ repositoryName, branchName }))).branch!.commitId!;
}

/** Writes files (path -> content) into a working tree and commits them; returns the commit id. */
export async function commitFiles(dir: string, files: Record<string, string | null>, message = 'change'): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    if (content === null) {
      await gitOk(dir, ['rm', '-q', path]);
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    await gitOk(dir, ['add', path]);
  }
  await gitOk(dir, ['commit', '-q', '-m', message]);
  return (await gitOk(dir, ['rev-parse', 'HEAD'])).trim();
}

/** Every file of a tree with its mode and blob id, as `git ls-tree -r` prints it. */
export async function lsTree(dir: string, treeish: string): Promise<string> {
  return gitOk(dir, ['ls-tree', '-r', treeish]);
}
