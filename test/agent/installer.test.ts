import { lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile, chmod, readlink, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAppSpec } from '../../agent/appspec.js';
import { install } from '../../agent/installer.js';

let work: string;
let archive: string;
let target: string;
let instructions: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'installer-'));
  archive = join(work, 'archive');
  target = join(work, 'srv');
  instructions = join(work, 'deployment-instructions');
  await mkdir(join(archive, 'app/bin'), { recursive: true });
  await writeFile(join(archive, 'app/index.html'), 'v1');
  await writeFile(join(archive, 'app/bin/run.sh'), '#!/bin/sh\n');
  await chmod(join(archive, 'app/bin/run.sh'), 0o700);
  await symlink('index.html', join(archive, 'app/latest'));
  await writeFile(join(archive, 'config.ini'), 'x=1');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const spec = (extra = '') =>
  parseAppSpec(`version: 0.0
os: linux
files:
  - source: app
    destination: ${target}/www
  - source: config.ini
    destination: ${target}/etc
${extra}`);

const run = (behavior = 'DISALLOW', extra = '') =>
  install({ deploymentGroupId: 'g-1', appSpec: spec(extra), archiveDir: archive, instructionsDir: instructions, fileExistsBehavior: behavior });

describe('Install', () => {
  it('copies directories and files, records the cleanup list and the install plan', async () => {
    await run();
    expect(await readFile(join(target, 'www/index.html'), 'utf8')).toBe('v1');
    expect((await stat(join(target, 'www/bin/run.sh'))).mode & 0o777).toBe(0o700);
    expect(await readlink(join(target, 'www/latest'))).toBe('index.html');
    expect(await readFile(join(target, 'etc/config.ini'), 'utf8')).toBe('x=1');
    const cleanup = (await readFile(join(instructions, 'g-1-cleanup'), 'utf8')).trim().split('\n');
    expect(cleanup).toEqual([
      target,
      join(target, 'www'),
      join(target, 'www/bin'),
      join(target, 'www/bin/run.sh'),
      join(target, 'www/index.html'),
      join(target, 'www/latest'),
      join(target, 'etc'),
      join(target, 'etc/config.ini'),
    ]);
    const plan = JSON.parse(await readFile(join(instructions, 'g-1-install.json'), 'utf8'));
    expect(plan.instructions[0]).toEqual({ type: 'mkdir', directory: target });
    expect(plan.instructions).toContainEqual({ type: 'copy', source: join(archive, 'config.ini'), destination: join(target, 'etc/config.ini') });
  });

  it("removes the previous install's files first, so a redeployment is not a conflict", async () => {
    await run();
    await rm(join(archive, 'config.ini'));
    await writeFile(join(archive, 'config.ini'), 'x=2');
    await writeFile(join(archive, 'app/index.html'), 'v2');
    await rm(join(archive, 'app/bin'), { recursive: true });
    await run();
    expect(await readFile(join(target, 'www/index.html'), 'utf8')).toBe('v2');
    await expect(lstat(join(target, 'www/bin'))).rejects.toThrow(/ENOENT/);
  });

  it('fails on a foreign file under DISALLOW, replaces it under OVERWRITE, keeps it under RETAIN', async () => {
    await mkdir(join(target, 'etc'), { recursive: true });
    await writeFile(join(target, 'etc/config.ini'), 'mine');
    await expect(run('DISALLOW')).rejects.toThrow(`The deployment failed because a specified file already exists at this location: ${join(target, 'etc/config.ini')}`);
    await run('RETAIN');
    expect(await readFile(join(target, 'etc/config.ini'), 'utf8')).toBe('mine');
    await rm(join(instructions, 'g-1-cleanup'));
    await rm(join(target, 'www'), { recursive: true });
    await run('OVERWRITE');
    expect(await readFile(join(target, 'etc/config.ini'), 'utf8')).toBe('x=1');
    // The AppSpec's own setting wins over the deployment's.
    await rm(join(instructions, 'g-1-cleanup'));
    await rm(join(target, 'www'), { recursive: true });
    await writeFile(join(target, 'etc/config.ini'), 'mine again');
    await run('DISALLOW', 'file_exists_behavior: RETAIN\n');
    expect(await readFile(join(target, 'etc/config.ini'), 'utf8')).toBe('mine again');
  });

  it('applies permissions to the files and directories it creates, with pattern and except', async () => {
    await run('DISALLOW', `permissions:
  - object: ${target}/www
    pattern: "*.html"
    mode: 640
    type: [file]
  - object: ${target}/www
    pattern: "bin"
    mode: 750
    type: [directory]
  - object: ${target}/etc/config.ini
    mode: 600
    owner: root
`);
    expect((await stat(join(target, 'www/index.html'))).mode & 0o777).toBe(0o640);
    expect((await stat(join(target, 'www/bin'))).mode & 0o777).toBe(0o750);
    expect((await stat(join(target, 'etc/config.ini'))).mode & 0o777).toBe(0o600);
    const plan = JSON.parse(await readFile(join(instructions, 'g-1-install.json'), 'utf8'));
    expect(plan.instructions).toContainEqual({ type: 'chown', owner: 'root', group: null, file: join(target, 'etc/config.ini') });
  });

  it('refuses two sources for one destination and a file pattern on a file object', async () => {
    await expect(
      install({ deploymentGroupId: 'g-1', appSpec: parseAppSpec(`version: 0.0\nos: linux\nfiles:\n  - source: config.ini\n    destination: ${target}\n  - source: config.ini\n    destination: ${target}\n`), archiveDir: archive, instructionsDir: instructions, fileExistsBehavior: 'DISALLOW' }),
    ).rejects.toThrow(/specifies two source files named .* for the same destination/);
    await expect(run('DISALLOW', `permissions:\n  - object: ${target}/etc/config.ini\n    pattern: "*.ini"\n    mode: 600\n`)).rejects.toThrow(/with an invalid pattern \(\*\.ini\)/);
  });
});
