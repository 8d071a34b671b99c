import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, raw, s3Client, testServer } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
const B = 'attributes';
const body = 'attribute bytes\n';

beforeAll(async () => {
  server = await testServer();
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'plain', Body: body, ChecksumAlgorithm: 'SHA256' }));
});
afterAll(() => server.stop());

describe('GetObjectAttributes', () => {
  it('answers the attributes asked for, and never the object bytes', async () => {
    const all = await s3.send(
      new GetObjectAttributesCommand({ Bucket: B, Key: 'plain', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass', 'Checksum', 'ObjectParts'] }),
    );
    expect(all.ETag).toBe(createHash('md5').update(body).digest('hex'));
    expect(all.ObjectSize).toBe(body.length);
    expect(all.StorageClass).toBe('STANDARD');
    expect(all.Checksum).toEqual({ ChecksumSHA256: createHash('sha256').update(body).digest('base64'), ChecksumType: 'FULL_OBJECT' });
    expect(all.ObjectParts).toBeUndefined();
    expect(all.LastModified).toBeInstanceOf(Date);

    const some = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'plain', ObjectAttributes: ['ObjectSize'] }));
    expect(some.ObjectSize).toBe(body.length);
    expect(some.ETag).toBeUndefined();
    expect(some.Checksum).toBeUndefined();
  });

  it('lists the parts of a multipart object uploaded with checksums', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'multi', ChecksumAlgorithm: 'CRC32' }));
    const first = Buffer.alloc(5 * 1024 * 1024, 'a');
    const parts = [];
    for (const [i, bytes] of [first, Buffer.from('tail')].entries()) {
      const part = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'multi', UploadId, PartNumber: i + 1, Body: bytes, ChecksumAlgorithm: 'CRC32' }));
      parts.push({ PartNumber: i + 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'multi', UploadId, MultipartUpload: { Parts: parts } }));
    const attrs = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'multi', ObjectAttributes: ['ObjectParts'], MaxParts: 1 }));
    expect(attrs.ObjectParts).toMatchObject({
      TotalPartsCount: 2,
      MaxParts: 1,
      IsTruncated: true,
      NextPartNumberMarker: '1',
      Parts: [{ PartNumber: 1, Size: first.length, ChecksumCRC32: parts[0].ChecksumCRC32 }],
    });
  });

  it('refuses a missing header or an unknown attribute as S3 does', async () => {
    const missing = await raw(server, 'GET', `/${B}/plain?attributes`);
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('<Code>InvalidRequest</Code>');
    expect(missing.body).not.toContain(body);
    const unknown = await raw(server, 'GET', `/${B}/plain?attributes`, { 'x-amz-object-attributes': 'Colour' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('<Code>InvalidArgument</Code>');
    expect(unknown.body).toContain('<Message>Invalid attribute name specified.</Message>');
    const gone = await awsError(s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'nothing', ObjectAttributes: ['ETag'] })));
    expect(gone.name).toBe('NoSuchKey');
  });
});

describe('ListParts without an upload id', () => {
  it('is refused, not answered with the object', async () => {
    const viaSdk = await awsError(s3.send(new ListPartsCommand({ Bucket: B, Key: 'plain', UploadId: undefined as never })));
    expect(viaSdk.status).toBe(400);
    const wire = await raw(server, 'GET', `/${B}/plain?x-id=ListParts`);
    expect(wire.status).toBe(400);
    expect(wire.body).not.toContain(body);
    // Without the SDK's operation hint the same request is a GetObject, as on S3.
    expect((await raw(server, 'GET', `/${B}/plain`)).body).toBe(body);
  });
});
