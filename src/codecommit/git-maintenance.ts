import { execFile } from 'node:child_process';
import { gitEnv } from './git-env.js';

const QUIET_MS = 1000;

/**
 * Repacks a repository (one pack, with a reachability bitmap) a moment after pushes stop, as git
 * hosts do: a pushed pack is kept as received, and without a bitmap every clone recounts the
 * whole history. Readers are safe meanwhile: git keeps old packs until the new one is in place.
 */
export class GitMaintenance {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();

  schedule(dir: string): void {
    clearTimeout(this.timers.get(dir));
    const timer = setTimeout(() => {
      this.timers.delete(dir);
      const job = repack(dir).finally(() => this.running.delete(job));
      this.running.add(job);
    }, QUIET_MS);
    timer.unref();
    this.timers.set(dir, timer);
  }

  /** Stops what is pending and waits for what is running, so the data directory can close. */
  async close(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running);
  }
}

function repack(dir: string): Promise<void> {
  return new Promise((resolve) => {
    // A repository deleted meanwhile makes git fail: nothing to keep then.
    execFile('git', ['repack', '-a', '-d', '-q', '--write-bitmap-index'], { cwd: dir, env: gitEnv() }, () => resolve());
  });
}
