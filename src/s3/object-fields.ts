import {
  accessControlListNotSupported,
  invalidVersionId,
  keyTooLong,
  metadataTooLarge,
  noSuchBucket,
  notImplemented,
  preconditionFailed,
  noSuchKey,
} from './errors.js';
import type { S3Deps } from './deps.js';
import { parseTaggingHeader } from './tags.js';
import type { Bucket, ObjectHeaders, ObjectVersion, Tag } from './store.js';

/** The request members that set an object's stored representation headers. */
export interface HeaderInput {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: string | Date;
  WebsiteRedirectLocation?: string;
  Metadata?: Record<string, string>;
  Tagging?: string;
  ACL?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWriteACP?: string;
  ServerSideEncryption?: string;
  SSECustomerAlgorithm?: string;
  SSEKMSKeyId?: string;
}

export function requireBucket(deps: S3Deps, name: string): Bucket {
  const bucket = deps.store.bucket(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > 1024) throw keyTooLong(size);
}

/** S3 validates the format of a version id before looking it up. */
export function checkVersionId(versionId: string | undefined): void {
  if (versionId !== undefined && versionId !== 'null' && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId)) throw invalidVersionId(versionId);
}

/**
 * New buckets enforce bucket ownership (ACLs disabled): the only ACL a write may carry is the
 * bucket owner's full control. Server-side encryption with KMS or customer keys is not offered.
 */
export function checkWriteOptions(input: HeaderInput): void {
  if (input.ACL !== undefined && input.ACL !== 'bucket-owner-full-control') throw accessControlListNotSupported();
  if (input.GrantRead || input.GrantReadACP || input.GrantWriteACP) throw accessControlListNotSupported();
  if (input.ServerSideEncryption !== undefined && input.ServerSideEncryption !== 'AES256') throw notImplemented('x-amz-server-side-encryption');
  if (input.SSECustomerAlgorithm !== undefined) throw notImplemented('x-amz-server-side-encryption-customer-algorithm');
  if (input.SSEKMSKeyId !== undefined) throw notImplemented('x-amz-server-side-encryption-aws-kms-key-id');
}

/** `aws-chunked` is how the body travelled, not how the object is encoded: S3 does not store it. */
function storedEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const kept = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s.toLowerCase() !== 'aws-chunked');
  return kept.length > 0 ? kept.join(',') : undefined;
}

export function headersFrom(input: HeaderInput): ObjectHeaders {
  const expires = input.Expires instanceof Date ? input.Expires.toUTCString() : input.Expires;
  const headers: ObjectHeaders = {
    ContentType: input.ContentType ?? 'binary/octet-stream',
    ContentEncoding: storedEncoding(input.ContentEncoding),
    ContentDisposition: input.ContentDisposition,
    ContentLanguage: input.ContentLanguage,
    CacheControl: input.CacheControl,
    Expires: expires,
    WebsiteRedirectLocation: input.WebsiteRedirectLocation,
  };
  for (const k of Object.keys(headers) as (keyof ObjectHeaders)[]) if (headers[k] === undefined) delete headers[k];
  return headers;
}

/** User metadata (x-amz-meta-*): keys and values together at most 2 KB. */
export function metadataFrom(metadata: Record<string, string> | undefined): Record<string, string> {
  const entries = Object.entries(metadata ?? {});
  const size = entries.reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size > 2048) throw metadataTooLarge(size);
  // fromEntries keeps a key such as `__proto__` as a member like any other.
  return Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), v]));
}

export function tagsFrom(header: string | undefined): Tag[] {
  return header ? parseTaggingHeader(header) : [];
}

const unquote = (etag: string) => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

/** Whether an If-Match / If-None-Match list names this ETag (`*` names any). */
export function etagMatches(header: string, etag: string): boolean {
  const actual = unquote(etag);
  return header.split(',').some((candidate) => candidate.trim() === '*' || unquote(candidate) === actual);
}

/**
 * Conditional writes (PutObject, CompleteMultipartUpload): If-None-Match `*` refuses to overwrite,
 * If-Match requires the current ETag. Run both before the body is read and again at commit.
 */
export function writeCondition(input: { IfMatch?: string; IfNoneMatch?: string; Key: string }): ((current: ObjectVersion | undefined) => void) | undefined {
  if (input.IfNoneMatch !== undefined && input.IfNoneMatch.trim() !== '*') throw notImplemented('If-None-Match');
  if (input.IfMatch === undefined && input.IfNoneMatch === undefined) return undefined;
  return (current) => {
    const exists = current !== undefined && !current.deleteMarker;
    if (input.IfNoneMatch !== undefined && exists) throw preconditionFailed('If-None-Match');
    if (input.IfMatch !== undefined) {
      if (!exists) throw noSuchKey(input.Key);
      if (!etagMatches(input.IfMatch, current!.etag)) throw preconditionFailed('If-Match');
    }
  };
}

/** The version id header S3 sends: only for buckets that have had versioning turned on. */
export const versionIdFor = (bucket: Bucket, version: ObjectVersion): string | undefined => (bucket.versioning ? version.versionId : undefined);

export function quoteEtag(md5Hex: string, parts?: number): string {
  return parts === undefined ? `"${md5Hex}"` : `"${md5Hex}-${parts}"`;
}
