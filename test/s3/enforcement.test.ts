import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, DeleteBucketPolicyCommand, DeleteObjectsCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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

  it('weighs the bucket policy: it grants a named user alone, and its deny beats an identity allow', async () => {
    const B2 = 'shared';
    await root.send(new CreateBucketCommand({ Bucket: B2 }));
    await root.send(new PutObjectCommand({ Bucket: B2, Key: 'report.txt', Body: 'numbers' }));
    const guest = await userClient('guest');
    expect((await awsError(guest.send(new GetObjectCommand({ Bucket: B2, Key: 'report.txt' })))).name).toBe('AccessDenied');
    const grant = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/guest' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${B2}/*` };
    await root.send(new PutBucketPolicyCommand({ Bucket: B2, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [grant] }) }));
    expect(await text((await guest.send(new GetObjectCommand({ Bucket: B2, Key: 'report.txt' }))).Body)).toBe('numbers');

    const admin = await userClient('admin', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    expect(await text((await admin.send(new GetObjectCommand({ Bucket: B2, Key: 'report.txt' }))).Body)).toBe('numbers');
    const deny = { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B2}/report.txt` };
    await root.send(new PutBucketPolicyCommand({ Bucket: B2, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [grant, deny] }) }));
    const denied = await awsError(admin.send(new GetObjectCommand({ Bucket: B2, Key: 'report.txt' })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toContain('with an explicit deny in a resource-based policy');
    await root.send(new DeleteBucketPolicyCommand({ Bucket: B2 }));
    expect(await text((await admin.send(new GetObjectCommand({ Bucket: B2, Key: 'report.txt' }))).Body)).toBe('numbers');
  });
});
