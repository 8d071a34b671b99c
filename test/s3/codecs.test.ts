import { Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/core/protocol/rest-xml.js';
import { decodeAwsChunked } from '../../src/s3/aws-chunked.js';
import { combinedCrc, compositeChecksum, createHasher } from '../../src/s3/checksums.js';
import { crc32c, crc64nvme } from '../../src/s3/crc.js';

const sample = Buffer.from(Array.from({ length: 100_003 }, (_, i) => (i * 31 + 7) & 0xff));

describe('CRCs', () => {
  it('match the standard check values and the SDK', async () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283');
    expect(crc64nvme(Buffer.from('123456789')).map((x) => x.toString(16).padStart(8, '0')).join('')).toBe('ae8b14860a799888');
    const c = new Crc32c();
    c.update(sample);
    expect(createHasher('CRC32C').digest()).toBe('AAAAAA==');
    const h32 = createHasher('CRC32C');
    h32.update(sample.subarray(0, 1000));
    h32.update(sample.subarray(1000));
    expect(h32.digest()).toBe(Buffer.from(await c.digest()).toString('base64'));
    const n = new Crc64Nvme();
    n.update(sample);
    const h64 = createHasher('CRC64NVME');
    h64.update(sample.subarray(0, 77));
    h64.update(sample.subarray(77));
    expect(h64.digest()).toBe(Buffer.from(await n.digest()).toString('base64'));
  });

  it('combine part CRCs into the CRC of the whole, and compose part checksums', () => {
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
      const cuts = [0, 5000, 5001, 60000, sample.length];
      const parts = cuts.slice(1).map((end, i) => {
        const h = createHasher(algorithm);
        h.update(sample.subarray(cuts[i], end));
        return { checksum: h.digest(), size: end - cuts[i] };
      });
      const whole = createHasher(algorithm);
      whole.update(sample);
      expect(combinedCrc(algorithm, parts)).toBe(whole.digest());
    }
    expect(compositeChecksum('SHA256', [createHasher('SHA256').digest()])).toMatch(/^[A-Za-z0-9+/]{43}=-1$/);
  });
});

describe('aws-chunked', () => {
  async function decode(wire: string, splitEvery: number): Promise<{ data: string; trailers: Map<string, string> }> {
    const bytes = Buffer.from(wire);
    const pieces = [];
    for (let i = 0; i < bytes.length; i += splitEvery) pieces.push(bytes.subarray(i, i + splitEvery));
    const trailers = new Map<string, string>();
    let data = '';
    for await (const chunk of decodeAwsChunked((async function* () { yield* pieces; })(), trailers)) data += chunk.toString();
    return { data, trailers };
  }

  it('decodes chunks and trailers however the bytes are split', async () => {
    const wire = '5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n';
    for (const split of [1, 2, 3, 7, 1000]) {
      const { data, trailers } = await decode(wire, split);
      expect(data).toBe('hello world');
      expect(trailers.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
    }
  });

  it('refuses truncated and malformed bodies', async () => {
    await expect(decode('5\r\nhel', 100)).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(decode('zz\r\nhello\r\n0\r\n\r\n', 100)).rejects.toMatchObject({ code: 'InvalidRequest' });
    await expect(decode('5\r\nhelloXX0\r\n\r\n', 100)).rejects.toMatchObject({ code: 'IncompleteBody' });
  });
});

describe('XML documents', () => {
  it('parses elements, entities, CDATA and namespaces', () => {
    const doc = parseXml('<?xml version="1.0"?><!-- c --><s3:Tagging xmlns:s3="x"><TagSet><Tag><Key>a &amp; b</Key><Value><![CDATA[<v>]]></Value></Tag></TagSet></s3:Tagging>');
    expect(doc.name).toBe('Tagging');
    const tag = doc.children[0].children[0];
    expect(tag.children.map((c) => c.text)).toEqual(['a & b', '<v>']);
  });

  it('refuses documents that are not well formed', () => {
    for (const bad of ['<a><b></a>', '<a>', 'text', '<a></a><b></b>', '<!DOCTYPE x><a/>', '<a>&bogus;</a>']) expect(() => parseXml(bad)).toThrow();
  });
});
