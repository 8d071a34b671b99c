import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, s3Client, testServer, text } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
beforeAll(async () => {
  server = await testServer();
  s3 = s3Client(server);
});
afterAll(() => server.stop());

describe('versioning', () => {
  it('keeps every version, reads any of them, and hides the key behind a delete marker', async () => {
    const B = 'versions';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'app.zip', Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'app.zip', Body: 'two' }));
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'app.zip' }))).Body)).toBe('two');
    const old = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'app.zip', VersionId: v1.VersionId }));
    expect(await text(old.Body)).toBe('one');
    expect(old.VersionId).toBe(v1.VersionId);

    const marker = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'app.zip' }));
    expect(marker.DeleteMarker).toBe(true);
    expect(marker.VersionId).toBeDefined();
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'app.zip' })))).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'app.zip', VersionId: marker.VersionId })))).toMatchObject({ status: 405 });
    expect((await s3.send(new ListObjectsV2Command({ Bucket: B }))).KeyCount).toBe(0);

    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: B }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsLatest, v.Size])).toEqual([
      [v2.VersionId, false, 3],
      [v1.VersionId, false, 3],
    ]);
    expect(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[marker.VersionId, true]]);

    // Deleting the marker itself brings the newest version back.
    const removed = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'app.zip', VersionId: marker.VersionId }));
    expect(removed.DeleteMarker).toBe(true);
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'app.zip' }))).Body)).toBe('two');
    await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'app.zip', VersionId: v2.VersionId }));
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'app.zip' }))).Body)).toBe('one');
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'app.zip', VersionId: v2.VersionId })))).toMatchObject({
      name: 'NoSuchVersion',
      message: 'The specified version does not exist.',
    });
    expect(await awsError(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'app.zip', VersionId: 'not a version!' })))).toMatchObject({ status: 400 });
  });

  it('pages versions with key and version id markers', async () => {
    const B = 'version-pages';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
    for (const body of ['1', '2', '3']) await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'z', Body: 'z' }));
    const first = await s3.send(new ListObjectVersionsCommand({ Bucket: B, MaxKeys: 2 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.NextKeyMarker).toBe('k');
    const second = await s3.send(
      new ListObjectVersionsCommand({ Bucket: B, MaxKeys: 2, KeyMarker: first.NextKeyMarker, VersionIdMarker: first.NextVersionIdMarker }),
    );
    expect(second.Versions?.map((v) => v.Key)).toEqual(['k', 'z']);
    expect(second.IsTruncated).toBe(false);
    const all = [...(first.Versions ?? []), ...(second.Versions ?? [])];
    expect(new Set(all.map((v) => v.VersionId)).size).toBe(4);
  });

  it('overwrites the null version while versioning is suspended', async () => {
    const B = 'suspended';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
    const kept = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'versioned' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Suspended' } }));
    const n1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'null one' }));
    expect(n1.VersionId).toBe('null');
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'null two' }));
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: B }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(['null', kept.VersionId]);
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'k', VersionId: 'null' }))).Body)).toBe('null two');
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k' }));
    expect(marker).toMatchObject({ DeleteMarker: true, VersionId: 'null' });
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket: B }));
    expect(after.Versions?.map((v) => v.VersionId)).toEqual([kept.VersionId]);
    expect(after.DeleteMarkers?.map((m) => m.VersionId)).toEqual(['null']);
  });
});
