import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, raw, s3Client, testServer, text } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
const B = 'wire';
beforeAll(async () => {
  server = await testServer();
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(() => server.stop());

const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0';
const sig = (n: number) => n.toString(16).padStart(64, '0');
const b64 = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest('base64');

/** An aws-chunked body: chunks with (unverified) chunk signatures, then optional trailing headers. */
function chunked(parts: Buffer[], options: { signed: boolean; trailer?: string }): Buffer {
  const out: Buffer[] = [];
  parts.forEach((p, i) => out.push(Buffer.from(`${p.length.toString(16)}${options.signed ? `;chunk-signature=${sig(i + 1)}` : ''}\r\n`), p, Buffer.from('\r\n')));
  out.push(Buffer.from(`0${options.signed ? `;chunk-signature=${sig(99)}` : ''}\r\n`));
  if (options.trailer) out.push(Buffer.from(`${options.trailer}\r\n`));
  out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

describe('request bodies on the wire', () => {
  const parts = [Buffer.alloc(65536, 'x'), Buffer.alloc(1000, 'y')];
  const data = Buffer.concat(parts);

  it('decodes STREAMING-AWS4-HMAC-SHA256-PAYLOAD bodies', async () => {
    const res = await raw(
      server,
      'PUT',
      `/${B}/signed-stream`,
      {
        authorization: AUTH,
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(data.length),
      },
      chunked(parts, { signed: true }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'signed-stream' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    expect(got.ContentEncoding).toBeUndefined();
  });

  it('checks the trailing checksum of signed and unsigned trailer bodies', async () => {
    for (const [sha, signed] of [
      ['STREAMING-UNSIGNED-PAYLOAD-TRAILER', false],
      ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', true],
    ] as const) {
      const headers = {
        authorization: AUTH,
        'x-amz-content-sha256': sha,
        'content-encoding': 'aws-chunked,gzip',
        'x-amz-decoded-content-length': String(data.length),
        'x-amz-trailer': 'x-amz-checksum-sha1',
      };
      const trailerSig = signed ? `\r\nx-amz-trailer-signature:${sig(7)}` : '';
      const good = await raw(server, 'PUT', `/${B}/trailer-${signed}`, headers, chunked(parts, { signed, trailer: `x-amz-checksum-sha1:${b64('sha1', data)}${trailerSig}` }));
      expect(good.status).toBe(200);
      expect(good.headers.get('x-amz-checksum-sha1')).toBe(b64('sha1', data));
      const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: `trailer-${signed}` }));
      expect(head.ContentEncoding).toBe('gzip');
      const bad = await raw(server, 'PUT', `/${B}/trailer-bad-${signed}`, headers, chunked(parts, { signed, trailer: `x-amz-checksum-sha1:${b64('sha1', Buffer.from('x'))}` }));
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('<Message>The SHA1 you specified did not match the calculated checksum.</Message>');
      expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: `trailer-bad-${signed}` })))).toMatchObject({ name: 'NoSuchKey' });
    }
  });

  it('refuses an aws-chunked body whose decoded length is missing or wrong', async () => {
    const noLength = await raw(server, 'PUT', `/${B}/no-length`, { authorization: AUTH, 'content-encoding': 'aws-chunked' }, chunked(parts, { signed: false }));
    expect(noLength.status).toBe(411);
    expect(noLength.body).toContain('<Code>MissingContentLength</Code>');
    const wrong = await raw(
      server,
      'PUT',
      `/${B}/wrong-length`,
      { authorization: AUTH, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5' },
      chunked(parts, { signed: false }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('<Code>IncompleteBody</Code>');
  });

  it('stores nothing when the client goes away mid-upload', async () => {
    const url = new URL(`${server.endpoint}/${B}/interrupted`);
    await new Promise<void>((resolve) => {
      const req = request(url, { method: 'PUT', headers: { 'content-length': String(10 * 1024 * 1024) } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(1024 * 1024));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 200);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await awsError(s3.send(new GetObjectCommand({ Bucket: B, Key: 'interrupted' })))).toMatchObject({ name: 'NoSuchKey' });
  });
});

describe('presigned URLs', () => {
  it('serves a presigned GET and accepts a presigned PUT', async () => {
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: B, Key: 'presigned.txt', ContentType: 'text/plain' }), { expiresIn: 300 });
    expect(putUrl).toContain('X-Amz-Credential=');
    const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded by url', headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: B, Key: 'presigned.txt' }), { expiresIn: 300 });
    const got = await fetch(getUrl);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('uploaded by url');
    expect(got.headers.get('content-type')).toBe('text/plain');
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'presigned.txt' }))).Body)).toBe('uploaded by url');
  });
});
