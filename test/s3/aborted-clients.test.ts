import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { tempDir } from '../helpers/git.js';
import { awsError, s3Client, testServer } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
const work = tempDir();
const B = 'aborted';

beforeAll(async () => {
  server = await testServer({ inMemory: false, dataDir: work.path });
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

async function healthy(): Promise<boolean> {
  return (await fetch(`${server.endpoint}/_codesuite/health`)).status === 200;
}

async function rawSocket(head: string): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(head);
  return socket;
}

/** Temporary files of uploads in flight, once the server has let go of the aborted one. */
async function pendingUploads(): Promise<string[]> {
  const dir = join(work.path, 's3', 'tmp');
  for (let i = 0; i < 100 && readdirSync(dir).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  return readdirSync(dir);
}

describe('an S3 client that goes away', () => {
  it('in the middle of an upload stores nothing, leaves no temporary file, and the server keeps serving', async () => {
    const socket = await rawSocket(
      `PUT /${B}/half HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${4 * 1024 * 1024}\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\n\r\n`,
    );
    await new Promise<void>((r) => socket.write(randomBytes(512 * 1024), () => r()));
    socket.destroy();
    expect(await healthy()).toBe(true);
    expect(await pendingUploads()).toEqual([]);
    expect((await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'half' })))).name).toBe('NoSuchKey');
  });

  it('while downloading leaves the object whole for the next reader', async () => {
    const bytes = randomBytes(8 * 1024 * 1024);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'big', Body: bytes }));
    const socket = await rawSocket(`GET /${B}/big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await once(socket, 'data');
    socket.destroy();
    expect(await healthy()).toBe(true);
    const again = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'big' }));
    expect(Buffer.from(await again.Body!.transformToByteArray()).equals(bytes)).toBe(true);
  });
});
