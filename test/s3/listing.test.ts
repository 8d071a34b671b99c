import { CreateBucketCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, raw, s3Client, testServer } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
const B = 'listing';
const KEYS = ['a.txt', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'd/4.txt', 'e.txt', 'photos/2024/x.jpg', 'photos/2025/y.jpg', 'space key+plus.txt'];

beforeAll(async () => {
  server = await testServer();
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  for (const Key of KEYS) await s3.send(new PutObjectCommand({ Bucket: B, Key, Body: Key }));
});
afterAll(() => server.stop());

describe('ListObjectsV2', () => {
  it('lists every key in UTF-8 byte order', async () => {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: B }));
    expect(res.Contents?.map((o) => o.Key)).toEqual([...KEYS].sort());
    expect(res).toMatchObject({ KeyCount: KEYS.length, IsTruncated: false, Name: B, MaxKeys: 1000 });
    expect(res.Contents?.[0]).toMatchObject({ Size: 5, StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC32'] });
    expect(res.Contents?.[0].Owner).toBeUndefined();
    const owned = await s3.send(new ListObjectsV2Command({ Bucket: B, FetchOwner: true, MaxKeys: 1 }));
    expect(owned.Contents?.[0].Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rolls keys up into common prefixes by delimiter', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: B, Delimiter: '/' }));
    expect(top.Contents?.map((o) => o.Key)).toEqual(['a.txt', 'e.txt', 'space key+plus.txt']);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/', 'd/', 'photos/']);
    expect(top.KeyCount).toBe(6);
    const inside = await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'b/', Delimiter: '/' }));
    expect(inside.Contents?.map((o) => o.Key)).toEqual(['b/1.txt', 'b/2.txt']);
    expect(inside.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/c/']);
    expect(inside.Prefix).toBe('b/');
  });

  it('pages with MaxKeys and continuation tokens, counting common prefixes once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: B, Delimiter: '/', MaxKeys: 2, ContinuationToken: token }));
      pages++;
      seen.push(...(page.Contents ?? []).map((o) => o.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      token = page.NextContinuationToken;
      if (page.IsTruncated) expect(token).toBeDefined();
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['a.txt', 'b/', 'd/', 'e.txt', 'photos/', 'space key+plus.txt']);
    expect(await awsError(s3.send(new ListObjectsV2Command({ Bucket: B, ContinuationToken: 'garbage' })))).toMatchObject({ name: 'InvalidArgument' });
  });

  it('starts after a key', async () => {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: B, StartAfter: 'b/c/3.txt' }));
    expect(res.Contents?.[0].Key).toBe('d/4.txt');
    expect(res.StartAfter).toBe('b/c/3.txt');
  });

  it('URL-encodes keys when asked (encoding-type=url)', async () => {
    const res = await raw(server, 'GET', `/${B}?list-type=2&prefix=space&encoding-type=url`);
    expect(res.body).toContain('<Key>space%20key%2Bplus.txt</Key>');
    expect(res.body).toContain('<EncodingType>url</EncodingType>');
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
  });

  it('refuses a negative max-keys', async () => {
    const res = await raw(server, 'GET', `/${B}?list-type=2&max-keys=-1`);
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>InvalidArgument</Code>');
  });
});

describe('ListObjects (version 1)', () => {
  it('pages with markers; NextMarker comes with a delimiter', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket: B, MaxKeys: 3 }));
    expect(first.Contents?.map((o) => o.Key)).toEqual(['a.txt', 'b/1.txt', 'b/2.txt']);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeUndefined();
    expect(first.Contents?.[0].Owner?.ID).toBeDefined();
    const second = await s3.send(new ListObjectsCommand({ Bucket: B, MaxKeys: 3, Marker: 'b/2.txt' }));
    expect(second.Contents?.map((o) => o.Key)).toEqual(['b/c/3.txt', 'd/4.txt', 'e.txt']);
    const delimited = await s3.send(new ListObjectsCommand({ Bucket: B, Delimiter: '/', MaxKeys: 2 }));
    expect(delimited.NextMarker).toBe('b/');
    const rest = await s3.send(new ListObjectsCommand({ Bucket: B, Delimiter: '/', Marker: delimited.NextMarker }));
    expect(rest.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['d/', 'photos/']);
    expect(rest.Contents?.map((o) => o.Key)).toEqual(['e.txt', 'space key+plus.txt']);
  });
});
