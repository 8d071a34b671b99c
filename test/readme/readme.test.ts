import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointAwareCli } from '../helpers/aws-cli.js';
import { tempDir } from '../helpers/git.js';
import { freePort } from '../helpers/server.js';
import { readmeBlocks, type ReadmeCommand } from './readme-blocks.js';

/**
 * Runs every shell example of the README, in order, against the command-line server, the way a
 * new user would type them: so the README cannot drift from the product. The conventions are in
 * readme-blocks.ts and the README's Development section.
 */

const README_PORT = '4577';
const blocks = readmeBlocks(readFileSync('README.md', 'utf8'));

/** What a block may require, and whether this machine has it. */
const available: Record<string, () => boolean> = {
  docker: () => spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0,
};


const work = tempDir('codesuite-readme-');
// The README sets AWS_ENDPOINT_URL.
const cli = endpointAwareCli()?.path;
let server: ChildProcessWithoutNullStreams | undefined;
let shell: ChildProcessWithoutNullStreams | undefined;

afterAll(async () => {
  if (shell?.pid) {
    try {
      process.kill(-shell.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await stopServer();
  work.remove();
});

async function stopServer(): Promise<void> {
  if (!server) return;
  const exited = once(server, 'exit');
  server.kill('SIGTERM');
  await exited;
  server = undefined;
}

async function startServer(port: number, flags: string[]): Promise<void> {
  await stopServer();
  const child = spawn(process.execPath, ['dist/cli.js', '--port', String(port), '--data-dir', join(work.path, 'data'), '--log-level', 'warn', ...flags]);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => /listening on/.test(output) && resolve());
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
  });
  server = child;
}

/** One bash for the whole README, so `cd` and `export` carry from block to block. */
function startShell(port: number): ChildProcessWithoutNullStreams {
  const home = join(work.path, 'home');
  const cwd = join(work.path, 'cwd');
  mkdirSync(home, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  spawnSync('git', ['config', '--global', 'user.name', 'README Reader'], { env: { ...process.env, HOME: home } });
  spawnSync('git', ['config', '--global', 'user.email', 'reader@example.com'], { env: { ...process.env, HOME: home } });
  // `codesuite` on PATH, as `npm link` puts it there: the README runs the agent and snapshots with it.
  const bin = join(work.path, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(resolve('dist/cli.js'), join(bin, 'codesuite'));
  const path = [bin, join(cli!, '..'), process.env.PATH].join(':');
  // pyenv's shims find their Python from PYENV_ROOT, else from HOME, which the README's shell replaces.
  const pyenvRoot = process.env.PYENV_ROOT ?? (cli!.includes('/.pyenv/') ? cli!.slice(0, cli!.indexOf('/.pyenv/') + '/.pyenv'.length) : undefined);
  return spawn('bash', ['--noprofile', '--norc'], {
    // Its own process group, so what the README starts in the background ends with it.
    detached: true,
    cwd,
    env: { PATH: path, HOME: home, ...(pyenvRoot ? { PYENV_ROOT: pyenvRoot } : {}), LANG: 'C.UTF-8', AWS_PAGER: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', GIT_TERMINAL_PROMPT: '0', README_PORT: String(port) },
  });
}

let sequence = 0;
/** Runs one command in the README's shell; resolves its exit status and everything it printed. */
function run(sh: ChildProcessWithoutNullStreams, text: string, timeoutMs = 180_000): Promise<{ status: number; output: string }> {
  const marker = `__readme_done_${++sequence}__`;
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms from:\n${text}\nprinted so far:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const at = output.indexOf(marker);
      if (at < 0) return;
      clearTimeout(timer);
      sh.stdout.off('data', onData);
      const status = Number(/^(\d+)/.exec(output.slice(at + marker.length))?.[1] ?? -1);
      resolve({ status, output: output.slice(0, at) });
    };
    sh.stdout.on('data', onData);
    // The command's stderr joins its stdout, as a user sees both in the terminal.
    sh.stdin.write(`{\n${text}\n} 2>&1 </dev/null; printf '%s%d\\n' '${marker}' $?\n`);
  });
}

const squash = (s: string) => s.replace(/\s+/g, '');

function check(command: ReadmeCommand, result: { status: number; output: string }, port: number): void {
  const where = `README line ${command.line}: ${command.text}\n--- printed (exit ${result.status}) ---\n${result.output}`;
  if (command.mustFail) expect(result.status, where).not.toBe(0);
  else expect(result.status, where).toBe(0);
  for (const piece of command.expect) {
    expect(squash(result.output), `${where}\n--- should show ---\n${piece}`).toContain(squash(piece.replaceAll(`:${README_PORT}`, `:${port}`)));
  }
}

describe.skipIf(!cli)('the README, run as written', () => {
  it('every shell example works and prints what the README shows', async () => {
    const port = await freePort();
    await startServer(port, []);
    shell = startShell(port);
    let ran = 0;
    for (const block of blocks) {
      if (block.skip) continue;
      if (block.requires) {
        const has = available[block.requires];
        if (!has) throw new Error(`README line ${block.line}: unknown requirement ${block.requires}`);
        if (!has()) {
          console.warn(`README line ${block.line} not run: this machine has no ${block.requires}`);
          continue;
        }
      }
      if (block.serverFlags) await startServer(port, block.serverFlags);
      for (const command of block.commands) {
        const result = await run(shell, command.text.replaceAll(`127.0.0.1:${README_PORT}`, `127.0.0.1:${port}`));
        check(command, result, port);
        ran++;
      }
    }
    expect(ran).toBeGreaterThan(20);
  }, 900_000);
});

if (!cli) console.warn('README test skipped: no AWS CLI on PATH honours AWS_ENDPOINT_URL (v1 >= 1.29, v2 >= 2.13)');
