import type {
  AbortMultipartUploadRequest,
  CompleteMultipartUploadRequest,
  CreateMultipartUploadRequest,
  ListPartsRequest,
  UploadPartCopyRequest,
  UploadPartRequest,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { objectArn } from './arns.js';
import { authorizeAlso } from './authorization.js';
import { canonicalUserId } from './bucket-operations.js';
import {
  CHECKSUM_ALGORITHMS,
  allowedTypes,
  combinedCrc,
  compositeChecksum,
  defaultType,
  memberOf,
  type ChecksumAlgorithm,
  type ChecksumType,
} from './checksums.js';
import { parseCopySource } from './copy-source.js';
import { MAX_PARTS, MAX_PUT_SIZE, MIN_PART_SIZE, type S3Deps } from './deps.js';
import {
  badChecksum,
  entityTooSmall,
  invalidArgument,
  invalidPart,
  invalidPartOrder,
  invalidRange,
  invalidRequest,
  malformedXml,
  noSuchBucket,
  noSuchUpload,
} from './errors.js';
import { checkKey, checkWriteOptions, headersFrom, metadataFrom, quoteEtag, requireBucket, tagsFrom, versionIdFor, writeCondition } from './object-fields.js';
import { checkCopyConditions, resolveCopySource } from './object-operations.js';
import { checkReadable } from './object-reads.js';
import { integrityOf, payloadOf, PAYLOAD, receive, type WithPayload } from './payload.js';
import { MissingBucket, MissingUpload, type Part, type Upload } from './store.js';

const objectResource = (input: { Bucket?: string; Key?: string }) => objectArn(input.Bucket!, input.Key!);
const unquote = (etag: string) => etag.trim().replace(/^"|"$/g, '');

function requireUpload(deps: S3Deps, input: { Bucket?: string; Key?: string; UploadId?: string }): Upload {
  requireBucket(deps, input.Bucket!);
  const upload = deps.store.upload(input.UploadId!);
  if (!upload || upload.bucket !== input.Bucket || upload.key !== input.Key) throw noSuchUpload(input.UploadId!);
  return upload;
}

function checkPartNumber(partNumber: number | undefined): number {
  if (partNumber === undefined || partNumber < 1 || partNumber > MAX_PARTS) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
  }
  return partNumber;
}

/** The checksum a part keeps for the upload: its algorithm's, or S3's default CRC64NVME when it has none. */
const partAlgorithm = (upload: Upload): ChecksumAlgorithm => upload.checksumAlgorithm ?? 'CRC64NVME';

function storePart(deps: S3Deps, upload: Upload, part: Part): void {
  const { stored, removedBlobs } = deps.store.putPart(upload.uploadId, part);
  if (!stored) {
    deps.blobs.remove([part.blob]);
    throw noSuchUpload(upload.uploadId);
  }
  deps.blobs.remove(removedBlobs);
}

function partChecksumOutput(upload: Upload, checksums: Part['checksums'], supplied?: ChecksumAlgorithm): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const algorithm of [upload.checksumAlgorithm, supplied]) if (algorithm) out[memberOf(algorithm)] = checksums[algorithm];
  return out;
}

