import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { packageFile } from '../core/package-files.js';

/** Runtimes codesuite runs; any other is refused at CreateFunction as AWS refuses retired ones. */
export const SUPPORTED_RUNTIMES = [
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'provided.al2',
  'provided.al2023',
] as const;

/** What AWS no longer accepts for creating or updating functions. */
export const RETIRED_RUNTIMES = new Set([
  'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs4.3-edge',
  'python2.7', 'python3.6', 'python3.7', 'python3.8', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet6',
  'java8', 'go1.x', 'ruby2.5', 'ruby2.7', 'provided',
]);

/** The public base image AWS publishes for a runtime (what the Docker executor starts, through the image map). */
export function baseImage(runtime: string): string {
  const m = /^(nodejs|python|provided)(.*)$/.exec(runtime);
  if (!m) return runtime;
  const tag = m[1] === 'nodejs' ? m[2].replace(/\.x$/, '') : m[1] === 'python' ? m[2] : m[2].replace(/^\./, '');
  return `public.ecr.aws/lambda/${m[1]}:${tag}`;
}

const pythons = new Map<string, { version: string; executable: string } | undefined>();

/** A Python on PATH: its version and the real executable (a version manager's shim costs a cold start dearly). */
function python(binary: string): { version: string; executable: string } | undefined {
  if (!pythons.has(binary)) {
    const out = spawnSync(binary, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2]); print(sys.executable)'], { encoding: 'utf8', timeout: 5000 });
    const [version, executable] = out.stdout?.trim().split('\n') ?? [];
    pythons.set(binary, out.status === 0 && version && executable ? { version, executable } : undefined);
  }
  return pythons.get(binary);
}

/** How a runtime starts in an environment: a shell command, or why it cannot start on this host. */
export type Launch = { command: string } | { missing: string };

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The command that starts the runtime as a host process: the host's `node` for Node.js (every
 * nodejs version runs on it), a `python3.X` (or a `python3` of that version) for Python, the zip's
 * own `bootstrap` for the provided runtimes. In a container the same clients run from `runtimeDir`.
 */
export function launchCommand(runtime: string, where: 'local' | 'docker', taskRoot: string, runtimeDir: string): Launch {
  if (runtime.startsWith('nodejs')) {
    const client = where === 'local' ? packageFile('runtimes/node/bootstrap.mjs') : join(runtimeDir, 'node/bootstrap.mjs');
    return { command: `exec ${where === 'local' ? quote(process.execPath) : 'node'} ${quote(client)}` };
  }
  if (runtime.startsWith('python')) {
    const version = runtime.slice('python'.length);
    const client = where === 'local' ? packageFile('runtimes/python/bootstrap.py') : join(runtimeDir, 'python/bootstrap.py');
    if (where === 'docker') return { command: `exec $(command -v python${version} || command -v python3) ${quote(client)}` };
    const binary = [`python${version}`, 'python3'].map(python).find((p) => p?.version === version);
    if (!binary) return { missing: `${runtime} is not installed on this host: codesuite runs ${runtime} functions with python${version} (or a python3 of that version) on PATH` };
    return { command: `exec ${quote(binary.executable)} ${quote(client)}` };
  }
  const bootstrap = join(taskRoot, 'bootstrap');
  if (where === 'local') {
    try {
      accessSync(bootstrap, constants.X_OK);
    } catch {
      return { missing: `Couldn't find valid bootstrap(s): [${where === 'local' ? '/var/task/bootstrap' : bootstrap} /opt/bootstrap]` };
    }
  }
  return { command: `exec ${quote(bootstrap)}` };
}
