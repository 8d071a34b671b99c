import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, s3Client, testServer } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
const B = 'multipart';
const MiB = 1024 * 1024;
const part1 = Buffer.alloc(5 * MiB, 1);
const part2 = Buffer.alloc(5 * MiB, 2);
const part3 = Buffer.from('tail of the object');

beforeAll(async () => {
  server = await testServer();
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(() => server.stop());

const crc32Raw = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(b));
  return out;
};

describe('multipart uploads', () => {
  it('assembles parts with a composite CRC32 and an ETag of the -N form', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'big.bin', ChecksumAlgorithm: 'CRC32', ContentType: 'application/zip' }));
    const parts = [];
    for (const [i, body] of [part1, part2, part3].entries()) {
      const res = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'big.bin', UploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: 'CRC32' }));
      expect(res.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      expect(res.ChecksumCRC32).toBe(crc32Raw(body).toString('base64'));
      parts.push({ PartNumber: i + 1, ETag: res.ETag, ChecksumCRC32: res.ChecksumCRC32 });
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: B, Key: 'big.bin', UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MiB],
      [2, 5 * MiB],
      [3, part3.length],
    ]);
    expect(listed).toMatchObject({ ChecksumAlgorithm: 'CRC32', ChecksumType: 'COMPOSITE' });
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: B }));
    expect(uploads.Uploads?.map((u) => u.UploadId)).toContain(UploadId);

    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'big.bin', UploadId, MultipartUpload: { Parts: parts } }));
    const etagDigest = createHash('md5')
      .update(Buffer.concat([part1, part2, part3].map((p) => createHash('md5').update(p).digest())))
      .digest('hex');
    expect(done.ETag).toBe(`"${etagDigest}-3"`);
    const composite = crc32Raw(Buffer.concat([part1, part2, part3].map(crc32Raw))).toString('base64');
    expect(done.ChecksumCRC32).toBe(`${composite}-3`);
    expect(done.ChecksumType).toBe('COMPOSITE');

    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'big.bin', ChecksumMode: 'ENABLED' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.equals(Buffer.concat([part1, part2, part3]))).toBe(true);
    expect(got).toMatchObject({ ContentType: 'application/zip', ETag: done.ETag, ChecksumCRC32: `${composite}-3` });
    const second = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'big.bin', PartNumber: 2 }));
    expect(second.PartsCount).toBe(3);
    expect(second.ContentLength).toBe(5 * MiB);
    expect(second.ContentRange).toBe(`bytes ${5 * MiB}-${10 * MiB - 1}/${10 * MiB + part3.length}`);
    expect(Buffer.from(await second.Body!.transformToByteArray()).equals(part2)).toBe(true);
    const straddling = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'big.bin', Range: `bytes=${5 * MiB - 2}-${5 * MiB + 1}` }));
    expect(Buffer.from(await straddling.Body!.transformToByteArray())).toEqual(Buffer.from([1, 1, 2, 2]));
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: B }))).Uploads ?? []).toEqual([]);
    expect(await awsError(s3.send(new ListPartsCommand({ Bucket: B, Key: 'big.bin', UploadId })))).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });

  it('gives an upload created without an algorithm a full-object CRC64NVME', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'default.bin' }));
    const a = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'default.bin', UploadId, PartNumber: 1, Body: part1 }));
    const b = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'default.bin', UploadId, PartNumber: 2, Body: part3 }));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: B, Key: 'default.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 2, ETag: b.ETag }] } }),
    );
    expect(done.ChecksumType).toBe('FULL_OBJECT');
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'same-bytes', Body: Buffer.concat([part1, part3]), ChecksumAlgorithm: 'CRC64NVME' }));
    const single = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'same-bytes', ChecksumMode: 'ENABLED' }));
    expect(done.ChecksumCRC64NVME).toBe(single.ChecksumCRC64NVME);
    // The SDK checks the full-object CRC64NVME against the bytes it downloads.
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'default.bin', ChecksumMode: 'ENABLED' }));
    expect((await got.Body!.transformToByteArray()).length).toBe(part1.length + part3.length);
  });

  it('copies ranges of an object into parts', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'source.bin', Body: Buffer.concat([part1, part3]) }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'copied.bin' }));
    const c1 = await s3.send(new UploadPartCopyCommand({ Bucket: B, Key: 'copied.bin', UploadId, PartNumber: 1, CopySource: `${B}/source.bin`, CopySourceRange: `bytes=0-${5 * MiB - 1}` }));
    const c2 = await s3.send(
      new UploadPartCopyCommand({ Bucket: B, Key: 'copied.bin', UploadId, PartNumber: 2, CopySource: `${B}/source.bin`, CopySourceRange: `bytes=${5 * MiB}-${5 * MiB + part3.length - 1}` }),
    );
    expect(c1.CopyPartResult?.ETag).toBe(`"${createHash('md5').update(part1).digest('hex')}"`);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: B,
        Key: 'copied.bin',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: c1.CopyPartResult!.ETag }, { PartNumber: 2, ETag: c2.CopyPartResult!.ETag }] },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'copied.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([part1, part3]))).toBe(true);
    expect(
      await awsError(s3.send(new UploadPartCopyCommand({ Bucket: B, Key: 'copied.bin', UploadId: 'gone', PartNumber: 1, CopySource: `${B}/source.bin` }))),
    ).toMatchObject({ name: 'NoSuchUpload' });
  });

  it('refuses small parts, unknown parts, parts out of order and missing part checksums', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'bad.bin', ChecksumAlgorithm: 'SHA256' }));
    const small = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'bad.bin', UploadId, PartNumber: 1, Body: 'tiny', ChecksumAlgorithm: 'SHA256' }));
    const last = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'bad.bin', UploadId, PartNumber: 2, Body: 'end', ChecksumAlgorithm: 'SHA256' }));
    const complete = (Parts: { PartNumber: number; ETag?: string; ChecksumSHA256?: string }[]) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'bad.bin', UploadId, MultipartUpload: { Parts } }));
    const p1 = { PartNumber: 1, ETag: small.ETag, ChecksumSHA256: small.ChecksumSHA256 };
    const p2 = { PartNumber: 2, ETag: last.ETag, ChecksumSHA256: last.ChecksumSHA256 };
    expect(await awsError(complete([p1, p2]))).toMatchObject({
      name: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed object size.',
      status: 400,
    });
    expect(await awsError(complete([p2, p1]))).toMatchObject({ name: 'InvalidPartOrder' });
    expect(await awsError(complete([{ ...p1, ETag: '"ffff"' }]))).toMatchObject({ name: 'InvalidPart' });
    expect(await awsError(complete([{ PartNumber: 7, ETag: small.ETag }]))).toMatchObject({ name: 'InvalidPart' });
    expect(await awsError(complete([{ PartNumber: 2, ETag: last.ETag }]))).toMatchObject({
      name: 'InvalidRequest',
      message: 'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 2 in the request.',
    });
    expect(await awsError(s3.send(new UploadPartCommand({ Bucket: B, Key: 'bad.bin', UploadId, PartNumber: 3, Body: 'x', ChecksumAlgorithm: 'CRC32' })))).toMatchObject({
      name: 'InvalidRequest',
    });
    expect(await awsError(s3.send(new UploadPartCommand({ Bucket: B, Key: 'bad.bin', UploadId, PartNumber: 10001, Body: 'x' })))).toMatchObject({
      name: 'InvalidArgument',
    });
    // A single part may be small: it is the last one.
    const ok = await complete([p2]);
    expect(ok.ChecksumSHA256).toMatch(/-1$/);
  });

  it('aborts an upload and forgets its parts', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'aborted.bin' }));
    await s3.send(new UploadPartCommand({ Bucket: B, Key: 'aborted.bin', UploadId, PartNumber: 1, Body: 'x' }));
    const res = await s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'aborted.bin', UploadId }));
    expect(res.$metadata.httpStatusCode).toBe(204);
    expect(await awsError(s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'aborted.bin', UploadId })))).toMatchObject({
      name: 'NoSuchUpload',
      message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    });
    expect(await awsError(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'aborted.bin' })))).toMatchObject({ status: 404 });
  });
});
