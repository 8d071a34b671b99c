import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type ChecksumAlgorithm,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, raw, s3Client, testServer, text } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
const B = 'objects';
beforeAll(async () => {
  server = await testServer();
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(() => server.stop());

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');
const crc32Base64 = (s: string) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(s));
  return b.toString('base64');
};

describe('PutObject and GetObject', () => {
  it('stores bytes, content type and user metadata, and returns them with an MD5 ETag', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: B,
        Key: 'docs/readme.txt',
        Body: 'hello, s3',
        ContentType: 'text/plain',
        CacheControl: 'max-age=60',
        ContentDisposition: 'inline',
        Metadata: { Owner: 'build-team', stage: 'one' },
      }),
    );
    expect(put.ETag).toBe(`"${md5('hello, s3')}"`);
    expect(put.ChecksumCRC32).toBe(crc32Base64('hello, s3'));
    expect(put.ChecksumType).toBe('FULL_OBJECT');
    expect(put.VersionId).toBeUndefined();
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'docs/readme.txt' }));
    expect(await text(got.Body)).toBe('hello, s3');
    expect(got).toMatchObject({
      ContentType: 'text/plain',
      ContentLength: 9,
      CacheControl: 'max-age=60',
      ContentDisposition: 'inline',
      ETag: put.ETag,
      AcceptRanges: 'bytes',
      Metadata: { owner: 'build-team', stage: 'one' },
      ChecksumCRC32: put.ChecksumCRC32,
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'docs/readme.txt' }));
    expect(head).toMatchObject({ ContentLength: 9, ContentType: 'text/plain', ETag: put.ETag });
    expect(head.LastModified).toBeInstanceOf(Date);
  });

  it('verifies and returns every checksum algorithm the SDK offers', async () => {
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as ChecksumAlgorithm[]) {
      const key = `sums/${algorithm}`;
      const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: `body for ${algorithm}`, ChecksumAlgorithm: algorithm }));
      const member = `Checksum${algorithm}` as const;
      expect(put[member as keyof typeof put]).toBeTruthy();
      // The SDK validates the returned checksum against the bytes it reads (ChecksumMode ENABLED).
      const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: key, ChecksumMode: 'ENABLED' }));
      expect(await text(got.Body)).toBe(`body for ${algorithm}`);
      expect(got[member as keyof typeof got]).toBe(put[member as keyof typeof put]);
      expect(got.ChecksumType).toBe('FULL_OBJECT');
    }
  });

  it('streams a body of unknown chunks as aws-chunked with a trailing checksum', async () => {
    const chunks = [Buffer.alloc(100_000, 'a'), Buffer.alloc(70_000, 'b'), Buffer.from('end')];
    const put = await s3.send(
      new PutObjectCommand({ Bucket: B, Key: 'streamed.bin', Body: Readable.from(chunks), ContentLength: 170_003, ChecksumAlgorithm: 'SHA256' }),
    );
    const all = Buffer.concat(chunks);
    expect(put.ETag).toBe(`"${md5(all)}"`);
    expect(put.ChecksumSHA256).toBe(createHash('sha256').update(all).digest('base64'));
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'streamed.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(all)).toBe(true);
  });

  it('gives objects uploaded without a checksum the default CRC64NVME', async () => {
    const res = await raw(server, 'PUT', `/${B}/plain.txt`, { 'content-type': 'text/plain' }, 'no checksum sent');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amz-checksum-crc64nvme')).toBeTruthy();
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'plain.txt', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC64NVME).toBe(res.headers.get('x-amz-checksum-crc64nvme'));
    expect(await text(got.Body)).toBe('no checksum sent');
  });

  it('refuses a body that does not match its Content-MD5 or checksum, storing nothing', async () => {
    expect(
      await awsError(s3.send(new PutObjectCommand({ Bucket: B, Key: 'bad-md5', Body: 'data', ContentMD5: createHash('md5').update('other').digest('base64') }))),
    ).toMatchObject({ name: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.', status: 400 });
    expect(await awsError(s3.send(new PutObjectCommand({ Bucket: B, Key: 'bad-md5', Body: 'data', ContentMD5: 'not-base64' })))).toMatchObject({
      name: 'InvalidDigest',
    });
    expect(await awsError(s3.send(new PutObjectCommand({ Bucket: B, Key: 'bad-crc', Body: 'data', ChecksumCRC32: crc32Base64('other') })))).toMatchObject({
      name: 'BadDigest',
      message: 'The CRC32 you specified did not match the calculated checksum.',
    });
    expect(await awsError(s3.send(new PutObjectCommand({ Bucket: B, Key: 'bad-crc', Body: 'data', ChecksumCRC32: 'AAAA' })))).toMatchObject({
      name: 'InvalidRequest',
      message: 'Value for x-amz-checksum-crc32 header is invalid.',
    });
    const two = await raw(server, 'PUT', `/${B}/two-sums`, { 'x-amz-checksum-crc32': crc32Base64('x'), 'x-amz-checksum-sha1': createHash('sha1').update('x').digest('base64') }, 'x');
    expect(two.body).toContain('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
    const alone = await raw(server, 'PUT', `/${B}/alone`, { 'x-amz-sdk-checksum-algorithm': 'CRC32' }, 'x');
    expect(alone.body).toContain('x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
    const hash = await raw(server, 'PUT', `/${B}/hash`, { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }, 'x');
    expect(hash.status).toBe(400);
    expect(hash.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    for (const key of ['bad-md5', 'bad-crc', 'two-sums', 'alone', 'hash']) {
      expect(await awsError(s3.send(new HeadObjectCommand({ Bucket: B, Key: key })))).toMatchObject({ status: 404 });
    }
  });

  it('answers NoSuchKey and NoSuchBucket', async () => {
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'missing' })))).toMatchObject({
      name: 'NoSuchKey',
      message: 'The specified key does not exist.',
      status: 404,
    });
    expect(await awsError(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' })))).toMatchObject({ name: 'NoSuchBucket' });
    expect(await awsError(s3.send(new PutObjectCommand({ Bucket: B, Key: 'k'.repeat(1025), Body: 'x' })))).toMatchObject({ name: 'KeyTooLongError' });
  });

  it('serves byte ranges', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'digits', Body: '0123456789' }));
    const cases: [string, string, string][] = [
      ['bytes=2-5', '2345', 'bytes 2-5/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=8-100', '89', 'bytes 8-9/10'],
    ];
    for (const [range, body, contentRange] of cases) {
      const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', Range: range }));
      expect(await text(got.Body)).toBe(body);
      expect(got.ContentRange).toBe(contentRange);
      expect(got.$metadata.httpStatusCode).toBe(206);
    }
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', Range: 'bytes=10-' })))).toMatchObject({
      name: 'InvalidRange',
      status: 416,
    });
    const ignored = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', Range: 'lines=1-2' }));
    expect(await text(ignored.Body)).toBe('0123456789');
  });

  it('honours If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since', async () => {
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'cond', Body: 'v1' }));
    const later = new Date(Date.now() + 60_000);
    const earlier = new Date(Date.now() - 60_000);
    await expect(s3.send(new GetObjectCommand({ Bucket: B, Key: 'cond', IfMatch: ETag }))).resolves.toBeDefined();
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'cond', IfMatch: '"0000"' })))).toMatchObject({
      name: 'PreconditionFailed',
      message: 'At least one of the pre-conditions you specified did not hold',
      status: 412,
    });
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'cond', IfNoneMatch: ETag })))).toMatchObject({ status: 304 });
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'cond', IfModifiedSince: later })))).toMatchObject({ status: 304 });
    await expect(s3.send(new GetObjectCommand({ Bucket: B, Key: 'cond', IfModifiedSince: earlier }))).resolves.toBeDefined();
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'cond', IfUnmodifiedSince: earlier })))).toMatchObject({ status: 412 });
    expect(await awsError(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'cond', IfMatch: '"0000"' })))).toMatchObject({ status: 412 });
  });

  it('makes conditional writes', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'once', Body: 'first', IfNoneMatch: '*' }));
    expect(await awsError(s3.send(new PutObjectCommand({ Bucket: B, Key: 'once', Body: 'second', IfNoneMatch: '*' })))).toMatchObject({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect(await awsError(s3.send(new PutObjectCommand({ Bucket: B, Key: 'once', Body: 'third', IfMatch: '"abc"' })))).toMatchObject({ status: 412 });
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'once' }))).Body)).toBe('first');
  });

  it('stores a form-encoded object as an object, not as a Query API call', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'form.txt', Body: 'a=1&Action=ListUsers', ContentType: 'application/x-www-form-urlencoded' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'form.txt' }));
    expect(await text(got.Body)).toBe('a=1&Action=ListUsers');
    expect(got.ContentType).toBe('application/x-www-form-urlencoded');
  });

  it('overrides response headers with response-* parameters', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'override.bin', Body: 'x', ContentType: 'application/octet-stream' }));
    const got = await s3.send(
      new GetObjectCommand({
        Bucket: B,
        Key: 'override.bin',
        ResponseContentType: 'text/csv',
        ResponseContentDisposition: 'attachment; filename="a.csv"',
        ResponseCacheControl: 'no-cache',
      }),
    );
    expect(got).toMatchObject({ ContentType: 'text/csv', ContentDisposition: 'attachment; filename="a.csv"', CacheControl: 'no-cache' });
  });
});

