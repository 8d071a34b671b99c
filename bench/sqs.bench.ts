/**
 * SQS figures (issue 15), against the built server in its own process:
 *  1. send/receive/delete throughput: 8 SDK clients, each looping SendMessage, ReceiveMessage,
 *     DeleteMessage on one standard queue, in cycles and API calls per second;
 *  2. send -> receive latency: a long poll (WaitTimeSeconds 20) is waiting when the message is
 *     sent; the time from the send's start until the poll answers, median and p95.
 * Run with `node scripts/bundle.mjs --if-stale && npx tsx bench/sqs.bench.ts`. Prints figures; asserts nothing.
 */
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLIENTS = 8;
const CYCLES_PER_CLIENT = 250;
const LATENCY_SAMPLES = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startBuilt(dataDir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['dist/cli.js', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], { stdio: 'ignore' });
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/_codesuite/health`)).ok) return { child, endpoint };
    } catch {
      await sleep(5);
    }
  }
}

const client = (endpoint: string) => new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

async function throughput(endpoint: string): Promise<void> {
  const QueueUrl = (await client(endpoint).send(new CreateQueueCommand({ QueueName: 'bench-throughput' }))).QueueUrl!;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const sqs = client(endpoint);
      for (let i = 0; i < CYCLES_PER_CLIENT; i++) {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `client ${c} message ${i}` }));
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
        for (const m of got.Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cycles = CLIENTS * CYCLES_PER_CLIENT;
  console.log(`throughput, ${CLIENTS} clients: ${(cycles / seconds).toFixed(0)} send+receive+delete cycles/s (${((cycles * 3) / seconds).toFixed(0)} calls/s) over ${cycles} cycles`);
}

async function latency(endpoint: string): Promise<void> {
  const QueueUrl = (await client(endpoint).send(new CreateQueueCommand({ QueueName: 'bench-latency' }))).QueueUrl!;
  const sender = client(endpoint);
  const receiver = client(endpoint);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    let sentAt = 0;
    const polled = receiver.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })).then((r) => ({ r, at: performance.now() }));
    // Lets the poll reach the server and start waiting before the message goes.
    await sleep(20);
    sentAt = performance.now();
    await sender.send(new SendMessageCommand({ QueueUrl, MessageBody: `latency ${i}` }));
    const { r, at } = await polled;
    samples.push(at - sentAt);
    await receiver.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: r.Messages![0].ReceiptHandle! }));
  }
  console.log(`send -> long-poll receive latency: median ${percentile(samples, 0.5).toFixed(1)} ms, p95 ${percentile(samples, 0.95).toFixed(1)} ms over ${LATENCY_SAMPLES} messages`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'codesuite-sqs-bench-'));
const { child, endpoint } = await startBuilt(dataDir);
try {
  await throughput(endpoint);
  await latency(endpoint);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
