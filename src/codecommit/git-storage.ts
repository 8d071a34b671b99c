import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GitMaintenance } from './git-maintenance.js';
import { GitObjects } from './git-objects.js';
import { gitEnv } from './git-env.js';
import { isoGit } from './isomorphic-git.js';

const run = promisify(execFile);

/**
 * Bare repositories on disk, one per repository id (so a rename touches no files). Everything
 * here runs the git binary: it is the same code path git clients see over HTTP.
 */
export class GitStorage {
  readonly maintenance = new GitMaintenance();

  constructor(private readonly root: string) {}

  dir(repositoryId: string): string {
    return join(this.root, `${repositoryId}.git`);
  }

  exists(repositoryId: string): boolean {
    return existsSync(this.dir(repositoryId));
  }

  async create(repositoryId: string): Promise<void> {
    const dir = this.dir(repositoryId);
    const staging = `${dir}.creating`;
    await rm(staging, { recursive: true, force: true });
    // isomorphic-git lays out the bare repository in-process: no git process to start per create.
    const { git, fs } = await isoGit();
    await git.init({ fs, dir: staging, gitdir: staging, bare: true, defaultBranch: 'main' });
    // Replace the config it writes, which assumes a case-insensitive file system without modes.
    await writeFile(
      join(staging, 'config'),
      [
        '[core]',
        '\trepositoryformatversion = 0',
        '\tfilemode = true',
        '\tbare = true',
        '[receive]',
        // The server, not receive-pack, decides whether the default branch may be deleted.
        '\tdenyDeleteCurrent = ignore',
        '[uploadpack]',
        '\tallowFilter = true',
        '\tallowAnySHA1InWant = true',
        '[lsrefs]',
        // An empty repository must not impose the server's initial branch name: the client's own
        // init.defaultBranch names the first branch, as CodeCommit documents for git pushes.
        '\tunborn = ignore',
        '',
      ].join('\n'),
    );
    // The rename makes a repository appear whole or not at all.
    await rename(staging, dir);
  }

  async remove(repositoryId: string): Promise<void> {
    const dir = this.dir(repositoryId);
    const doomed = `${dir}.deleting`;
    if (existsSync(dir)) await rename(dir, doomed);
    GitObjects.forget(dir);
    await rm(doomed, { recursive: true, force: true });
  }

  /** Object access for the content API. */
  objects(repositoryId: string): GitObjects {
    return GitObjects.for(this.dir(repositoryId));
  }

  /**
   * Moves a ref only if it still points where the caller last saw it (`expected`; undefined
   * means it must not exist yet). git takes the same ref lock receive-pack takes, so an API
   * commit and a concurrent push can never both win. Returns false when the ref had moved.
   */
  async updateRef(repositoryId: string, ref: string, newId: string, expected: string | undefined, reason: string): Promise<boolean> {
    try {
      await this.git(this.dir(repositoryId), 'update-ref', '-m', reason, ref, newId, expected ?? '0'.repeat(40));
      // API commits write loose objects: fold them into the pack like a push's.
      this.maintenance.schedule(this.dir(repositoryId));
      return true;
    } catch (err) {
      const stderr = String((err as { stderr?: unknown }).stderr ?? '');
      if (/cannot lock ref|is at .* but expected|reference already exists|unable to resolve reference/.test(stderr)) return false;
      throw err;
    }
  }

  /** Every ref with the object it points at. */
  async refs(repositoryId: string): Promise<Map<string, string>> {
    const out = await this.git(this.dir(repositoryId), 'for-each-ref', '--format=%(objectname) %(refname)');
    const refs = new Map<string, string>();
    for (const line of out.split('\n')) {
      if (!line) continue;
      const space = line.indexOf(' ');
      refs.set(line.slice(space + 1), line.slice(0, space));
    }
    return refs;
  }

  async setHead(repositoryId: string, branch: string): Promise<void> {
    await this.git(this.dir(repositoryId), 'symbolic-ref', 'HEAD', `refs/heads/${branch}`);
  }

  /** The type of an object (`commit`, `tree`...), or undefined when the repository lacks it. */
  async objectType(repositoryId: string, oid: string): Promise<string | undefined> {
    try {
      return (await this.git(this.dir(repositoryId), 'cat-file', '-t', oid)).trim();
    } catch {
      return undefined;
    }
  }

  private async git(cwd: string, ...args: string[]): Promise<string> {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, env: gitEnv() });
    return stdout;
  }
}
