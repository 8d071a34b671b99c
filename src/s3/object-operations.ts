import type {
  CopyObjectRequest,
  DeleteObjectRequest,
  DeleteObjectsRequest,
  GetObjectRequest,
  HeadObjectRequest,
  PutObjectRequest,
} from '@aws-sdk/client-s3';
import type { RequestContext } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { bucketArn, objectArn } from './arns.js';
import { authorizeAlso } from './authorization.js';
import { memberOf, type ChecksumAlgorithm } from './checksums.js';
import { parseCopySource } from './copy-source.js';
import { MAX_PUT_SIZE, type S3Deps } from './deps.js';
import { invalidCopySourceSelf, invalidRequest, malformedXml, noSuchBucket, noSuchKey, preconditionFailed } from './errors.js';
import {
  checkKey,
  checkVersionId,
  checkWriteOptions,
  etagMatches,
  headersFrom,
  metadataFrom,
  quoteEtag,
  requireBucket,
  tagsFrom,
  versionIdFor,
  writeCondition,
} from './object-fields.js';
import { checkReadable, readObject, resolveVersion } from './object-reads.js';
import { integrityOf, payloadOf, PAYLOAD, receive, type WithPayload } from './payload.js';
import { MissingBucket, type ObjectFields, type ObjectVersion } from './store.js';

const objectResource = (input: { Bucket?: string; Key?: string }) => objectArn(input.Bucket!, input.Key!);

/** Stores a version and hands back the blobs it replaced; a bucket deleted meanwhile is NoSuchBucket. */
function commitVersion(deps: S3Deps, bucket: string, key: string, fields: ObjectFields, check?: (current: ObjectVersion | undefined) => void): ObjectVersion {
  try {
    const { version, removedBlobs } = deps.store.putObject(bucket, key, fields, deps.newVersionId, check);
    deps.blobs.remove(removedBlobs);
    return version;
  } catch (err) {
    deps.blobs.remove(fields.segments.map((s) => s.blob));
    if (err instanceof MissingBucket) throw noSuchBucket(bucket);
    throw err;
  }
}

/** The DeleteObject semantics shared with DeleteObjects. */
function deleteOne(deps: S3Deps, bucket: string, key: string, versionId: string | undefined, owner: string): { DeleteMarker?: boolean; VersionId?: string } {
  if (versionId !== undefined) {
    const { removed, removedBlobs } = deps.store.deleteVersion(bucket, key, versionId);
    deps.blobs.remove(removedBlobs);
    return { VersionId: versionId, DeleteMarker: removed?.deleteMarker ? true : undefined };
  }
  try {
    const { marker, removedBlobs } = deps.store.deleteObject(bucket, key, deps.clock.now().getTime(), owner, deps.newVersionId);
    deps.blobs.remove(removedBlobs);
    return marker ? { DeleteMarker: true, VersionId: marker.versionId } : {};
  } catch (err) {
    if (err instanceof MissingBucket) throw noSuchBucket(bucket);
    throw err;
  }
}