export function multipartOperations(deps: S3Deps): Record<string, OperationSpec> {
  const { store } = deps;
  return {
    CreateMultipartUpload: operation<CreateMultipartUploadRequest, Record<string, unknown>>({
      iam: { action: 's3:PutObject', resource: objectResource },
      handler: (input, ctx) => {
        const bucket = requireBucket(deps, input.Bucket!);
        checkKey(input.Key!);
        checkWriteOptions(input);
        const algorithm = input.ChecksumAlgorithm as ChecksumAlgorithm | undefined;
        if (algorithm !== undefined && !(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
          throw invalidRequest('Value for x-amz-checksum-algorithm header is invalid.');
        }
        let type = input.ChecksumType as ChecksumType | undefined;
        if (type !== undefined && algorithm === undefined) {
          throw invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
        }
        if (algorithm !== undefined) {
          type ??= defaultType(algorithm);
          if (!allowedTypes(algorithm).includes(type)) {
            throw invalidRequest(`The ${type} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
          }
        }
        const upload: Upload = {
          uploadId: deps.newUploadId(),
          bucket: bucket.name,
          key: input.Key!,
          initiated: deps.clock.now().getTime(),
          owner: ctx.accountId,
          storageClass: input.StorageClass,
          headers: headersFrom(input),
          metadata: metadataFrom(input.Metadata),
          tags: tagsFrom(input.Tagging),
          checksumAlgorithm: algorithm,
          checksumType: type,
        };
        store.createUpload(upload);
        return { Bucket: bucket.name, Key: upload.key, UploadId: upload.uploadId, ChecksumAlgorithm: algorithm, ChecksumType: type };
      },
    }),

    UploadPart: operation<WithPayload<UploadPartRequest>, Record<string, unknown>>({
      iam: { action: 's3:PutObject', resource: objectResource },
      handler: async (input) => {
        const partNumber = checkPartNumber(input.PartNumber);
        const upload = requireUpload(deps, input);
        const payload = input[PAYLOAD] ?? payloadOf(Buffer.alloc(0));
        const integrity = integrityOf(input as unknown as Record<string, unknown>, payload);
        const supplied = integrity.checksum?.algorithm;
        if (upload.checksumAlgorithm && supplied && supplied !== upload.checksumAlgorithm) {
          throw invalidRequest(
            `Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${supplied.toLowerCase()}`,
          );
        }
        const received = await receive(deps.blobs, payload, integrity, [partAlgorithm(upload)], MAX_PUT_SIZE);
        await received.pending.commit();
        const etag = quoteEtag(received.md5Hex);
        storePart(deps, upload, {
          partNumber,
          size: received.size,
          etag,
          lastModified: deps.clock.now().getTime(),
          checksums: received.checksums,
          blob: received.pending.blob,
        });
        return { ETag: etag, ...partChecksumOutput(upload, received.checksums, supplied) };
      },
    }),

    UploadPartCopy: operation<UploadPartCopyRequest, Record<string, unknown>>({
      iam: { action: 's3:PutObject', resource: objectResource },
      handler: (input, ctx) => uploadPartCopy(deps, input, ctx),
    }),

    CompleteMultipartUpload: operation<CompleteMultipartUploadRequest, Record<string, unknown>>({
      iam: { action: 's3:PutObject', resource: objectResource },
      handler: (input, ctx) => complete(deps, input, ctx),
    }),

    AbortMultipartUpload: operation<AbortMultipartUploadRequest, Record<string, unknown>>({
      iam: { action: 's3:AbortMultipartUpload', resource: objectResource },
      handler: (input) => {
        const upload = requireUpload(deps, input);
        deps.blobs.remove(store.deleteUpload(upload.uploadId));
        return {};
      },
    }),

    ListParts: operation<ListPartsRequest, Record<string, unknown>>({
      iam: { action: 's3:ListMultipartUploadParts', resource: objectResource },
      handler: (input) => {
        const upload = requireUpload(deps, input);
        if (input.MaxParts !== undefined && input.MaxParts < 0) {
          throw invalidArgument('Argument max-parts must be an integer between 0 and 2147483647', 'max-parts', input.MaxParts);
        }
        const max = Math.min(input.MaxParts ?? 1000, 1000);
        const marker = Number(input.PartNumberMarker ?? 0);
        if (!Number.isInteger(marker) || marker < 0) {
          throw invalidArgument('Argument partNumberMarker must be an integer.', 'part-number-marker', input.PartNumberMarker);
        }
        const page = store.parts(upload.uploadId, marker, max + 1);
        const truncated = page.length > max;
        const parts = page.slice(0, max);
        const owner = { ID: canonicalUserId(upload.owner) };
        return {
          Bucket: upload.bucket,
          Key: upload.key,
          UploadId: upload.uploadId,
          PartNumberMarker: String(marker),
          NextPartNumberMarker: parts.length > 0 ? String(parts[parts.length - 1].partNumber) : undefined,
          MaxParts: input.MaxParts ?? 1000,
          IsTruncated: truncated,
          Parts: parts.map((p) => ({
            PartNumber: p.partNumber,
            LastModified: new Date(p.lastModified),
            ETag: p.etag,
            Size: p.size,
            ...(upload.checksumAlgorithm ? { [memberOf(upload.checksumAlgorithm)]: p.checksums[upload.checksumAlgorithm] } : {}),
          })),
          Initiator: owner,
          Owner: owner,
          StorageClass: upload.storageClass ?? 'STANDARD',
          ChecksumAlgorithm: upload.checksumAlgorithm,
          ChecksumType: upload.checksumType,
        };
      },
    }),
  };
}

/** x-amz-copy-source-range: `bytes=first-last`, both inside the source object. */
function copyRange(header: string | undefined, size: number): { start: number; end: number } {
  if (header === undefined) return { start: 0, end: size - 1 };
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m) {
    throw invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      header,
    );
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= size) throw invalidRange(header, size);
  return { start, end };
}

async function uploadPartCopy(deps: S3Deps, input: UploadPartCopyRequest, ctx: RequestContext): Promise<Record<string, unknown>> {
  const partNumber = checkPartNumber(input.PartNumber);
  const upload = requireUpload(deps, input);
  const source = parseCopySource(input.CopySource!);
  await authorizeAlso(ctx, source.versionId ? 's3:GetObjectVersion' : 's3:GetObject', objectArn(source.bucket, source.key));
  const { bucket: sourceBucket, version } = resolveCopySource(deps, source);
  checkReadable(version);
  checkCopyConditions(input, version);
  const range = copyRange(input.CopySourceRange, version.size);
  if (range.end - range.start + 1 > MAX_PUT_SIZE) {
    throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_SIZE}`);
  }
  const stream = version.size === 0 ? payloadOf(Buffer.alloc(0)) : payloadOf(deps.blobs.read(version.segments, range.start, range.end));
  const received = await receive(deps.blobs, stream, {}, [partAlgorithm(upload)], MAX_PUT_SIZE);
  await received.pending.commit();
  const etag = quoteEtag(received.md5Hex);
  const lastModified = deps.clock.now().getTime();
  storePart(deps, upload, { partNumber, size: received.size, etag, lastModified, checksums: received.checksums, blob: received.pending.blob });
  return {
    CopyPartResult: { ETag: etag, LastModified: new Date(lastModified), ...partChecksumOutput(upload, received.checksums) },
    CopySourceVersionId: sourceBucket.versioning ? version.versionId : undefined,
  };
}

async function complete(deps: S3Deps, input: CompleteMultipartUploadRequest, ctx: RequestContext): Promise<Record<string, unknown>> {
  const upload = requireUpload(deps, input);
  const listed = input.MultipartUpload?.Parts ?? [];
  if (listed.length === 0) throw malformedXml();
  const stored = new Map(deps.store.parts(upload.uploadId).map((p) => [p.partNumber, p]));
  const algorithm = partAlgorithm(upload);
  const type: ChecksumType = upload.checksumType ?? 'FULL_OBJECT';
  if (input.ChecksumType !== undefined && upload.checksumAlgorithm && input.ChecksumType !== type) {
    throw invalidRequest(`The upload was created using the ${type} checksum mode. The complete request must use the same checksum mode.`);
  }
  const used: Part[] = [];
  let previous = 0;
  for (const entry of listed) {
    const number = entry.PartNumber ?? 0;
    if (number < 1 || number > MAX_PARTS) throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', number);
    if (number <= previous) throw invalidPartOrder(upload.uploadId);
    previous = number;
    const part = stored.get(number);
    if (!part || !entry.ETag || unquote(entry.ETag) !== unquote(part.etag)) throw invalidPart(upload.uploadId, number, entry.ETag);
    checkPartChecksum(upload, entry as Record<string, unknown>, part);
    used.push(part);
  }
  used.forEach((part, i) => {
    if (i < used.length - 1 && part.size < MIN_PART_SIZE) throw entityTooSmall(part.size, part.partNumber, part.etag);
  });
  const size = used.reduce((n, p) => n + p.size, 0);
  if (input.MpuObjectSize !== undefined && input.MpuObjectSize !== size) {
    throw invalidRequest(`The provided 'x-amz-mp-object-size' header value ${input.MpuObjectSize} does not match what was computed: ${size}`);
  }
  const checksum =
    type === 'COMPOSITE'
      ? compositeChecksum(algorithm, used.map((p) => p.checksums[algorithm]!))
      : combinedCrc(algorithm, used.map((p) => ({ checksum: p.checksums[algorithm]!, size: p.size })));
  const claimed = input[memberOf(algorithm) as keyof CompleteMultipartUploadRequest] as string | undefined;
  if (claimed !== undefined && claimed.replace(/-\d+$/, '') !== checksum.replace(/-\d+$/, '')) throw badChecksum(algorithm.toLowerCase());
  const etagDigest = createHash('md5');
  for (const part of used) etagDigest.update(Buffer.from(unquote(part.etag), 'hex'));
  const condition = writeCondition({ IfMatch: input.IfMatch, IfNoneMatch: input.IfNoneMatch, Key: upload.key });
  condition?.(deps.store.latest(upload.bucket, upload.key));
  let result;
  try {
    result = deps.store.completeUpload(
      upload,
      new Set(used.map((p) => p.partNumber)),
      {
        size,
        etag: quoteEtag(etagDigest.digest('hex'), used.length),
        lastModified: deps.clock.now().getTime(),
        storageClass: upload.storageClass,
        headers: upload.headers,
        metadata: upload.metadata,
        tags: upload.tags,
        checksum: { algorithm, type, value: checksum },
        parts: used.map((p) => ({ size: p.size, checksum: p.checksums[algorithm] })),
        segments: used.map((p) => ({ blob: p.blob, size: p.size })),
        owner: ctx.accountId,
      },
      deps.newVersionId,
      condition,
    );
  } catch (err) {
    if (err instanceof MissingUpload) throw noSuchUpload(upload.uploadId);
    if (err instanceof MissingBucket) throw noSuchBucket(upload.bucket);
    throw err;
  }
  deps.blobs.remove(result.removedBlobs);
  const bucket = deps.store.bucket(upload.bucket);
  return {
    Location: `${ctx.endpoint}/${upload.bucket}/${encodeURIComponent(upload.key).replace(/%2F/g, '/')}`,
    Bucket: upload.bucket,
    Key: upload.key,
    ETag: result.version.etag,
    [memberOf(algorithm)]: checksum,
    ChecksumType: type,
    VersionId: bucket ? versionIdFor(bucket, result.version) : undefined,
  };
}

/**
 * The part checksums a Complete request lists: required for every part of a COMPOSITE upload,
 * optional for FULL_OBJECT, not accepted for an upload created without an algorithm; any given
 * must be the stored one.
 */
function checkPartChecksum(upload: Upload, entry: Record<string, unknown>, part: Part): void {
  const given = CHECKSUM_ALGORITHMS.filter((a) => entry[memberOf(a)] !== undefined && entry[memberOf(a)] !== '');
  if (given.length > 1) throw invalidRequest('The request contains more than one checksum for a part.');
  if (!upload.checksumAlgorithm) {
    if (given.length > 0) throw invalidPart(upload.uploadId, part.partNumber, entry.ETag as string | undefined);
    return;
  }
  if (given.length === 0) {
    if (upload.checksumType === 'COMPOSITE') {
      throw invalidRequest(
        `The upload was created using a ${upload.checksumAlgorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
      );
    }
    return;
  }
  const algorithm = given[0];
  const value = entry[memberOf(algorithm)] as string;
  if (algorithm !== upload.checksumAlgorithm) {
    throw badChecksum(`${algorithm.toLowerCase()}`);
  }
  if (value !== part.checksums[algorithm]) throw invalidPart(upload.uploadId, part.partNumber, entry.ETag as string | undefined);
}
