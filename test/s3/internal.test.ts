import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootCaller } from '../../src/core/context.js';
import { allowAll, type Authorizer } from '../../src/core/dispatch.js';
import { S3InternalClient } from '../../src/s3/internal.js';
import type { RunningServer } from '../../src/server.js';
import { s3Client, testServer, text } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
const B = 'internal';
const principal = rootCaller('000000000000');

beforeAll(async () => {
  server = await testServer();
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(() => server.stop());

const s3Service = () => server.services.find((s) => s.name === 's3')!;

describe('the internal S3 API for other services', () => {
  it('puts, gets and streams objects through the same store as the API', async () => {
    const client = new S3InternalClient(s3Service(), allowAll, { region: 'us-east-1' });
    const put = await client.putObject(principal, { Bucket: B, Key: 'build/output.zip', Body: Readable.from([Buffer.from('zip'), Buffer.from(' bytes')]), ContentType: 'application/zip' });
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const viaApi = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'build/output.zip' }));
    expect(await text(viaApi.Body)).toBe('zip bytes');
    expect(viaApi.ContentType).toBe('application/zip');
    const read = await client.getObject(principal, { Bucket: B, Key: 'build/output.zip' });
    expect(read.Body.toString()).toBe('zip bytes');
    const streamed = await client.streamObject(principal, { Bucket: B, Key: 'build/output.zip', Range: 'bytes=4-8' });
    const chunks: Buffer[] = [];
    for await (const c of streamed.Body) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('bytes');
    expect((await client.headObject(principal, { Bucket: B, Key: 'build/output.zip' })).ContentLength).toBe(9);
    await expect(client.getObject(principal, { Bucket: B, Key: 'nothing' })).rejects.toMatchObject({ code: 'NoSuchKey', statusCode: 404 });
  });

  it('asks the authorization hook, as the calling principal, before it acts', async () => {
    const asked: string[] = [];
    const denyWrites: Authorizer = ({ iam, input, ctx }) => {
      asked.push(`${ctx.principalArn} ${iam.action} ${iam.resource(input, ctx)}`);
      return iam.action === 's3:PutObject' ? { allowed: false, message: 'no writes' } : { allowed: true };
    };
    const role = { arn: 'arn:aws:sts::000000000000:assumed-role/build/session', accountId: '000000000000', userId: 'AROA:session', type: 'role-session' as const };
    const client = new S3InternalClient(s3Service(), denyWrites, { region: 'us-east-1' });
    await expect(client.putObject(role, { Bucket: B, Key: 'denied', Body: 'x' })).rejects.toMatchObject({ code: 'AccessDenied', statusCode: 403 });
    await client.getObject(role, { Bucket: B, Key: 'build/output.zip' });
    expect(asked).toEqual([
      'arn:aws:sts::000000000000:assumed-role/build/session s3:PutObject arn:aws:s3:::internal/denied',
      'arn:aws:sts::000000000000:assumed-role/build/session s3:GetObject arn:aws:s3:::internal/build/output.zip',
    ]);
  });
});
