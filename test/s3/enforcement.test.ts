import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, s3Client, testServer, text } from './helpers.js';

let server: RunningServer;
let root: S3Client;
const B = 'guarded';

beforeAll(async () => {
  server = await testServer({ enforceIam: true });
  root = s3Client(server);
  await root.send(new CreateBucketCommand({ Bucket: B }));
  await root.send(new PutObjectCommand({ Bucket: B, Key: 'public/readme.txt', Body: 'readable' }));
  await root.send(new PutObjectCommand({ Bucket: B, Key: 'private/secret.txt', Body: 'hidden' }));
});
afterAll(() => server.stop());

async function userClient(name: string, policy?: object): Promise<S3Client> {
  const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return s3Client(server, { credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
}

describe('S3 with IAM enforcement on', () => {
  it('verifies signatures of plain, streamed and presigned requests', async () => {
    await root.send(new PutObjectCommand({ Bucket: B, Key: 'streamed', Body: Readable.from([Buffer.alloc(70_000, 1)]), ContentLength: 70_000 }));
    const streamed = await root.send(new GetObjectCommand({ Bucket: B, Key: 'streamed' }));
    expect((await streamed.Body!.transformToByteArray()).length).toBe(70_000);
    const url = await getSignedUrl(root, new GetObjectCommand({ Bucket: B, Key: 'public/readme.txt' }), { expiresIn: 60 });
    expect(await (await fetch(url)).text()).toBe('readable');
    const wrong = s3Client(server, { credentials: { accessKeyId: 'test', secretAccessKey: 'not-the-secret' } });
    expect(await awsError(wrong.send(new GetObjectCommand({ Bucket: B, Key: 'public/readme.txt' })))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    const unknown = s3Client(server, { credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' } });
    expect(await awsError(unknown.send(new GetObjectCommand({ Bucket: B, Key: 'public/readme.txt' })))).toMatchObject({ name: 'InvalidAccessKeyId' });
  });

  it('refuses an expired presigned URL', async () => {
    const url = new URL(await getSignedUrl(root, new GetObjectCommand({ Bucket: B, Key: 'public/readme.txt' }), { expiresIn: 1, signingDate: new Date(Date.now() - 60_000) }));
    const res = await fetch(url);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('Request has expired');
  });

  it("decides every object access by the caller's policies, key by key for DeleteObjects", async () => {
    const reader = await userClient('reader', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/public/*` },
        { Effect: 'Allow', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${B}/public/*` },
      ],
    });
    expect(await text((await reader.send(new GetObjectCommand({ Bucket: B, Key: 'public/readme.txt' }))).Body)).toBe('readable');
    const denied = await awsError(reader.send(new GetObjectCommand({ Bucket: B, Key: 'private/secret.txt' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain('s3:GetObject');
    expect(await awsError(reader.send(new PutObjectCommand({ Bucket: B, Key: 'public/new', Body: 'x' })))).toMatchObject({ name: 'AccessDenied' });
    const res = await reader.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'public/readme.txt' }, { Key: 'private/secret.txt' }] } }));
    expect(res.Deleted?.map((d) => d.Key)).toEqual(['public/readme.txt']);
    expect(res.Errors?.map((e) => [e.Key, e.Code])).toEqual([['private/secret.txt', 'AccessDenied']]);
    expect(await text((await root.send(new GetObjectCommand({ Bucket: B, Key: 'private/secret.txt' }))).Body)).toBe('hidden');
  });
});
