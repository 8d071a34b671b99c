import type { DeleteObjectTaggingRequest, GetObjectTaggingRequest, PutObjectTaggingRequest } from '@aws-sdk/client-s3';
import { operation, type OperationSpec } from '../core/service.js';
import { objectArn } from './arns.js';
import type { S3Deps } from './deps.js';
import { resolveVersion } from './object-reads.js';
import { validateTags } from './tags.js';
import type { Tag } from './store.js';

const objectResource = (input: { Bucket?: string; Key?: string }) => objectArn(input.Bucket!, input.Key!);

export function objectTaggingOperations(deps: S3Deps): Record<string, OperationSpec> {
  return {
    GetObjectTagging: operation<GetObjectTaggingRequest, Record<string, unknown>>({
      iam: { action: 's3:GetObjectTagging', resource: objectResource },
      handler: (input) => {
        const { bucket, version } = resolveVersion(deps, input.Bucket!, input.Key!, input.VersionId);
        return { TagSet: version.tags, VersionId: bucket.versioning ? version.versionId : undefined };
      },
    }),

    PutObjectTagging: operation<PutObjectTaggingRequest, Record<string, unknown>>({
      iam: { action: 's3:PutObjectTagging', resource: objectResource },
      handler: (input) => {
        const { bucket, version } = resolveVersion(deps, input.Bucket!, input.Key!, input.VersionId);
        const tags = (input.Tagging?.TagSet ?? []) as Tag[];
        validateTags(tags, 'object');
        deps.store.setObjectTags(version.id, tags);
        return { VersionId: bucket.versioning ? version.versionId : undefined };
      },
    }),

    DeleteObjectTagging: operation<DeleteObjectTaggingRequest, Record<string, unknown>>({
      iam: { action: 's3:DeleteObjectTagging', resource: objectResource },
      handler: (input) => {
        const { bucket, version } = resolveVersion(deps, input.Bucket!, input.Key!, input.VersionId);
        deps.store.setObjectTags(version.id, []);
        return { VersionId: bucket.versioning ? version.versionId : undefined };
      },
    }),
  };
}
