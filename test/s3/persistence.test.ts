import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.js';
import { s3Client, text } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'codesuite-s3-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

describe('objects on disk', () => {
  it('keep what was acknowledged across a restart and drop files no version references', async () => {
    let server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
    let s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: 'durable' }));
    await s3.send(new PutObjectCommand({ Bucket: 'durable', Key: 'kept.txt', Body: 'still here' }));
    await s3.send(new PutObjectCommand({ Bucket: 'durable', Key: 'kept.txt', Body: 'replaced' }));
    await server.stop();
    const blobs = join(dataDir, 's3', 'blobs');
    expect(files(blobs)).toHaveLength(1);
    // What a crash between writing a file and committing its version leaves behind.
    mkdirSync(join(blobs, 'ab'), { recursive: true });
    writeFileSync(join(blobs, 'ab', 'ab00000000000000000000000000orphan'), 'half');
    writeFileSync(join(dataDir, 's3', 'tmp', 'partial-upload'), 'half');

    server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
    s3 = s3Client(server);
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: 'durable', Key: 'kept.txt' }))).Body)).toBe('replaced');
    expect(files(blobs)).toHaveLength(1);
    expect(files(join(dataDir, 's3', 'tmp'))).toEqual([]);
    await server.stop();
  });
});