describe('DeleteObject and DeleteObjects', () => {
  it('deletes one object, and is quiet about a missing one', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'gone', Body: 'x' }));
    const res = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'gone' }));
    expect(res.$metadata.httpStatusCode).toBe(204);
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'gone' })))).toMatchObject({ name: 'NoSuchKey' });
    await expect(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'gone' }))).resolves.toBeDefined();
  });

  it('deletes many objects in one request', async () => {
    for (const k of ['many/1', 'many/2', 'many/3']) await s3.send(new PutObjectCommand({ Bucket: B, Key: k, Body: k }));
    const res = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'many/1' }, { Key: 'many/2' }, { Key: 'many/never' }] } }));
    expect(res.Deleted?.map((d) => d.Key).sort()).toEqual(['many/1', 'many/2', 'many/never']);
    expect(res.Errors ?? []).toEqual([]);
    expect(await awsError(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'many/1' })))).toMatchObject({ status: 404 });
    await expect(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'many/3' }))).resolves.toBeDefined();
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'many/3' }], Quiet: true } }));
    expect(quiet.Deleted).toBeUndefined();
  });

  it('requires a checksum on DeleteObjects and refuses malformed XML', async () => {
    const xml = '<Delete><Object><Key>a</Key></Object></Delete>';
    const unsummed = await raw(server, 'POST', `/${B}?delete`, {}, xml);
    expect(unsummed.status).toBe(400);
    expect(unsummed.body).toContain('Missing required header for this request: Content-MD5');
    const broken = '<Delete><Object><Key>a</Key></Delete>';
    const malformed = await raw(server, 'POST', `/${B}?delete`, { 'content-md5': createHash('md5').update(broken).digest('base64') }, broken);
    expect(malformed.body).toContain('<Code>MalformedXML</Code>');
  });
});

