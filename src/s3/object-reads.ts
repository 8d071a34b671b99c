import type { GetObjectRequest } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { memberOf } from './checksums.js';
import type { S3Deps } from './deps.js';
import {
  invalidObjectState,
  invalidPartNumber,
  invalidRange,
  invalidRequest,
  methodNotAllowed,
  noSuchKey,
  noSuchVersion,
  preconditionFailed,
  S3Error,
} from './errors.js';
import { checkVersionId, etagMatches, requireBucket } from './object-fields.js';
import type { Bucket, ObjectVersion } from './store.js';

/** The version a read names: the current one, or `versionId`; delete markers answer as S3 does. */
export function resolveVersion(deps: S3Deps, bucketName: string, key: string, versionId: string | undefined): { bucket: Bucket; version: ObjectVersion } {
  const bucket = requireBucket(deps, bucketName);
  checkVersionId(versionId);
  const version = versionId === undefined ? deps.store.latest(bucketName, key) : deps.store.version(bucketName, key, versionId);
  if (!version) throw versionId === undefined ? noSuchKey(key) : noSuchVersion(key, versionId);
  if (version.deleteMarker) {
    const headers = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': version.versionId };
    if (versionId !== undefined) {
      throw methodNotAllowed('GET', 'DeleteMarker', { ...headers, 'last-modified': new Date(version.lastModified).toUTCString(), allow: 'DELETE' });
    }
    throw noSuchKey(key, headers);
  }
  return { bucket, version };
}

const ARCHIVED = new Set(['GLACIER', 'DEEP_ARCHIVE']);

export function checkReadable(version: ObjectVersion): void {
  if (version.storageClass && ARCHIVED.has(version.storageClass)) throw invalidObjectState(version.storageClass);
}

/** 304 is not an error, but like one it ends the request before any body. */
export function notModified(version: ObjectVersion): S3Error {
  return new S3Error('NotModified', 'Not Modified', 304, {}, { etag: version.etag, 'last-modified': new Date(version.lastModified).toUTCString() });
}

/** HTTP's conditional GET, in S3's order: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since. */
export function checkPreconditions(
  version: ObjectVersion,
  input: { IfMatch?: string; IfNoneMatch?: string; IfModifiedSince?: Date; IfUnmodifiedSince?: Date },
): void {
  const modified = Math.floor(version.lastModified / 1000) * 1000;
  if (input.IfMatch !== undefined) {
    if (!etagMatches(input.IfMatch, version.etag)) throw preconditionFailed('If-Match');
  } else if (input.IfUnmodifiedSince !== undefined && modified > input.IfUnmodifiedSince.getTime()) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (input.IfNoneMatch !== undefined) {
    if (etagMatches(input.IfNoneMatch, version.etag)) throw notModified(version);
  } else if (input.IfModifiedSince !== undefined && modified <= input.IfModifiedSince.getTime()) {
    throw notModified(version);
  }
}

/**
 * A single `bytes=` range (first-last, first-, -suffix). S3 serves the whole object for a header
 * it cannot parse or that names several ranges, and refuses one that starts past the end.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw invalidRange(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw invalidRange(header, size);
  return { start, end };
}

type ReadInput = GetObjectRequest & { IfModifiedSince?: Date; IfUnmodifiedSince?: Date };

/** Everything GetObject and HeadObject answer, with the body for GET. */
export function readObject(deps: S3Deps, input: ReadInput, withBody: boolean): Record<string, unknown> {
  const { bucket, version } = resolveVersion(deps, input.Bucket!, input.Key!, input.VersionId);
  checkPreconditions(version, input);
  if (withBody) checkReadable(version);
  const size = version.size;
  let range: { start: number; end: number } | undefined;
  let partChecksum: string | undefined;
  let partsCount: number | undefined;
  if (input.PartNumber !== undefined) {
    if (input.Range !== undefined) throw invalidRequest('Cannot specify both Range header and partNumber query parameter');
    const layout = version.parts ?? [{ size }];
    if (input.PartNumber < 1 || input.PartNumber > layout.length) throw invalidPartNumber(input.PartNumber, layout.length);
    const start = layout.slice(0, input.PartNumber - 1).reduce((n, p) => n + p.size, 0);
    range = { start, end: start + layout[input.PartNumber - 1].size - 1 };
    partChecksum = layout[input.PartNumber - 1].checksum;
    partsCount = version.parts ? layout.length : undefined;
    if (layout[input.PartNumber - 1].size === 0) range = undefined;
  } else {
    range = parseRange(input.Range, size);
  }
  const length = range ? range.end - range.start + 1 : size;
  const h = version.headers;
  const output: Record<string, unknown> = {
    AcceptRanges: 'bytes',
    LastModified: new Date(version.lastModified),
    ContentLength: length,
    ETag: version.etag,
    VersionId: bucket.versioning ? version.versionId : undefined,
    CacheControl: input.ResponseCacheControl ?? h.CacheControl,
    ContentDisposition: input.ResponseContentDisposition ?? h.ContentDisposition,
    ContentEncoding: input.ResponseContentEncoding ?? h.ContentEncoding,
    ContentLanguage: input.ResponseContentLanguage ?? h.ContentLanguage,
    ContentType: input.ResponseContentType ?? h.ContentType,
    Expires: input.ResponseExpires ? new Date(input.ResponseExpires).toUTCString() : h.Expires,
    WebsiteRedirectLocation: h.WebsiteRedirectLocation,
    Metadata: version.metadata,
    StorageClass: version.storageClass && version.storageClass !== 'STANDARD' ? version.storageClass : undefined,
    PartsCount: partsCount,
    TagCount: withBody && version.tags.length > 0 ? version.tags.length : undefined,
  };
  if (range) output.ContentRange = `bytes ${range.start}-${range.end}/${size}`;
  // Checksums describe whole objects (or whole parts): a byte range has none to give.
  if (input.ChecksumMode === 'ENABLED' && version.checksum) {
    if (input.PartNumber !== undefined && version.parts) {
      if (partChecksum) {
        output[memberOf(version.checksum.algorithm)] = partChecksum;
        output.ChecksumType = version.checksum.type;
      }
    } else if (!range || (range.start === 0 && range.end === size - 1 && input.Range === undefined)) {
      output[memberOf(version.checksum.algorithm)] = version.checksum.value;
      output.ChecksumType = version.checksum.type;
    }
  }
  if (withBody) output.Body = deps.blobs.read(version.segments, range?.start ?? 0, range ? range.end : size - 1) satisfies Readable;
  return output;
}
