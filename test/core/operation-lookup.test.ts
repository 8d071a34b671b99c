import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { testServer, unverifiedSigV4 } from '../helpers/server.js';
import { raw, s3Client } from '../s3/helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

const INHERITED = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

function callJson(target: string, service: string) {
  return fetch(`${server.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: unverifiedSigV4(service) },
    body: '{}',
  });
}

function callQuery(form: string, service?: string) {
  return fetch(`${server.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(service ? { authorization: unverifiedSigV4(service) } : {}) },
    body: form,
  });
}

describe('operation names are only the model’s operations', () => {
  it('answers what every object inherits with UnknownOperationException on every JSON service', async () => {
    const prefixes = server.services.flatMap((s) => (s.model.metadata.protocol === 'json' ? [[s.name, s.model.metadata.targetPrefix!]] : []));
    expect(prefixes.length).toBeGreaterThanOrEqual(6);
    for (const [name, prefix] of prefixes) {
      for (const op of INHERITED) {
        const res = await callJson(`${prefix}.${op}`, name);
        expect(res.status, `${prefix}.${op}`).toBe(400);
        expect((await res.json()).__type, `${prefix}.${op}`).toBe('UnknownOperationException');
      }
    }
  });

  it('answers an inherited Query action with InvalidAction on IAM and STS, signed or not', async () => {
    for (const [service, version] of [['iam', '2010-05-08'], ['sts', '2011-06-15'], [undefined, '2010-05-08']] as const) {
      for (const op of INHERITED) {
        const res = await callQuery(`Action=${op}&Version=${version}`, service);
        const text = await res.text();
        expect(res.status, `${service} ${op}`).toBe(400);
        expect(text).toContain('<Code>InvalidAction</Code>');
        expect(text).toContain(`Could not find operation ${op} for version`);
      }
    }
  });
});

describe('a service codesuite does not serve', () => {
  it('is named in the JSON error, with the services that are served', async () => {
    const res = await callJson('Kinesis_20131202.ListStreams', 'kinesis');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.__type).toBe('UnknownOperationException');
    expect(body.message).toMatch(/^codesuite does not serve the Kinesis_20131202 service; it serves .*CodeCommit/);
    const unknown = await (await callJson('NoSuchService_20990101.Anything', 'nosuch')).json();
    expect(unknown.message).toContain('does not serve the NoSuchService_20990101 service');
    const noDot = await (await callJson('JustAWord', 'nosuch')).json();
    expect(noDot.__type).toBe('UnknownOperationException');
    expect(noDot.message).toContain('does not serve the JustAWord service');
  });

  it('is named in the Query error', async () => {
    const res = await callQuery('Action=DescribeDBInstances&Version=2014-10-31', 'rds');
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).toContain('<Code>InvalidAction</Code>');
    expect(text).toContain('codesuite does not serve the rds service; it serves ');
  });

  it('is named for a REST request signed for it', async () => {
    const res = await fetch(`${server.endpoint}/restapis`, { headers: { authorization: unverifiedSigV4('apigateway') } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('codesuite does not serve the apigateway service');
  });
});

describe('request keys that name inherited members', () => {
  it('keep S3 metadata named __proto__ and constructor as members', async () => {
    const s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: 'proto-keys' }));
    const Metadata = Object.fromEntries([['__proto__', 'p'], ['constructor', 'c']]);
    await s3.send(new PutObjectCommand({ Bucket: 'proto-keys', Key: 'k', Body: 'x', Metadata }));
    // The SDK's own parser drops a `__proto__` key, so the headers are read from the wire.
    const head = await raw(server, 'HEAD', '/proto-keys/k');
    expect(head.status).toBe(200);
    expect(head.headers.get('x-amz-meta-__proto__')).toBe('p');
    expect(head.headers.get('x-amz-meta-constructor')).toBe('c');
  });
});
