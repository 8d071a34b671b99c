import { readdir, readFile, rm, stat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Tracking files older than this are left over from long ago and ignored (agent v1: 24 h). */
const STALE_MS = 24 * 60 * 60 * 1000;

/**
 * `<root>/ongoing-deployment/<deployment-id>` holds the host command identifier of the command
 * being run, so that after a crash or restart the agent can fail it instead of leaving the
 * service waiting (agent v1 `deployment_command_tracker.rb`).
 */
export class CommandTracker {
  private readonly dir: string;

  constructor(rootDir: string) {
    this.dir = join(rootDir, 'ongoing-deployment');
  }

  async start(deploymentId: string, hostCommandIdentifier: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, deploymentId), hostCommandIdentifier);
  }

  async finish(deploymentId: string): Promise<void> {
    await rm(join(this.dir, deploymentId), { force: true });
  }

  /** The command that was running when the agent stopped, if any recent one was. */
  async interrupted(now = Date.now()): Promise<string | undefined> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return undefined;
    }
    let newest: { id: string; mtime: number } | undefined;
    for (const name of names) {
      const path = join(this.dir, name);
      const { mtimeMs } = await stat(path);
      if (now - mtimeMs > STALE_MS) {
        await rm(path, { force: true });
        continue;
      }
      if (!newest || mtimeMs > newest.mtime) newest = { id: (await readFile(path, 'utf8')).trim(), mtime: mtimeMs };
    }
    return newest?.id;
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