describe('CopyObject', () => {
  it('copies bytes and metadata, or replaces the metadata', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'copy/src.txt', Body: 'source', ContentType: 'text/plain', Metadata: { a: '1' } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: B, Key: 'copy/dst.txt', CopySource: `${B}/copy/src.txt` }));
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5('source')}"`);
    const dst = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'copy/dst.txt' }));
    expect(await text(dst.Body)).toBe('source');
    expect(dst).toMatchObject({ ContentType: 'text/plain', Metadata: { a: '1' } });
    await s3.send(
      new CopyObjectCommand({
        Bucket: B,
        Key: 'copy/replaced.txt',
        CopySource: `${B}/copy/src.txt`,
        MetadataDirective: 'REPLACE',
        ContentType: 'application/json',
        Metadata: { b: '2' },
      }),
    );
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'copy/replaced.txt' }));
    expect(replaced).toMatchObject({ ContentType: 'application/json', Metadata: { b: '2' } });
    await s3.send(new CopyObjectCommand({ Bucket: B, Key: 'copy/src.txt', CopySource: `${B}/copy/src.txt`, MetadataDirective: 'REPLACE', Metadata: { c: '3' } }));
  });

  it('refuses copying an object onto itself unchanged, a missing source and failed copy conditions', async () => {
    expect(await awsError(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'copy/src.txt', CopySource: `${B}/copy/src.txt` })))).toMatchObject({
      name: 'InvalidRequest',
    });
    expect(await awsError(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'x', CopySource: `${B}/copy/none` })))).toMatchObject({ name: 'NoSuchKey' });
    expect(await awsError(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'x', CopySource: 'nobucket' })))).toMatchObject({ name: 'InvalidArgument' });
    expect(
      await awsError(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'x', CopySource: `${B}/copy/src.txt`, CopySourceIfMatch: '"nope"' }))),
    ).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(await awsError(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'x', CopySource: `${B}/copy/src.txt`, MetadataDirective: 'MERGE' as never })))).toMatchObject({
      name: 'InvalidArgument',
    });
  });
});
