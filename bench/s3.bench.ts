/**
 * S3 figures (issue 5), against the built server in its own process so its memory is its own:
 *  1. a 1 GiB PutObject (streamed, aws-chunked with the SDK's trailing CRC32) and a 1 GiB
 *     GetObject: the server's peak RSS (VmHWM) after each, which must stay under 150 MB;
 *  2. PutObject+GetObject round trips of 1 MiB objects per second, next to writing and reading
 *     the same bytes as local files, as a ratio.
 * Run with `npm run build && npx tsx bench/s3.bench.ts`. Prints figures; asserts nothing.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const ROUND_TRIPS = 300;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Current and peak resident set size of a process, in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function startBuilt(dataDir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['dist/cli.js', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], { stdio: 'ignore' });
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/_codesuite/health`)).ok) break;
    } catch {
      await sleep(5);
    }
  }
  return { child, endpoint };
}

/** `total` bytes of a repeating 1 MiB random block, produced as they are read. */
function generated(total: number): Readable {
  const block = randomBytes(MiB);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(block.length, total - sent);
      sent += n;
      this.push(n === block.length ? block : block.subarray(0, n));
    },
  });
}

const work = mkdtempSync(join(tmpdir(), 'codesuite-s3-bench-'));
const { child, endpoint } = await startBuilt(join(work, 'data'));
try {
  const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  const idle = memory(child.pid!);
  console.log(`server idle:            RSS ${idle.rss.toFixed(1)} MB`);

  // 1. One GiB up and down.
  let t = performance.now();
  await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'one-gib', Body: generated(GiB), ContentLength: GiB }));
  const upSeconds = (performance.now() - t) / 1000;
  const afterUp = memory(child.pid!);
  console.log(`1 GiB PutObject:        ${upSeconds.toFixed(1)} s (${(1024 / upSeconds).toFixed(0)} MB/s), server peak RSS ${afterUp.peak.toFixed(1)} MB`);
  t = performance.now();
  const got = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'one-gib' }));
  let received = 0;
  for await (const chunk of got.Body as Readable) received += (chunk as Buffer).length;
  const downSeconds = (performance.now() - t) / 1000;
  const afterDown = memory(child.pid!);
  console.log(`1 GiB GetObject:        ${downSeconds.toFixed(1)} s (${(1024 / downSeconds).toFixed(0)} MB/s), ${received === GiB ? 'all bytes' : `ONLY ${received} bytes`}, server peak RSS ${afterDown.peak.toFixed(1)} MB`);
  console.log(`peak RSS over both:     ${afterDown.peak.toFixed(1)} MB (limit 150 MB): ${afterDown.peak < 150 ? 'within' : 'OVER'}`);

  // 2. 1 MiB round trips through S3 next to the same bytes through local files.
  const body = randomBytes(MiB);
  for (let i = 0; i < 20; i++) {
    await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `warm-${i}`, Body: body }));
    await (await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `warm-${i}` }))).Body!.transformToByteArray();
  }
  t = performance.now();
  for (let i = 0; i < ROUND_TRIPS; i++) {
    await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `obj-${i}`, Body: body }));
    await (await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `obj-${i}` }))).Body!.transformToByteArray();
  }
  const s3Seconds = (performance.now() - t) / 1000;
  t = performance.now();
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const file = join(work, `local-${i}`);
    await writeFile(file, body);
    await readFile(file);
  }
  const localSeconds = (performance.now() - t) / 1000;
  const s3Rate = ROUND_TRIPS / s3Seconds;
  const localRate = ROUND_TRIPS / localSeconds;
  console.log(`1 MiB Put+Get via S3:   ${s3Rate.toFixed(0)} round trips/s (${(2 * s3Rate).toFixed(0)} MB/s moved), SDK defaults (CRC32 checksums)`);
  console.log(`1 MiB local write+read: ${localRate.toFixed(0)} round trips/s (${(2 * localRate).toFixed(0)} MB/s moved)`);
  console.log(`ratio S3 / local file:  ${(s3Rate / localRate).toFixed(3)} (S3 takes ${(localRate / s3Rate).toFixed(1)}x as long)`);
  console.log(`server peak RSS, whole run: ${memory(child.pid!).peak.toFixed(1)} MB`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}
