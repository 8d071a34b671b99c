import type {
  CreateBucketRequest,
  DeleteBucketPolicyRequest,
  DeleteBucketRequest,
  DeleteBucketTaggingRequest,
  GetBucketLocationRequest,
  GetBucketPolicyRequest,
  GetBucketTaggingRequest,
  GetBucketVersioningRequest,
  HeadBucketRequest,
  ListBucketsRequest,
  PutBucketPolicyRequest,
  PutBucketTaggingRequest,
  PutBucketVersioningRequest,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { AwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { bucketArn } from './arns.js';
import { validateBucketPolicy } from './bucket-policy.js';
import { isValidBucketName } from './bucket-names.js';
import type { S3Deps } from './deps.js';
import {
  bucketAlreadyExists,
  bucketAlreadyOwnedByYou,
  bucketNotEmpty,
  illegalLocationConstraint,
  invalidArgument,
  invalidBucketAclWithObjectOwnership,
  invalidBucketName,
  invalidLocationConstraint,
  noSuchBucketPolicy,
  noSuchTagSet,
  notImplemented,
} from './errors.js';
import { requireBucket } from './object-fields.js';
import { validateTags } from './tags.js';
import type { Tag } from './store.js';

const bucketResource = (input: { Bucket?: string }) => bucketArn(input.Bucket!);

/** S3 names owners by a canonical user id (64 hex digits); codesuite derives one from the account. */
export const canonicalUserId = (accountId: string) => createHash('sha256').update(`codesuite-canonical-user:${accountId}`).digest('hex');

/** `EU` is the legacy name of eu-west-1. */
const regionOf = (constraint: string) => (constraint === 'EU' ? 'eu-west-1' : constraint);

const encodeToken = (name: string) => Buffer.from(name, 'utf8').toString('base64url');
function decodeToken(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (!isValidBucketName(name)) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  return name;
}

export function bucketOperations(deps: S3Deps): Record<string, OperationSpec> {
  const { store } = deps;
  return {
    CreateBucket: operation<CreateBucketRequest, Record<string, unknown>>({
      iam: {
        action: 's3:CreateBucket',
        resource: bucketResource,
        conditionKeys: (input) => {
          const constraint = input.CreateBucketConfiguration?.LocationConstraint;
          return constraint ? { 's3:LocationConstraint': String(constraint) } : ({} as Record<string, string>);
        },
      },
      handler: (input, ctx) => {
        const name = input.Bucket!;
        if (!isValidBucketName(name)) throw invalidBucketName(name);
        const constraint = input.CreateBucketConfiguration?.LocationConstraint as string | undefined;
        if (ctx.region === 'us-east-1') {
          if (constraint === 'us-east-1') throw invalidLocationConstraint(constraint);
          if (constraint !== undefined) throw illegalLocationConstraint(constraint);
        } else if (constraint === undefined || regionOf(constraint) !== ctx.region) {
          throw illegalLocationConstraint(constraint);
        }
        if (input.ACL !== undefined && input.ACL !== 'private') throw invalidBucketAclWithObjectOwnership();
        if (input.GrantFullControl || input.GrantRead || input.GrantReadACP || input.GrantWrite || input.GrantWriteACP) {
          throw invalidBucketAclWithObjectOwnership();
        }
        if (input.ObjectOwnership !== undefined && input.ObjectOwnership !== 'BucketOwnerEnforced') throw notImplemented('x-amz-object-ownership');
        if (input.ObjectLockEnabledForBucket) throw notImplemented('x-amz-bucket-object-lock-enabled');
        const tags = input.CreateBucketConfiguration?.Tags as Tag[] | undefined;
        if (tags) validateTags(tags, 'bucket');
        const existing = store.bucket(name);
        if (existing) {
          if (existing.accountId !== ctx.accountId) throw bucketAlreadyExists(name);
          // For legacy compatibility, us-east-1 answers a repeated create of your own bucket with 200.
          if (existing.region === 'us-east-1' && ctx.region === 'us-east-1') return { Location: `/${name}`, BucketArn: bucketArn(name) };
          throw bucketAlreadyOwnedByYou(name);
        }
        store.createBucket({ name, accountId: ctx.accountId, region: ctx.region, createdAt: deps.clock.now().getTime(), tags: tags?.length ? tags : undefined });
        return { Location: `/${name}`, BucketArn: bucketArn(name) };
      },
    }),

    HeadBucket: operation<HeadBucketRequest, Record<string, unknown>>({
      iam: { action: 's3:ListBucket', resource: bucketResource },
      handler: (input) => {
        const bucket = requireBucket(deps, input.Bucket!);
        return { BucketRegion: bucket.region, AccessPointAlias: false, BucketArn: bucketArn(bucket.name) };
      },
    }),

    ListBuckets: operation<ListBucketsRequest, Record<string, unknown>>({
      iam: { action: 's3:ListAllMyBuckets', resource: () => '*' },
      handler: (input, ctx) => {
        const limit = input.MaxBuckets ?? 10000;
        const after = input.ContinuationToken ? decodeToken(input.ContinuationToken) : undefined;
        const page = store.listBuckets(ctx.accountId, { prefix: input.Prefix, after, region: input.BucketRegion, limit: limit + 1 });
        const more = page.length > limit;
        const buckets = page.slice(0, limit);
        return {
          Buckets: buckets.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt), BucketRegion: b.region, BucketArn: bucketArn(b.name) })),
          Owner: { ID: canonicalUserId(ctx.accountId) },
          ContinuationToken: more ? encodeToken(buckets[buckets.length - 1].name) : undefined,
          Prefix: input.Prefix,
        };
      },
    }),

    DeleteBucket: operation<DeleteBucketRequest, Record<string, unknown>>({
      iam: { action: 's3:DeleteBucket', resource: bucketResource },
      handler: (input) => {
        requireBucket(deps, input.Bucket!);
        const { deleted, blobs } = store.deleteBucket(input.Bucket!);
        if (!deleted) throw bucketNotEmpty(input.Bucket!);
        deps.blobs.remove(blobs);
        return {};
      },
    }),

    GetBucketLocation: operation<GetBucketLocationRequest, Record<string, unknown>>({
      iam: { action: 's3:GetBucketLocation', resource: bucketResource },
      handler: (input) => {
        const bucket = requireBucket(deps, input.Bucket!);
        return { LocationConstraint: bucket.region === 'us-east-1' ? undefined : bucket.region };
      },
    }),

    PutBucketVersioning: operation<PutBucketVersioningRequest, Record<string, unknown>>({
      iam: { action: 's3:PutBucketVersioning', resource: bucketResource },
      handler: (input) => {
        requireBucket(deps, input.Bucket!);
        const config = input.VersioningConfiguration!;
        if (config.MFADelete === 'Enabled') throw notImplemented('x-amz-mfa');
        if (config.Status === undefined) {
          throw new AwsError('IllegalVersioningConfigurationException', 'The Versioning element must be specified');
        }
        store.setVersioning(input.Bucket!, config.Status);
        return {};
      },
    }),

    GetBucketVersioning: operation<GetBucketVersioningRequest, Record<string, unknown>>({
      iam: { action: 's3:GetBucketVersioning', resource: bucketResource },
      handler: (input) => {
        const bucket = requireBucket(deps, input.Bucket!);
        return bucket.versioning ? { Status: bucket.versioning } : {};
      },
    }),

    PutBucketTagging: operation<PutBucketTaggingRequest, Record<string, unknown>>({
      iam: { action: 's3:PutBucketTagging', resource: bucketResource },
      handler: (input) => {
        requireBucket(deps, input.Bucket!);
        const tags = (input.Tagging?.TagSet ?? []) as Tag[];
        validateTags(tags, 'bucket');
        store.setBucketTags(input.Bucket!, tags.length > 0 ? tags : undefined);
        return {};
      },
    }),

    GetBucketTagging: operation<GetBucketTaggingRequest, Record<string, unknown>>({
      iam: { action: 's3:GetBucketTagging', resource: bucketResource },
      handler: (input) => {
        const bucket = requireBucket(deps, input.Bucket!);
        if (!bucket.tags?.length) throw noSuchTagSet(bucket.name);
        return { TagSet: bucket.tags };
      },
    }),

    DeleteBucketTagging: operation<DeleteBucketTaggingRequest, Record<string, unknown>>({
      iam: { action: 's3:PutBucketTagging', resource: bucketResource },
      handler: (input) => {
        requireBucket(deps, input.Bucket!);
        store.setBucketTags(input.Bucket!, undefined);
        return {};
      },
    }),

    PutBucketPolicy: operation<PutBucketPolicyRequest, Record<string, unknown>>({
      iam: { action: 's3:PutBucketPolicy', resource: bucketResource },
      handler: (input) => {
        requireBucket(deps, input.Bucket!);
        validateBucketPolicy(input.Bucket!, input.Policy ?? '');
        store.setPolicy(input.Bucket!, input.Policy);
        return {};
      },
    }),

    GetBucketPolicy: operation<GetBucketPolicyRequest, Record<string, unknown>>({
      iam: { action: 's3:GetBucketPolicy', resource: bucketResource },
      handler: (input) => {
        const bucket = requireBucket(deps, input.Bucket!);
        if (!bucket.policy) throw noSuchBucketPolicy(bucket.name);
        return { Policy: bucket.policy };
      },
    }),

    DeleteBucketPolicy: operation<DeleteBucketPolicyRequest, Record<string, unknown>>({
      iam: { action: 's3:DeleteBucketPolicy', resource: bucketResource },
      handler: (input) => {
        requireBucket(deps, input.Bucket!);
        store.setPolicy(input.Bucket!, undefined);
        return {};
      },
    }),
  };
}
