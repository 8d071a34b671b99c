import { execFileSync } from 'node:child_process';
import { lstat, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile, mkdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractZip, readZip, writeZip, ZipError } from '../../src/core/archives/zip.js';
import { extractTarFile, TarError } from '../../src/core/archives/tar.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'zip-test-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const zipCli = (cwd: string, ...args: string[]) => execFileSync('zip', args, { cwd });

/** Offsets of a 4-byte little-endian signature in a buffer. */
function signatures(buf: Buffer, sig: number): number[] {
  const found: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i++) if (buf.readUInt32LE(i) === sig) found.push(i);
  return found;
}

/** A valid zip whose entry names are then rewritten byte for byte (same length, CRCs untouched). */
async function zipWithRenamedEntry(from: string, to: string): Promise<string> {
  await mkdir(join(work, 'src', ...from.split('/').slice(0, -1)), { recursive: true });
  await writeFile(join(work, 'src', from), 'payload');
  const path = join(work, 'renamed.zip');
  await writeZip(path, [{ path: join(work, 'src', from), name: from }]);
  const bytes = await readFile(path);
  const patched = Buffer.from(bytes.toString('latin1').split(from).join(to), 'latin1');
  await writeFile(path, patched);
  return path;
}

describe('zip module', () => {
  it('round-trips files with their Unix modes and symbolic links', async () => {
    await writeFile(join(work, 'run.sh'), '#!/bin/sh\necho hi\n');
    await chmod(join(work, 'run.sh'), 0o750);
    await writeFile(join(work, 'data.txt'), 'x'.repeat(10000));
    await symlink('data.txt', join(work, 'link'));
    const target = join(work, 'out.zip');
    const sums = await writeZip(target, [
      { path: join(work, 'run.sh'), name: 'bin/run.sh' },
      { path: join(work, 'data.txt'), name: 'data.txt' },
      { path: join(work, 'link'), name: 'link' },
    ], { symlinks: true });
    expect(sums.size).toBe((await stat(target)).size);
    expect(sums.sha256).toMatch(/^[0-9a-f]{64}$/);
    const entries = await readZip(target);
    expect(entries.map((e) => [e.name, (e.mode & 0o170777).toString(8)])).toEqual([
      ['bin/run.sh', '100750'],
      ['data.txt', '100644'],
      ['link', '120777'],
    ]);
    const out = join(work, 'x');
    expect(await extractZip(target, out)).toBe(3);
    expect((await stat(join(out, 'bin/run.sh'))).mode & 0o777).toBe(0o750);
    expect(await readlink(join(out, 'link'))).toBe('data.txt');
    expect(await readFile(join(out, 'data.txt'), 'utf8')).toHaveLength(10000);
    // Info-ZIP's own tester agrees the archive is sound.
    expect(execFileSync('unzip', ['-tq', target]).toString()).toContain('No errors detected');
  });

  it('reads what Info-ZIP writes: directories, streamed entries with data descriptors, forced zip64', async () => {
    await mkdir(join(work, 'src/scripts'), { recursive: true });
    await writeFile(join(work, 'src/appspec.yml'), 'version: 0.0\nos: linux\n');
    await writeFile(join(work, 'src/scripts/start.sh'), '#!/bin/sh\n');
    await chmod(join(work, 'src/scripts/start.sh'), 0o755);
    zipCli(join(work, 'src'), '-qr', join(work, 'plain.zip'), '.');
    const plain = await readZip(join(work, 'plain.zip'));
    expect(plain.map((e) => e.name).sort()).toEqual(['appspec.yml', 'scripts/start.sh']);
    expect(plain.find((e) => e.name === 'scripts/start.sh')!.mode & 0o777).toBe(0o755);

    // Writing to stdout cannot seek back: zip puts sizes in data descriptors (flag bit 3).
    const streamed = execFileSync('zip', ['-q', '-', 'appspec.yml', 'scripts/start.sh'], { cwd: join(work, 'src') });
    expect(streamed.readUInt16LE(6) & 0x8).toBe(0x8);
    expect(signatures(streamed, 0x08074b50).length).toBeGreaterThan(0);
    const fromStream = await readZip(streamed);
    expect(fromStream.find((e) => e.name === 'appspec.yml')!.data.toString()).toBe('version: 0.0\nos: linux\n');

    zipCli(join(work, 'src'), '-qr', '-fz', join(work, 'z64.zip'), '.');
    const z64 = await readFile(join(work, 'z64.zip'));
    expect(signatures(z64, 0x06064b50)).toHaveLength(1);
    const out = join(work, 'z64');
    expect(await extractZip(z64, out)).toBe(2);
    expect(await readFile(join(out, 'appspec.yml'), 'utf8')).toContain('os: linux');
  });

  it('reads what Python\'s zipfile writes for `aws deploy push`, even streamed with forced zip64', async () => {
    // push.py zips with zipfile (ZIP_DEFLATED, allowZip64); written to a pipe it cannot seek, so
    // each entry gets a data descriptor, and force_zip64 adds the zip64 extra fields.
    const program = [
      'import sys, zipfile',
      'with zipfile.ZipFile(sys.stdout.buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:',
      '    z.writestr("appspec.yml", "version: 0.0\\nos: linux\\n")',
      '    with z.open("scripts/big.txt", "w", force_zip64=True) as f:',
      '        f.write(b"x" * 100000)',
    ].join('\n');
    const bytes = execFileSync('python3', ['-c', program]);
    expect(signatures(bytes, 0x08074b50).length).toBe(2);
    expect(signatures(bytes, 0x06064b50)).toHaveLength(0);
    const entries = await readZip(bytes);
    expect(entries.map((e) => [e.name, e.data.length])).toEqual([['appspec.yml', 23], ['scripts/big.txt', 100000]]);
  });

  it('writes zip64 archives yauzl and unzip both read back', async () => {
    await writeFile(join(work, 'a.txt'), 'zip64');
    // yazl switches to zip64 only past 4 GiB; forcing it here proves the reader side of our own writer.
    const { default: yazl } = await import('yazl');
    const zip = new yazl.ZipFile();
    zip.addFile(join(work, 'a.txt'), 'a.txt', { forceZip64Format: true });
    zip.end({ forceZip64Format: true, comment: '' });
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    expect(signatures(bytes, 0x06064b50)).toHaveLength(1);
    expect((await readZip(bytes)).map((e) => e.data.toString())).toEqual(['zip64']);
  });

  it('refuses entries that climb out of the target directory or are absolute', async () => {
    const climbing = await zipWithRenamedEntry('aa/evil.txt', '../evil.txt');
    await expect(extractZip(climbing, join(work, 'out1'))).rejects.toBeInstanceOf(ZipError);
    await expect(lstat(join(work, 'evil.txt'))).rejects.toThrow(/ENOENT/);

    const absolute = await zipWithRenamedEntry('_tmp/evil.txt', '/tmp/evil.txt');
    await expect(extractZip(absolute, join(work, 'out2'))).rejects.toBeInstanceOf(ZipError);
  });

  it('refuses what is not a zip', async () => {
    await expect(readZip(Buffer.from('not a zip at all'))).rejects.toBeInstanceOf(ZipError);
  });

  it('extracts tar and tgz bundles with their modes and refuses traversal', async () => {
    await mkdir(join(work, 'src/bin'), { recursive: true });
    await writeFile(join(work, 'src/bin/go.sh'), '#!/bin/sh\n');
    await chmod(join(work, 'src/bin/go.sh'), 0o700);
    execFileSync('tar', ['-czf', join(work, 'b.tgz'), '-C', join(work, 'src'), '.']);
    execFileSync('tar', ['-cf', join(work, 'b.tar'), '-C', join(work, 'src'), 'bin']);
    expect(await extractTarFile(join(work, 'b.tgz'), join(work, 'o1'), { gzip: true })).toBe(1);
    expect((await stat(join(work, 'o1/bin/go.sh'))).mode & 0o777).toBe(0o700);
    expect(await extractTarFile(join(work, 'b.tar'), join(work, 'o2'), { gzip: false })).toBe(1);

    execFileSync('tar', ['-cf', join(work, 'evil.tar'), '-P', '-C', join(work, 'src'), '--transform', 's,^bin,../escaped,', 'bin']);
    await expect(extractTarFile(join(work, 'evil.tar'), join(work, 'o3'), { gzip: false })).rejects.toBeInstanceOf(TarError);
    await expect(lstat(join(work, 'escaped'))).rejects.toThrow(/ENOENT/);
    await expect(extractTarFile(join(work, 'b.tar'), join(work, 'o4'), { gzip: true })).rejects.toBeInstanceOf(TarError);
  });
});
