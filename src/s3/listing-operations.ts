import type { ListMultipartUploadsRequest, ListObjectsRequest, ListObjectsV2Request, ListObjectVersionsRequest } from '@aws-sdk/client-s3';
import { operation, type OperationSpec } from '../core/service.js';
import { bucketArn } from './arns.js';
import { canonicalUserId } from './bucket-operations.js';
import type { S3Deps } from './deps.js';
import { invalidArgument } from './errors.js';
import { encoder, entryName, pageSize, walk } from './listing.js';
import { checkVersionId, requireBucket } from './object-fields.js';
import type { ObjectVersion, Upload } from './store.js';

const bucketResource = (input: { Bucket?: string }) => bucketArn(input.Bucket!);

const listConditions = (input: { Prefix?: string; Delimiter?: string; MaxKeys?: number }) => ({
  ...(input.Prefix !== undefined ? { 's3:prefix': input.Prefix } : {}),
  ...(input.Delimiter !== undefined ? { 's3:delimiter': input.Delimiter } : {}),
  ...(input.MaxKeys !== undefined ? { 's3:max-keys': String(input.MaxKeys) } : {}),
});

const keyOf = (v: { key: string }) => v.key;
const owner = (accountId: string) => ({ ID: canonicalUserId(accountId) });

function objectEntry(v: ObjectVersion, encode: (s: string | undefined) => string | undefined, withOwner: boolean) {
  return {
    Key: encode(v.key),
    LastModified: new Date(v.lastModified),
    ETag: v.etag,
    ChecksumAlgorithm: v.checksum ? [v.checksum.algorithm] : undefined,
    ChecksumType: v.checksum?.type,
    Size: v.size,
    StorageClass: v.storageClass ?? 'STANDARD',
    Owner: withOwner ? owner(v.owner) : undefined,
  };
}

/** Continuation tokens are opaque to clients; this one carries where the page ended. */
const encodeToken = (name: string) => Buffer.from(`v1:${name}`, 'utf8').toString('base64');
function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith('v1:') || encodeToken(text.slice(3)) !== token) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return text.slice(3);
}

