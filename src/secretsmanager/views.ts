import type { DescribeSecretResponse, SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { SecretRecord } from './secret-store.js';
import type { Secrets } from './secrets.js';

const optionalDate = (ms: number | null) => (ms === null ? undefined : new Date(ms));

/** What DescribeSecret shows of a secret; ListSecrets shows the same under other names. */
export function describeSecret(secrets: Secrets, s: SecretRecord): DescribeSecretResponse {
  const tags = secrets.store.tags(s.id);
  return {
    ARN: s.arn,
    Name: s.name,
    Type: s.type ?? undefined,
    Description: s.description ?? undefined,
    KmsKeyId: s.kmsKeyId ?? undefined,
    LastChangedDate: new Date(s.lastChangedAt),
    LastAccessedDate: optionalDate(s.lastAccessedAt),
    DeletedDate: optionalDate(s.deletedAt),
    Tags: tags.length > 0 ? tags : undefined,
    VersionIdsToStages: secrets.versionIdsToStages(s.id),
    CreatedDate: new Date(s.createdAt),
  };
}

export function listEntry(secrets: Secrets, s: SecretRecord): SecretListEntry {
  const { VersionIdsToStages, ...rest } = describeSecret(secrets, s);
  return { ...rest, SecretVersionsToStages: VersionIdsToStages };
}