export function objectOperations(deps: S3Deps): Record<string, OperationSpec> {
  return {
    PutObject: operation<WithPayload<PutObjectRequest>, Record<string, unknown>>({
      iam: {
        action: 's3:PutObject',
        resource: objectResource,
        conditionKeys: (input) => ({
          ...(input.ACL ? { 's3:x-amz-acl': input.ACL } : {}),
          ...(input.StorageClass ? { 's3:x-amz-storage-class': input.StorageClass } : {}),
          ...(input.ServerSideEncryption ? { 's3:x-amz-server-side-encryption': input.ServerSideEncryption } : {}),
        }),
      },
      handler: async (input, ctx) => {
        const bucket = requireBucket(deps, input.Bucket!);
        checkKey(input.Key!);
        checkWriteOptions(input);
        const headers = headersFrom(input);
        const metadata = metadataFrom(input.Metadata);
        const tags = tagsFrom(input.Tagging);
        const condition = writeCondition({ IfMatch: input.IfMatch, IfNoneMatch: input.IfNoneMatch, Key: input.Key! });
        condition?.(deps.store.latest(bucket.name, input.Key!));
        const payload = input[PAYLOAD] ?? payloadOf(Buffer.alloc(0));
        const integrity = integrityOf(input as unknown as Record<string, unknown>, payload);
        // Objects uploaded without a checksum get S3's default one, CRC64NVME.
        const algorithm: ChecksumAlgorithm = integrity.checksum?.algorithm ?? 'CRC64NVME';
        const received = await receive(deps.blobs, payload, integrity, [algorithm], MAX_PUT_SIZE);
        await received.pending.commit();
        const version = commitVersion(
          deps,
          bucket.name,
          input.Key!,
          {
            size: received.size,
            etag: quoteEtag(received.md5Hex),
            lastModified: deps.clock.now().getTime(),
            storageClass: input.StorageClass,
            headers,
            metadata,
            tags,
            checksum: { algorithm, type: 'FULL_OBJECT', value: received.checksums[algorithm]! },
            segments: [{ blob: received.pending.blob, size: received.size }],
            owner: ctx.accountId,
          },
          condition,
        );
        return {
          ETag: version.etag,
          [memberOf(algorithm)]: received.checksums[algorithm],
          ChecksumType: 'FULL_OBJECT',
          VersionId: versionIdFor(deps.store.bucket(bucket.name) ?? bucket, version),
        };
      },
    }),

    GetObject: operation<GetObjectRequest, Record<string, unknown>>({
      iam: { action: 's3:GetObject', resource: objectResource },
      handler: (input) => readObject(deps, input, true),
    }),

    HeadObject: operation<HeadObjectRequest, Record<string, unknown>>({
      iam: { action: 's3:GetObject', resource: objectResource },
      handler: (input) => readObject(deps, input as GetObjectRequest, false),
    }),

    DeleteObject: operation<DeleteObjectRequest, Record<string, unknown>>({
      iam: { action: 's3:DeleteObject', resource: objectResource },
      handler: (input, ctx) => {
        requireBucket(deps, input.Bucket!);
        checkVersionId(input.VersionId);
        if (input.IfMatch !== undefined) {
          const current = deps.store.latest(input.Bucket!, input.Key!);
          if (!current || current.deleteMarker) throw noSuchKey(input.Key!);
          if (!etagMatches(input.IfMatch, current.etag)) throw preconditionFailed('If-Match');
        }
        return deleteOne(deps, input.Bucket!, input.Key!, input.VersionId, ctx.accountId);
      },
    }),

    DeleteObjects: operation<DeleteObjectsRequest, Record<string, unknown>>({
      // DeleteObjects has no action of its own: each key is an s3:DeleteObject decision, made in the handler.
      iam: { action: 's3:DeleteObject', decidedBy: 'in-handler', resource: (input) => bucketArn(input.Bucket!) },
      handler: async (input, ctx) => {
        requireBucket(deps, input.Bucket!);
        const objects = input.Delete?.Objects ?? [];
        if (objects.length === 0 || objects.length > 1000) throw malformedXml();
        const deleted: Record<string, unknown>[] = [];
        const errors: Record<string, unknown>[] = [];
        for (const object of objects) {
          const key = object.Key!;
          try {
            checkVersionId(object.VersionId);
            await authorizeAlso(ctx, object.VersionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject', objectArn(input.Bucket!, key));
            const result = deleteOne(deps, input.Bucket!, key, object.VersionId, ctx.accountId);
            deleted.push({
              Key: key,
              VersionId: object.VersionId,
              DeleteMarker: result.DeleteMarker,
              DeleteMarkerVersionId: object.VersionId === undefined && result.DeleteMarker ? result.VersionId : undefined,
            });
          } catch (err) {
            if (!isAwsError(err) || err.statusCode >= 500) throw err;
            errors.push({ Key: key, VersionId: object.VersionId, Code: err.code, Message: err.message });
          }
        }
        return { Deleted: input.Delete?.Quiet ? undefined : deleted, Errors: errors };
      },
    }),

    CopyObject: operation<CopyObjectRequest, Record<string, unknown>>({
      iam: { action: 's3:PutObject', resource: objectResource },
      handler: (input, ctx) => copyObject(deps, input, ctx),
    }),
  };
}

async function copyObject(deps: S3Deps, input: CopyObjectRequest, ctx: RequestContext): Promise<Record<string, unknown>> {
  const bucket = requireBucket(deps, input.Bucket!);
  checkKey(input.Key!);
  checkWriteOptions(input);
  const source = parseCopySource(input.CopySource!);
  await authorizeAlso(ctx, source.versionId ? 's3:GetObjectVersion' : 's3:GetObject', objectArn(source.bucket, source.key));
  const { bucket: sourceBucket, version: sourceVersion } = resolveCopySource(deps, source);
  checkReadable(sourceVersion);
  checkCopyConditions(input, sourceVersion);
  const replaceMetadata = input.MetadataDirective === 'REPLACE';
  const sameObject = source.bucket === input.Bucket && source.key === input.Key && sourceVersion.isLatest;
  if (sameObject && !replaceMetadata && !input.StorageClass && !input.WebsiteRedirectLocation && !input.ChecksumAlgorithm && !input.ServerSideEncryption) {
    throw invalidCopySourceSelf();
  }
  if (sourceVersion.size > MAX_PUT_SIZE) {
    throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_SIZE}`);
  }
  const algorithm: ChecksumAlgorithm = (input.ChecksumAlgorithm as ChecksumAlgorithm | undefined) ?? sourceVersion.checksum?.algorithm ?? 'CRC64NVME';
  const received = await receive(deps.blobs, payloadOf(deps.blobs.read(sourceVersion.segments)), {}, [algorithm], MAX_PUT_SIZE);
  await received.pending.commit();
  const version = commitVersion(deps, bucket.name, input.Key!, {
    size: received.size,
    etag: quoteEtag(received.md5Hex),
    lastModified: deps.clock.now().getTime(),
    storageClass: input.StorageClass,
    headers: replaceMetadata ? headersFrom(input) : sourceVersion.headers,
    metadata: replaceMetadata ? metadataFrom(input.Metadata) : sourceVersion.metadata,
    tags: input.TaggingDirective === 'REPLACE' ? tagsFrom(input.Tagging) : sourceVersion.tags,
    checksum: { algorithm, type: 'FULL_OBJECT', value: received.checksums[algorithm]! },
    segments: [{ blob: received.pending.blob, size: received.size }],
    owner: ctx.accountId,
  });
  return {
    CopyObjectResult: {
      ETag: version.etag,
      LastModified: new Date(version.lastModified),
      ChecksumType: 'FULL_OBJECT',
      [memberOf(algorithm)]: received.checksums[algorithm],
    },
    CopySourceVersionId: sourceBucket.versioning ? sourceVersion.versionId : undefined,
    VersionId: versionIdFor(deps.store.bucket(bucket.name) ?? bucket, version),
  };
}

export function resolveCopySource(deps: S3Deps, source: { bucket: string; key: string; versionId?: string }) {
  try {
    return resolveVersion(deps, source.bucket, source.key, source.versionId);
  } catch (err) {
    if (isAwsError(err) && err.code === 'MethodNotAllowed') {
      throw invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
    }
    throw err;
  }
}

/** x-amz-copy-source-if-*: each failure is 412, naming the header that failed. */
export function checkCopyConditions(
  input: { CopySourceIfMatch?: string; CopySourceIfNoneMatch?: string; CopySourceIfModifiedSince?: Date; CopySourceIfUnmodifiedSince?: Date },
  source: ObjectVersion,
): void {
  const modified = Math.floor(source.lastModified / 1000) * 1000;
  if (input.CopySourceIfMatch !== undefined && !etagMatches(input.CopySourceIfMatch, source.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  if (input.CopySourceIfNoneMatch !== undefined && etagMatches(input.CopySourceIfNoneMatch, source.etag)) {
    throw preconditionFailed('x-amz-copy-source-If-None-Match');
  }
  if (input.CopySourceIfMatch === undefined && input.CopySourceIfUnmodifiedSince !== undefined && modified > input.CopySourceIfUnmodifiedSince.getTime()) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (input.CopySourceIfNoneMatch === undefined && input.CopySourceIfModifiedSince !== undefined && modified <= input.CopySourceIfModifiedSince.getTime()) {
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}
