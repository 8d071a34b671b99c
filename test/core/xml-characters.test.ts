import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../src/core/protocol/rest-xml.js';
import type { RunningServer } from '../../src/server.js';
import { testServer, unverifiedSigV4 } from '../helpers/server.js';
import { raw, s3Client } from '../s3/helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

/** Each is a character XML 1.0 does not allow, in any form. */
const FORBIDDEN = ['\x00', '\x1b', '\x08', '\uffff', '\ufffe'];

/** A strict reading: the document parses and holds no character XML forbids, raw or referenced. */
function expectWellFormed(text: string): void {
  expect(text).not.toMatch(/[\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/u);
  expect(() => parseXml(text.replace(/^<\?xml[^>]*\?>/, ''))).not.toThrow();
}

async function query(service: string, form: Record<string, string>) {
  const res = await fetch(`${server.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: unverifiedSigV4(service) },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, text: await res.text() };
}

describe('characters XML 1.0 forbids never reach an XML response', () => {
  it('IAM and STS validation messages that quote the value stay well-formed', async () => {
    for (const c of FORBIDDEN) {
      const iam = await query('iam', { Action: 'CreateUser', Version: '2010-05-08', UserName: `bad${c}name` });
      expect(iam.status).toBe(400);
      expect(iam.text).toContain('<Code>ValidationError</Code>');
      expectWellFormed(iam.text);
      const sts = await query('sts', { Action: 'AssumeRole', Version: '2011-06-15', RoleArn: `arn:aws:iam::000000000000:role/r${c}`, RoleSessionName: `s${c}` });
      expect(sts.status).toBe(400);
      expectWellFormed(sts.text);
    }
  });

  it('S3 keeps such a key, lists it exactly with EncodingType=url and readably without', async () => {
    const s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: 'xml-chars' }));
    const key = 'a\x01b\x1bc\r\nd';
    await s3.send(new PutObjectCommand({ Bucket: 'xml-chars', Key: key, Body: 'x' }));
    const encoded = await s3.send(new ListObjectsV2Command({ Bucket: 'xml-chars', EncodingType: 'url' }));
    expect(encoded.Contents?.map((o) => decodeURIComponent(o.Key!))).toEqual([key]);
    const plain = await raw(server, 'GET', '/xml-chars?list-type=2');
    expect(plain.status).toBe(200);
    expectWellFormed(plain.body);
    expect(plain.body).toContain('<Key>a\uFFFDb\uFFFDc&#13;&#10;d</Key>');
    const sdk = await s3.send(new ListObjectsV2Command({ Bucket: 'xml-chars' }));
    expect(sdk.Contents?.map((o) => o.Key)).toEqual(['a\uFFFDb\uFFFDc\r\nd']);
  });

  it('S3 refuses a request document that names such a character', async () => {
    const body = '<Delete><Object><Key>a&#0;b</Key></Object></Delete>';
    const res = await raw(server, 'POST', '/xml-chars?delete', { 'content-md5': createHash('md5').update(body).digest('base64') }, body);
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>MalformedXML</Code>');
    expectWellFormed(res.body);
  });
});

describe('a path whose escapes are not UTF-8', () => {
  it('is an S3 InvalidURI error in S3’s XML, not the web framework’s JSON', async () => {
    for (const path of ['/%ff', '/xml-chars/%c0%af']) {
      const res = await raw(server, 'GET', path, { authorization: unverifiedSigV4('s3') });
      expect(res.status).toBe(400);
      expect(res.body).toContain('<Error><Code>InvalidURI</Code><Message>Couldn&apos;t parse the specified URI.</Message>');
      expectWellFormed(res.body);
    }
  });
});
