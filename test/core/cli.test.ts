import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envName, flagName, OPTION_GROUPS, OPTIONS } from '../../src/config.js';
import { tempDir } from '../helpers/git.js';
import { builtCli } from '../helpers/built-cli.js';

const data = tempDir('codesuite-cli-');
afterAll(() => data.remove());

let cli: string;
beforeAll(async () => {
  cli = await builtCli();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built command to its end. */
async function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code, stdout, stderr };
}

/** Starts the built server and resolves its start-up line; `stop` sends SIGTERM and resolves the exit status. */
async function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /^codesuite listening on .*$/m.exec(output);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${output}${stderr}`)));
  });
  return {
    line,
    endpoint: /listening on (http:\/\/\S+)/.exec(line)![1],
    stop: async () => {
      child.kill('SIGTERM');
      const [code, signal] = await once(child, 'exit');
      return code ?? `${signal}: ${output}${stderr}`;
    },
  };
}

describe('the codesuite command', () => {
  it('is an executable script, so npx and the bin link run it', () => {
    expect(readFileSync(cli, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(cli).mode & 0o111).not.toBe(0);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
    expect(join(pkg.bin.codesuite)).toBe(join('dist/cli.js'));
  });

  it('prints its endpoint, serves, and exits cleanly on SIGTERM', async () => {
    const server = await start(['--port', '0', '--data-dir', data.path, '--log-level', 'warn', '--build-executor', 'local']);
    const health = await fetch(`${server.endpoint}/_codesuite/health`);
    expect(health.status).toBe(200);
    expect(existsSync(join(data.path, 'codesuite.db'))).toBe(true);
    expect(await server.stop()).toBe(0);
  });

  it('says in its start-up line where state lives, whether IAM decides, and where builds run', async () => {
    const onDisk = await start(['--port=0', '--data-dir', data.path, '--log-level', 'silent', '--build-executor', 'local']);
    expect(onDisk.line).toBe(`codesuite listening on ${onDisk.endpoint} · data in ${data.path} · IAM enforcement off · builds as local processes`);
    expect(await onDisk.stop()).toBe(0);

    // auto with no engine at DOCKER_HOST: the line says what auto chose and why.
    const inMemory = await start(['start', '--port', '0', '--in-memory', '--enforce-iam', '--iam-soft-mode', '--log-level', 'silent'], {
      DOCKER_HOST: `unix://${join(data.path, 'no-docker.sock')}`,
    });
    expect(inMemory.line).toBe(
      `codesuite listening on ${inMemory.endpoint} · data in memory · IAM enforcement on (soft mode: denials logged, not refused) · builds as local processes (auto: no Docker engine answered)`,
    );
    expect(await inMemory.stop()).toBe(0);

    const enforcing = await start(['--port', '0', '--in-memory', '--log-level', 'silent'], { CODESUITE_ENFORCE_IAM: '1', CODESUITE_BUILD_EXECUTOR: 'docker' });
    expect(enforcing.line).toMatch(/ · IAM enforcement on · builds in Docker$/);
    expect(await enforcing.stop()).toBe(0);
  });

  it('answers --help with every option, its environment variable and its default, grouped', async () => {
    for (const args of [['--help'], ['-h'], ['help', 'start'], ['start', '--help']]) {
      const { code, stdout, stderr } = await run(args);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      for (const group of OPTION_GROUPS) expect(stdout.toLowerCase()).toContain(`\n${group.toLowerCase()}:\n`);
      for (const [key, option] of Object.entries(OPTIONS)) {
        expect(stdout).toContain(`  ${flagName(key)}${option.value ? ` ${option.value}` : ''}\n`);
        expect(stdout).toContain(`env ${envName(key)}, default `);
      }
    }
    const general = (await run(['--help'])).stdout;
    expect(general).toContain('env CODESUITE_PORT, default 4577');
    expect(general).toContain('env CODESUITE_DATA_DIR, default ./.codesuite');
    expect(general).toContain('env CODESUITE_ENFORCE_IAM, default false');
    expect(general).toMatch(/^ {2}start +run the server/m);
    expect(general).toMatch(/^ {2}snapshot +save a running server/m);
    const snapshot = await run(['help', 'snapshot']);
    expect(snapshot.code).toBe(0);
    expect(snapshot.stdout).toContain('Usage: codesuite snapshot save FILE [--endpoint URL]');
  });

  it('answers --version with the package version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const { code, stdout } = await run([flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${version}\n`);
    }
  });

  it('refuses an unknown option, command or bad value in one line with exit status 2', async () => {
    const cases: [string[], string][] = [
      [['--bogus'], 'codesuite: unknown option --bogus (see codesuite --help)\n'],
      [['start', '--bogus=1'], 'codesuite: unknown option --bogus (see codesuite --help)\n'],
      [['--in-memry'], 'codesuite: unknown option --in-memry (did you mean --in-memory? see codesuite --help)\n'],
      [['frobnicate'], 'codesuite: unknown command frobnicate (see codesuite --help)\n'],
      [['--port'], 'codesuite: option --port needs a value (PORT)\n'],
      [['--port', 'eighty'], 'codesuite: invalid configuration: --port: Expected number, received nan\n'],
      [['snapshot'], 'codesuite: usage: codesuite snapshot save FILE [--endpoint URL]\n'],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await run(args);
      expect({ args, code, stdout, stderr }).toEqual({ args, code: 2, stdout: '', stderr: message });
    }
  });

  it('says in one line, with exit status 1, why a snapshot cannot be restored', async () => {
    const missing = join(data.path, 'missing.tar.gz');
    const { code, stdout, stderr } = await run(['--in-memory', '--restore', missing, '--log-level', 'silent']);
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: `codesuite: snapshot ${missing} does not exist\n` });
  });

  it('names --port, in one line and exit status 1, when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const { code, stdout, stderr } = await run(['--port', String(port), '--in-memory', '--log-level', 'silent']);
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: `codesuite: port ${port} on 127.0.0.1 is already in use; choose another with --port (or CODESUITE_PORT)\n`,
      });
    } finally {
      blocker.close();
    }
  });
});
