import type { GetObjectAttributesRequest } from '@aws-sdk/client-s3';
import { operation, type OperationSpec } from '../core/service.js';
import { objectArn } from './arns.js';
import { memberOf } from './checksums.js';
import type { S3Deps } from './deps.js';
import { resolveVersion } from './object-reads.js';
import type { ObjectVersion } from './store.js';

const MAX_PARTS = 1000;

/**
 * GetObjectAttributes: only the attributes the x-amz-object-attributes header asks for, without
 * the object's bytes. ETag is given without quotes, as S3 does in this document.
 */
export function objectAttributeOperations(deps: S3Deps): Record<string, OperationSpec> {
  return {
    GetObjectAttributes: operation<GetObjectAttributesRequest, Record<string, unknown>>({
      iam: { action: 's3:GetObjectAttributes', resource: (i) => objectArn(i.Bucket!, i.Key!) },
      handler: (input) => {
        const { bucket, version } = resolveVersion(deps, input.Bucket!, input.Key!, input.VersionId);
        const wanted = new Set<string>(input.ObjectAttributes ?? []);
        const output: Record<string, unknown> = {
          LastModified: new Date(version.lastModified),
          VersionId: bucket.versioning ? version.versionId : undefined,
        };
        if (wanted.has('ETag')) output.ETag = version.etag.replace(/^"|"$/g, '');
        if (wanted.has('StorageClass')) output.StorageClass = version.storageClass ?? 'STANDARD';
        if (wanted.has('ObjectSize')) output.ObjectSize = version.size;
        if (wanted.has('Checksum') && version.checksum) {
          output.Checksum = { [memberOf(version.checksum.algorithm)]: version.checksum.value, ChecksumType: version.checksum.type };
        }
        if (wanted.has('ObjectParts') && version.parts) output.ObjectParts = objectParts(version, input);
        return output;
      },
    }),
  };
}

/**
 * A multipart object's parts. Their sizes and checksums are listed when the object was uploaded
 * with a checksum, as S3 does; otherwise only the count is known to the caller.
 */
function objectParts(version: ObjectVersion, input: GetObjectAttributesRequest) {
  const parts = version.parts!;
  const checksum = version.checksum;
  if (!checksum) return { TotalPartsCount: parts.length };
  // Header values S3 cannot read as numbers are ignored rather than refused, as S3 does.
  const max = input.MaxParts !== undefined && input.MaxParts >= 0 ? Math.min(input.MaxParts, MAX_PARTS) : MAX_PARTS;
  const marker = input.PartNumberMarker !== undefined && Number(input.PartNumberMarker) >= 0 ? Number(input.PartNumberMarker) : 0;
  const page = parts.map((p, i) => ({ number: i + 1, ...p })).filter((p) => p.number > marker);
  const shown = page.slice(0, max);
  return {
    TotalPartsCount: parts.length,
    PartNumberMarker: String(marker),
    NextPartNumberMarker: shown.length > 0 ? String(shown[shown.length - 1].number) : undefined,
    MaxParts: max,
    IsTruncated: page.length > max,
    Parts: shown.map((p) => ({ PartNumber: p.number, Size: p.size, ...(p.checksum ? { [memberOf(checksum.algorithm)]: p.checksum } : {}) })),
  };
}
