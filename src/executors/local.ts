import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PackOptions } from '../core/archives/tar.js';
import { sourceDigits, type BuildHost, type ExecOptions, type Executor, type ProvisionRequest } from './executor.js';

/**
 * Builds as host processes in a work directory, for machines without Docker: the same phase
 * runner, with `/codebuild/...` laid out under the work directory. The image is not used and
 * commands run as the server's own user.
 */
export class LocalExecutor implements Executor {
  readonly kind = 'local' as const;

  async provision(request: ProvisionRequest): Promise<BuildHost> {
    const root = request.workDir;
    const layout = {
      tmpDir: join(root, 'codebuild/output/tmp'),
      readonlyDir: join(root, 'codebuild/readonly'),
      srcRoot: join(root, `codebuild/output/src${sourceDigits(request.buildId)}/src`),
      home: join(root, 'root'),
    };
    for (const dir of [layout.tmpDir, layout.readonlyDir, layout.srcRoot, layout.home]) await mkdir(dir, { recursive: true });
    const env = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...request.env, HOME: layout.home };
    const running = new Set<ChildProcess>();
    let killed = false;
    const kill = async () => {
      killed = true;
      for (const child of running) {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    };
    return {
      kind: 'local',
      layout,
      handle: root,
      async copyIn(what: PackOptions) {
        for (const dir of what.dirs ?? []) await mkdir(dir, { recursive: true, mode: 0o777 });
        for (const t of what.trees ?? []) {
          await mkdir(t.to, { recursive: true });
          await cp(t.from, t.to, { recursive: true, verbatimSymlinks: true, force: true });
        }
        for (const f of what.files ?? []) {
          await mkdir(dirname(f.name), { recursive: true });
          await writeFile(f.name, f.content, { mode: f.mode ?? 0o666 });
        }
      },
      exec(options: ExecOptions) {
        if (killed) return Promise.resolve(null);
        return new Promise<number | null>((resolve, reject) => {
          // Its own process group, so a kill reaches everything the command started.
          const child = spawn(options.shell, ['-c', options.script], { cwd: layout.srcRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
          running.add(child);
          if (child.pid) options.onSpawn?.(child.pid);
          child.stdout.on('data', (c: Buffer) => options.onStdout?.(c));
          child.stderr.on('data', (c: Buffer) => options.onStderr?.(c));
          child.on('error', (err) => {
            running.delete(child);
            reject(err);
          });
          child.on('close', (code, signal) => {
            running.delete(child);
            resolve(killed ? null : (code ?? (signal ? 128 : 1)));
          });
        });
      },
      async readDir(path: string) {
        return path;
      },
      kill,
      async dispose() {
        await kill();
        await rm(root, { recursive: true, force: true });
      },
    };
  }

  async reclaim(handle: string): Promise<void> {
    await rm(handle, { recursive: true, force: true });
  }
}
