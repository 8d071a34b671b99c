import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the stock git CLI with no user or system configuration, as a fresh machine would. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', '-c', 'advice.detachedHead=false', ...args],
      {
        cwd,
        env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
    );
  });
}

/** Like git() but a non-zero exit fails the test with git's own words. */
export async function gitOk(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await git(cwd, args, env);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export function tempDir(prefix = 'codesuite-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes a file and commits it; returns the new commit id. */
export async function commitFile(repoDir: string, name: string, content: string, message = `change ${name}`): Promise<string> {
  writeFileSync(join(repoDir, name), content);
  await gitOk(repoDir, ['add', name]);
  await gitOk(repoDir, ['commit', '-q', '-m', message]);
  return (await gitOk(repoDir, ['rev-parse', 'HEAD'])).trim();
}
