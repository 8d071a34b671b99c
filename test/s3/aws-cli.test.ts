import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { testServer } from './helpers.js';

/** Each distinct AWS CLI on this machine: v1 first on PATH, v2 at /usr/bin/aws. */
function installedClis(): { path: string; version: string }[] {
  const found = new Map<string, string>();
  const which = spawnSync('which', ['-a', 'aws'], { encoding: 'utf8' });
  for (const path of [...(which.stdout ?? '').split('\n').filter(Boolean), '/usr/bin/aws']) {
    const run = spawnSync(path, ['--version'], { encoding: 'utf8' });
    const version = `${run.stdout}${run.stderr}`.trim().split(' ')[0];
    if (run.status === 0 && version.startsWith('aws-cli/') && ![...found.values()].includes(version)) found.set(path, version);
  }
  return [...found].map(([path, version]) => ({ path, version }));
}

const clis = installedClis();
const run = promisify(execFile);
let server: RunningServer;
let work: string;
const big = randomBytes(20 * 1024 * 1024);

beforeAll(async () => {
  server = await testServer();
  work = mkdtempSync(join(tmpdir(), 'codesuite-s3-cli-'));
  writeFileSync(join(work, 'big.bin'), big);
  mkdirSync(join(work, 'site', 'css'), { recursive: true });
  writeFileSync(join(work, 'site', 'index.html'), '<h1>hi</h1>');
  writeFileSync(join(work, 'site', 'css', 'main.css'), 'h1 { color: red }');
});
afterAll(async () => {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Asynchronous on purpose: the server runs in this process and must keep answering. */
async function aws(cli: string, args: string[]): Promise<string> {
  const { stdout } = await run(cli, ['--endpoint-url', server.endpoint, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  return stdout;
}

describe.skipIf(clis.length === 0)('aws s3 with the AWS CLI', () => {
  for (const [i, { path, version }] of clis.entries()) {
    it.concurrent(`${version}: mb, cp up and down (multipart), ls, sync, presign, rm`, async () => {
      const bucket = `cli-bucket-${i}`;
      const dir = join(work, `cli-${i}`);
      expect(await aws(path, ['s3', 'mb', `s3://${bucket}`])).toContain(`make_bucket: ${bucket}`);
      // 20 MB is past the CLI's 8 MB multipart threshold: three parts, then a ranged download.
      await aws(path, ['s3', 'cp', join(work, 'big.bin'), `s3://${bucket}/data/big.bin`, '--only-show-errors']);
      await aws(path, ['s3', 'cp', `s3://${bucket}/data/big.bin`, join(dir, 'big.bin'), '--only-show-errors']);
      expect(readFileSync(join(dir, 'big.bin')).equals(big)).toBe(true);
      const head = JSON.parse(await aws(path, ['s3api', 'head-object', '--bucket', bucket, '--key', 'data/big.bin']));
      expect(head.ETag).toMatch(/-3"$/);

      await aws(path, ['s3', 'sync', join(work, 'site'), `s3://${bucket}/site`, '--only-show-errors']);
      const listing = await aws(path, ['s3', 'ls', `s3://${bucket}`, '--recursive']);
      expect(listing).toContain('site/css/main.css');
      expect(listing).toContain('site/index.html');
      expect(listing).toMatch(/20971520 data\/big\.bin/);
      expect(await aws(path, ['s3', 'ls', `s3://${bucket}/`])).toMatch(/PRE data\/[\s\S]*PRE site\//);
      await aws(path, ['s3', 'sync', `s3://${bucket}/site`, join(dir, 'site'), '--only-show-errors']);
      expect(readFileSync(join(dir, 'site', 'css', 'main.css'), 'utf8')).toBe('h1 { color: red }');
      // A second sync finds nothing to copy.
      expect(await aws(path, ['s3', 'sync', join(work, 'site'), `s3://${bucket}/site`])).toBe('');

      const url = (await aws(path, ['s3', 'presign', `s3://${bucket}/site/index.html`, '--expires-in', '300'])).trim();
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('<h1>hi</h1>');

      expect(await aws(path, ['s3', 'rm', `s3://${bucket}/data/big.bin`])).toContain(`delete: s3://${bucket}/data/big.bin`);
      await aws(path, ['s3', 'rm', `s3://${bucket}`, '--recursive', '--only-show-errors']);
      expect(await aws(path, ['s3', 'ls', `s3://${bucket}`, '--recursive'])).toBe('');
      expect(await aws(path, ['s3', 'rb', `s3://${bucket}`])).toContain(`remove_bucket: ${bucket}`);
    }, 240_000); // a dozen CLI processes, each 1–2 s to start on a busy 2-core machine
  }
});
