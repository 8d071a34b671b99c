import {
  CreateBucketCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, s3Client, testServer } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
const B = 'tagging';
beforeAll(async () => {
  server = await testServer();
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(() => server.stop());

describe('object tagging', () => {
  it('takes tags with the upload and replaces, reads and deletes them', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'artifact.zip', Body: 'x', Tagging: 'stage=build&owner=team%20a' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'artifact.zip' }))).TagSet).toEqual([
      { Key: 'stage', Value: 'build' },
      { Key: 'owner', Value: 'team a' },
    ]);
    expect((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'artifact.zip' }))).TagCount).toBe(2);
    await s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'artifact.zip', Tagging: { TagSet: [{ Key: 'stage', Value: 'deploy' }] } }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'artifact.zip' }))).TagSet).toEqual([{ Key: 'stage', Value: 'deploy' }]);
    const deleted = await s3.send(new DeleteObjectTaggingCommand({ Bucket: B, Key: 'artifact.zip' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'artifact.zip' }))).TagSet).toEqual([]);
  });

  it('enforces the limits and syntax of object tags', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    expect(await awsError(s3.send(new PutObjectCommand({ Bucket: B, Key: 'many', Body: 'x', Tagging: eleven })))).toMatchObject({
      name: 'BadRequest',
      message: 'Object tags cannot be greater than 10',
    });
    expect(await awsError(s3.send(new PutObjectCommand({ Bucket: B, Key: 'dup', Body: 'x', Tagging: 'a=1&a=2' })))).toMatchObject({ name: 'InvalidArgument' });
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'plain', Body: 'x' }));
    expect(
      await awsError(s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'plain', Tagging: { TagSet: [{ Key: 'k'.repeat(129), Value: 'v' }] } }))),
    ).toMatchObject({ name: 'InvalidTag', message: 'The TagKey you have provided is invalid' });
    expect(await awsError(s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'missing' })))).toMatchObject({ name: 'NoSuchKey' });
  });

  it('tags one version of a versioned object', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'v', Body: '1', Tagging: 'n=1' }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'v', Body: '2', Tagging: 'n=2' }));
    const tagged = await s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'v', VersionId: v1.VersionId, Tagging: { TagSet: [{ Key: 'n', Value: 'one' }] } }));
    expect(tagged.VersionId).toBe(v1.VersionId);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'v', VersionId: v1.VersionId }))).TagSet).toEqual([{ Key: 'n', Value: 'one' }]);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'v' }))).TagSet).toEqual([{ Key: 'n', Value: '2' }]);
  });
});
