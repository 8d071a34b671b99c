import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, failureDiagnostics, ScriptError } from '../../agent/diagnostics.js';
import { runHooks, type HookContext } from '../../agent/hooks.js';

let root: string;
let archive: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hooks-'));
  archive = join(root, 'deployment-archive');
  await mkdir(join(archive, 'scripts'), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function script(name: string, body: string, mode = 0o755): Promise<void> {
  await writeFile(join(archive, 'scripts', name), `#!/bin/sh\n${body}\n`);
  await chmod(join(archive, 'scripts', name), mode);
}

async function appspec(hooks: string): Promise<void> {
  await writeFile(join(archive, 'appspec.yml'), `version: 0.0\nos: linux\nhooks:\n${hooks}`);
}

const context = (event: string): HookContext => ({
  lifecycleEvent: event,
  deploymentId: 'd-ABCDEF123',
  applicationName: 'app',
  deploymentGroupName: 'group',
  deploymentGroupId: 'g-uuid',
  deploymentRootDir: root,
  appSpecFilename: 'appspec.yml',
  revisionEnv: { BUNDLE_BUCKET: 'bucket', BUNDLE_KEY: 'key.zip', BUNDLE_VERSION: '', BUNDLE_ETAG: 'abc' },
  baseEnv: { PATH: process.env.PATH, FROM_AGENT: 'kept' },
});

/** Alive and not a zombie waiting for a reaper (killed children of a killed shell end up so). */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

async function failure(event: string): Promise<ScriptError> {
  try {
    await runHooks(context(event));
  } catch (err) {
    expect(err).toBeInstanceOf(ScriptError);
    return err as ScriptError;
  }
  throw new Error('expected the hook to fail');
}

describe('hook execution', () => {
  it('runs an event’s scripts in order with the lifecycle environment and logs their output', async () => {
    await script('one.sh', `echo "one $LIFECYCLE_EVENT $DEPLOYMENT_ID $APPLICATION_NAME $DEPLOYMENT_GROUP_NAME $DEPLOYMENT_GROUP_ID $BUNDLE_BUCKET $BUNDLE_KEY $BUNDLE_ETAG $FROM_AGENT" >> ${root}/order; echo to-stderr >&2`);
    await script('two.sh', `echo two >> ${root}/order`);
    await appspec('  AfterInstall:\n    - location: scripts/one.sh\n    - location: scripts/two.sh\n');
    const log = await runHooks(context('AfterInstall'));
    expect(await readFile(join(root, 'order'), 'utf8')).toBe('one AfterInstall d-ABCDEF123 app group g-uuid bucket key.zip abc kept\ntwo\n');
    expect(log.text).toContain('[stderr]to-stderr\n');
    const lines = (await readFile(join(root, 'logs/scripts.log'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, ''))).toEqual([
      'LifecycleEvent - AfterInstall',
      'Script - scripts/one.sh',
      '[stderr]to-stderr',
      'Script - scripts/two.sh',
    ]);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d LifecycleEvent - AfterInstall$/);
  });

  it('does nothing for an event without scripts', async () => {
    await appspec('  AfterInstall:\n    - location: scripts/none.sh\n');
    expect((await runHooks(context('BeforeInstall'))).text).toBe('');
  });

  it('reports a missing script with code 1', async () => {
    await appspec('  BeforeInstall:\n    - location: scripts/absent.sh\n');
    const err = await failure('BeforeInstall');
    expect([err.code, err.scriptName, err.message]).toEqual([ErrorCode.ScriptMissing, 'scripts/absent.sh', 'Script does not exist at specified location: scripts/absent.sh']);
  });

  it('makes a non-executable script executable, and reports code 2 when it cannot', async () => {
    await script('plain.sh', `echo ran >> ${root}/ran`, 0o644);
    await appspec('  BeforeInstall:\n    - location: scripts/plain.sh\n');
    await runHooks(context('BeforeInstall'));
    expect(await readFile(join(root, 'ran'), 'utf8')).toBe('ran\n');

    await chmod(join(archive, 'scripts/plain.sh'), 0o644);
    // An immutable file refuses chmod even to root.
    execFileSync('chattr', ['+i', join(archive, 'scripts/plain.sh')]);
    try {
      const err = await failure('BeforeInstall');
      expect([err.code, err.message]).toEqual([ErrorCode.ScriptNotExecutable, 'Unable to set script at specified location: scripts/plain.sh as executable']);
    } finally {
      execFileSync('chattr', ['-i', join(archive, 'scripts/plain.sh')]);
    }
  });

  it('reports a failing script with code 4, its exit code and the log tail', async () => {
    await script('fail.sh', 'echo about to fail; exit 3');
    await appspec('  ValidateService:\n    - location: scripts/fail.sh\n');
    const err = await failure('ValidateService');
    expect([err.code, err.message]).toEqual([ErrorCode.ScriptFailed, 'Script at specified location: scripts/fail.sh failed with exit code 3']);
    const payload = JSON.parse(failureDiagnostics(err));
    expect(payload).toEqual({ error_code: 4, script_name: 'scripts/fail.sh', message: err.message, log: 'LifecycleEvent - ValidateService\nScript - scripts/fail.sh\n[stdout]about to fail\n' });
  });

  it('keeps only the last 2048 characters of log entries', async () => {
    await script('noisy.sh', 'i=0; while [ $i -lt 300 ]; do echo "line $i of noisy output"; i=$((i+1)); done; exit 1');
    await appspec('  ValidateService:\n    - location: scripts/noisy.sh\n');
    const err = await failure('ValidateService');
    expect(err.log.text.length).toBeLessThanOrEqual(2048);
    expect(err.log.text.endsWith('[stdout]line 299 of noisy output\n')).toBe(true);
    expect(err.log.text.startsWith('[stdout]line ')).toBe(true);
  });

  it('stops a script over its timeout with SIGTERM to its process group (code 3)', async () => {
    await script('slow.sh', `sleep 30 & echo $! > ${root}/child; wait`);
    await appspec('  ApplicationStart:\n    - location: scripts/slow.sh\n      timeout: 1\n');
    const err = await failure('ApplicationStart');
    expect([err.code, err.message]).toEqual([ErrorCode.ScriptTimedOut, 'Script at specified location: scripts/slow.sh failed to complete in 1 seconds']);
    const child = Number((await readFile(join(root, 'child'), 'utf8')).trim());
    // The background child got the group's SIGTERM too.
    await expect.poll(() => running(child)).toBe(false);
  });

  it('names the user in the message of a failing runas script', async () => {
    await script('whoami.sh', `id -un > ${root}/user; exit 2`);
    await chmod(archive, 0o755);
    await chmod(root, 0o755);
    await appspec('  AfterInstall:\n    - location: scripts/whoami.sh\n      runas: root\n');
    const err = await failure('AfterInstall');
    expect(err.message).toBe('Script at specified location: scripts/whoami.sh run as user root failed with exit code 2');
    expect(await readFile(join(root, 'user'), 'utf8')).toBe('root\n');
  });
});