export function listingOperations(deps: S3Deps): Record<string, OperationSpec> {
  const { store } = deps;
  const latest = (bucket: string) => (key: string, inclusive: boolean, _after: ObjectVersion | undefined, limit: number) =>
    store.latestFrom(bucket, key, inclusive, limit);

  return {
    ListObjectsV2: operation<ListObjectsV2Request, Record<string, unknown>>({
      iam: { action: 's3:ListBucket', resource: bucketResource, conditionKeys: listConditions },
      handler: (input) => {
        const bucket = requireBucket(deps, input.Bucket!);
        const max = pageSize(input.MaxKeys, 'maxKeys');
        const prefix = input.Prefix ?? '';
        const continuation = input.ContinuationToken !== undefined ? decodeToken(input.ContinuationToken) : undefined;
        const marker = continuation ?? (input.StartAfter || undefined);
        const { entries, truncated } = walk(latest(bucket.name), keyOf, { prefix, delimiter: input.Delimiter || undefined, max, marker });
        const encode = encoder(input.EncodingType);
        return {
          Name: bucket.name,
          Prefix: encode(prefix),
          Delimiter: encode(input.Delimiter),
          MaxKeys: input.MaxKeys ?? 1000,
          KeyCount: entries.length,
          IsTruncated: truncated,
          Contents: entries.flatMap((e) => (e.item ? [objectEntry(e.item, encode, input.FetchOwner === true)] : [])),
          CommonPrefixes: entries.flatMap((e) => (e.prefix !== undefined ? [{ Prefix: encode(e.prefix) }] : [])),
          ContinuationToken: input.ContinuationToken,
          NextContinuationToken: truncated && entries.length > 0 ? encodeToken(entryName(entries[entries.length - 1], keyOf)) : undefined,
          StartAfter: encode(input.StartAfter),
          EncodingType: input.EncodingType,
        };
      },
    }),

    ListObjects: operation<ListObjectsRequest, Record<string, unknown>>({
      iam: { action: 's3:ListBucket', resource: bucketResource, conditionKeys: listConditions },
      handler: (input) => {
        const bucket = requireBucket(deps, input.Bucket!);
        const max = pageSize(input.MaxKeys, 'maxKeys');
        const prefix = input.Prefix ?? '';
        const delimiter = input.Delimiter || undefined;
        const { entries, truncated } = walk(latest(bucket.name), keyOf, { prefix, delimiter, max, marker: input.Marker || undefined });
        const encode = encoder(input.EncodingType);
        return {
          Name: bucket.name,
          Prefix: encode(prefix),
          Marker: encode(input.Marker ?? ''),
          MaxKeys: input.MaxKeys ?? 1000,
          Delimiter: encode(input.Delimiter),
          IsTruncated: truncated,
          // Without a delimiter clients resume from the last key; S3 sends NextMarker only with one.
          NextMarker: truncated && delimiter && entries.length > 0 ? encode(entryName(entries[entries.length - 1], keyOf)) : undefined,
          Contents: entries.flatMap((e) => (e.item ? [objectEntry(e.item, encode, true)] : [])),
          CommonPrefixes: entries.flatMap((e) => (e.prefix !== undefined ? [{ Prefix: encode(e.prefix) }] : [])),
          EncodingType: input.EncodingType,
        };
      },
    }),

    ListObjectVersions: operation<ListObjectVersionsRequest, Record<string, unknown>>({
      iam: { action: 's3:ListBucketVersions', resource: bucketResource, conditionKeys: listConditions },
      handler: (input) => {
        const bucket = requireBucket(deps, input.Bucket!);
        const max = pageSize(input.MaxKeys, 'maxKeys');
        const prefix = input.Prefix ?? '';
        if (input.VersionIdMarker !== undefined && !input.KeyMarker) {
          throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', input.VersionIdMarker);
        }
        checkVersionId(input.VersionIdMarker || undefined);
        const markerRow = input.KeyMarker && input.VersionIdMarker ? store.version(bucket.name, input.KeyMarker, input.VersionIdMarker) : undefined;
        const { entries, truncated } = walk(
          (key, inclusive, after, limit) => store.versionsFrom(bucket.name, key, inclusive, after?.id, limit),
          keyOf,
          { prefix, delimiter: input.Delimiter || undefined, max, marker: input.KeyMarker || undefined, markerRow },
        );
        const encode = encoder(input.EncodingType);
        const last = entries[entries.length - 1];
        return {
          Name: bucket.name,
          Prefix: encode(prefix),
          KeyMarker: encode(input.KeyMarker ?? ''),
          VersionIdMarker: input.VersionIdMarker ?? '',
          MaxKeys: input.MaxKeys ?? 1000,
          Delimiter: encode(input.Delimiter),
          IsTruncated: truncated,
          NextKeyMarker: truncated && last ? encode(entryName(last, keyOf)) : undefined,
          NextVersionIdMarker: truncated && last?.item ? last.item.versionId : undefined,
          Versions: entries.flatMap((e) =>
            e.item && !e.item.deleteMarker
              ? [
                  {
                    ETag: e.item.etag,
                    ChecksumAlgorithm: e.item.checksum ? [e.item.checksum.algorithm] : undefined,
                    ChecksumType: e.item.checksum?.type,
                    Size: e.item.size,
                    StorageClass: e.item.storageClass ?? 'STANDARD',
                    Key: encode(e.item.key),
                    VersionId: e.item.versionId,
                    IsLatest: e.item.isLatest,
                    LastModified: new Date(e.item.lastModified),
                    Owner: owner(e.item.owner),
                  },
                ]
              : [],
          ),
          DeleteMarkers: entries.flatMap((e) =>
            e.item?.deleteMarker
              ? [{ Owner: owner(e.item.owner), Key: encode(e.item.key), VersionId: e.item.versionId, IsLatest: e.item.isLatest, LastModified: new Date(e.item.lastModified) }]
              : [],
          ),
          CommonPrefixes: entries.flatMap((e) => (e.prefix !== undefined ? [{ Prefix: encode(e.prefix) }] : [])),
          EncodingType: input.EncodingType,
        };
      },
    }),

    ListMultipartUploads: operation<ListMultipartUploadsRequest, Record<string, unknown>>({
      iam: { action: 's3:ListBucketMultipartUploads', resource: bucketResource },
      handler: (input) => {
        const bucket = requireBucket(deps, input.Bucket!);
        const max = pageSize(input.MaxUploads, 'max-uploads');
        const prefix = input.Prefix ?? '';
        const markerUpload = input.KeyMarker && input.UploadIdMarker ? store.upload(input.UploadIdMarker) : undefined;
        const markerRow = markerUpload && markerUpload.key === input.KeyMarker ? markerUpload : undefined;
        const { entries, truncated } = walk<Upload>(
          (key, inclusive, after, limit) => store.uploadsFrom(bucket.name, key, inclusive, after, limit),
          keyOf,
          { prefix, delimiter: input.Delimiter || undefined, max, marker: input.KeyMarker || undefined, markerRow },
        );
        const encode = encoder(input.EncodingType);
        const last = entries[entries.length - 1];
        return {
          Bucket: bucket.name,
          KeyMarker: encode(input.KeyMarker ?? ''),
          UploadIdMarker: input.UploadIdMarker ?? '',
          NextKeyMarker: truncated && last ? encode(entryName(last, keyOf)) : undefined,
          NextUploadIdMarker: truncated && last?.item ? last.item.uploadId : undefined,
          Prefix: encode(prefix),
          Delimiter: encode(input.Delimiter),
          MaxUploads: input.MaxUploads ?? 1000,
          IsTruncated: truncated,
          Uploads: entries.flatMap((e) =>
            e.item
              ? [
                  {
                    UploadId: e.item.uploadId,
                    Key: encode(e.item.key),
                    Initiated: new Date(e.item.initiated),
                    StorageClass: e.item.storageClass ?? 'STANDARD',
                    Owner: owner(e.item.owner),
                    Initiator: owner(e.item.owner),
                    ChecksumAlgorithm: e.item.checksumAlgorithm,
                    ChecksumType: e.item.checksumType,
                  },
                ]
              : [],
          ),
          CommonPrefixes: entries.flatMap((e) => (e.prefix !== undefined ? [{ Prefix: encode(e.prefix) }] : [])),
          EncodingType: input.EncodingType,
        };
      },
    }),
  };
}
