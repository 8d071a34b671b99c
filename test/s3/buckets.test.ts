import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  GetObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, raw, s3Client, testServer, text, virtualHostClient } from './helpers.js';

let server: RunningServer;
let s3: S3Client;
beforeAll(async () => {
  server = await testServer();
  s3 = s3Client(server);
});
afterAll(() => server.stop());

describe('buckets', () => {
  it('creates, heads, lists and deletes a bucket', async () => {
    const created = await s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(created.Location).toBe('/alpha-bucket');
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toContain('alpha-bucket');
    expect(list.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    await s3.send(new DeleteBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(await awsError(s3.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' })))).toMatchObject({ name: 'NotFound', status: 404 });
    expect(await awsError(s3.send(new DeleteBucketCommand({ Bucket: 'alpha-bucket' })))).toMatchObject({
      name: 'NoSuchBucket',
      message: 'The specified bucket does not exist',
      status: 404,
    });
  });

  it('refuses invalid names and says who owns an existing bucket', async () => {
    for (const name of ['ab', 'Upper-Case', 'double..dot', '192.168.1.1', 'xn--punycode', 'ends-with-', 'a'.repeat(64)]) {
      expect(await awsError(s3.send(new CreateBucketCommand({ Bucket: name })))).toMatchObject({ name: 'InvalidBucketName', status: 400 });
    }
    await s3.send(new CreateBucketCommand({ Bucket: 'owned-twice' }));
    // us-east-1 answers a repeated create of your own bucket with 200, for legacy compatibility.
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'owned-twice' }))).resolves.toBeDefined();
    const west = s3Client(server, { region: 'us-west-2' });
    await west.send(new CreateBucketCommand({ Bucket: 'west-owned', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    expect(await awsError(west.send(new CreateBucketCommand({ Bucket: 'west-owned', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })))).toMatchObject({
      name: 'BucketAlreadyOwnedByYou',
      status: 409,
    });
  });

  it('applies the location constraint rules of regional endpoints', async () => {
    const west = s3Client(server, { region: 'us-west-2' });
    // The SDK fills in its own region as the constraint; other clients send none.
    const unspecified = await raw(server, 'PUT', '/no-constraint', {
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-west-2/s3/aws4_request, SignedHeaders=host, Signature=0',
    });
    expect(unspecified.status).toBe(400);
    expect(unspecified.body).toContain('<Code>IllegalLocationConstraintException</Code>');
    expect(unspecified.body).toContain('The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
    expect(await awsError(west.send(new CreateBucketCommand({ Bucket: 'wrong-region', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })))).toMatchObject({
      name: 'IllegalLocationConstraintException',
      message: 'The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.',
    });
    expect(await awsError(s3.send(new CreateBucketCommand({ Bucket: 'east-explicit', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })))).toMatchObject({
      name: 'InvalidLocationConstraint',
    });
    expect(await awsError(s3.send(new CreateBucketCommand({ Bucket: 'bad-constraint', CreateBucketConfiguration: { LocationConstraint: 'mars-1' as never } })))).toMatchObject({
      name: 'InvalidLocationConstraint',
    });
    await west.send(new CreateBucketCommand({ Bucket: 'located-west', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'located-west' }))).LocationConstraint).toBe('us-west-2');
    await s3.send(new CreateBucketCommand({ Bucket: 'located-east' }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'located-east' }))).LocationConstraint).toBeUndefined();
    const regional = await s3.send(new ListBucketsCommand({ BucketRegion: 'us-west-2' }));
    expect(regional.Buckets?.every((b) => b.BucketRegion === 'us-west-2')).toBe(true);
  });

  it('pages ListBuckets with a continuation token and a prefix', async () => {
    for (const n of [1, 2, 3]) await s3.send(new CreateBucketCommand({ Bucket: `page-bucket-${n}` }));
    const first = await s3.send(new ListBucketsCommand({ Prefix: 'page-bucket-', MaxBuckets: 2 }));
    expect(first.Buckets?.map((b) => b.Name)).toEqual(['page-bucket-1', 'page-bucket-2']);
    expect(first.ContinuationToken).toBeDefined();
    const second = await s3.send(new ListBucketsCommand({ Prefix: 'page-bucket-', MaxBuckets: 2, ContinuationToken: first.ContinuationToken }));
    expect(second.Buckets?.map((b) => b.Name)).toEqual(['page-bucket-3']);
    expect(second.ContinuationToken).toBeUndefined();
  });

  it('will not delete a bucket that holds objects', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'not-empty' }));
    await s3.send(new PutObjectCommand({ Bucket: 'not-empty', Key: 'k', Body: 'x' }));
    expect(await awsError(s3.send(new DeleteBucketCommand({ Bucket: 'not-empty' })))).toMatchObject({
      name: 'BucketNotEmpty',
      message: 'The bucket you tried to delete is not empty',
      status: 409,
    });
  });

  it('turns versioning on and suspends it', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'versioned-config' }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'versioned-config' }))).Status).toBeUndefined();
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned-config', VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'versioned-config' }))).Status).toBe('Enabled');
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned-config', VersioningConfiguration: { Status: 'Suspended' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'versioned-config' }))).Status).toBe('Suspended');
    expect(await awsError(s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned-config', VersioningConfiguration: { Status: 'On' as never } })))).toMatchObject({
      name: 'MalformedXML',
    });
  });

  it('stores, returns and deletes bucket tags', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'tagged-bucket' }));
    expect(await awsError(s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' })))).toMatchObject({
      name: 'NoSuchTagSet',
      message: 'The TagSet does not exist',
      status: 404,
    });
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-bucket', Tagging: { TagSet: [{ Key: 'team', Value: 'build' }, { Key: 'env', Value: 'dev' }] } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' }))).TagSet).toEqual([
      { Key: 'team', Value: 'build' },
      { Key: 'env', Value: 'dev' },
    ]);
    expect(
      await awsError(s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-bucket', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } }))),
    ).toMatchObject({ name: 'InvalidTag', message: 'Cannot provide multiple Tags with the same key' });
    expect(await awsError(s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-bucket', Tagging: { TagSet: [{ Key: 'aws:x', Value: '1' }] } })))).toMatchObject({
      name: 'InvalidTag',
    });
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'tagged-bucket' }));
    expect(await awsError(s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' })))).toMatchObject({ name: 'NoSuchTagSet' });
  });

  it('stores bucket policies and refuses malformed ones', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'policy-bucket' }));
    expect(await awsError(s3.send(new GetBucketPolicyCommand({ Bucket: 'policy-bucket' })))).toMatchObject({
      name: 'NoSuchBucketPolicy',
      message: 'The bucket policy does not exist',
    });
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::policy-bucket/*' }],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'policy-bucket', Policy: policy }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: 'policy-bucket' }))).Policy).toBe(policy);
    expect(await awsError(s3.send(new PutBucketPolicyCommand({ Bucket: 'policy-bucket', Policy: 'not json' })))).toMatchObject({
      name: 'MalformedPolicy',
      message: "Policies must be valid JSON and the first byte must be '{'",
    });
    const noPrincipal = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::policy-bucket/*' }] });
    expect(await awsError(s3.send(new PutBucketPolicyCommand({ Bucket: 'policy-bucket', Policy: noPrincipal })))).toMatchObject({
      name: 'MalformedPolicy',
      message: 'Missing required field Principal',
    });
    const otherBucket = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::someone-else/*' }] });
    expect(await awsError(s3.send(new PutBucketPolicyCommand({ Bucket: 'policy-bucket', Policy: otherBucket })))).toMatchObject({
      message: 'Policy has invalid resource',
    });
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: 'policy-bucket' }))).Policy).toBe(policy);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'policy-bucket' }));
    expect(await awsError(s3.send(new GetBucketPolicyCommand({ Bucket: 'policy-bucket' })))).toMatchObject({ name: 'NoSuchBucketPolicy' });
  });

  it('answers virtual-host style requests (<bucket>.localhost)', async () => {
    const vhost = virtualHostClient(server);
    await vhost.send(new CreateBucketCommand({ Bucket: 'vhost-bucket' }));
    await vhost.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'dir/file.txt', Body: 'via host' }));
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: 'vhost-bucket', Key: 'dir/file.txt' }))).Body)).toBe('via host');
    expect(await text((await vhost.send(new GetObjectCommand({ Bucket: 'vhost-bucket', Key: 'dir/file.txt' }))).Body)).toBe('via host');
  });

  it('writes errors as S3 does: an <Error> document with Code, Message, Resource and RequestId', async () => {
    const res = await raw(server, 'GET', '/missing-bucket-xyz/some/key', { authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(res.headers.get('x-amz-request-id')).toBeTruthy();
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message>/);
    expect(res.body).toContain('<BucketName>missing-bucket-xyz</BucketName>');
    expect(res.body).toContain('<Resource>/missing-bucket-xyz/some/key</Resource>');
    expect(res.body).toMatch(/<RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
    const notAllowed = await raw(server, 'POST', '/some-bucket');
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.body).toContain('<Code>MethodNotAllowed</Code>');
  });
});
