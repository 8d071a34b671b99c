import type {
  GetSecretValueRequest,
  GetSecretValueResponse,
  ListSecretVersionIdsRequest,
  ListSecretVersionIdsResponse,
  PutSecretValueRequest,
  PutSecretValueResponse,
  UpdateSecretVersionStageRequest,
  UpdateSecretVersionStageResponse,
} from '@aws-sdk/client-secrets-manager';
import { operation, type OperationSpec } from '../core/service.js';
import { bothValues, invalidParameter, stageVersionMismatch, versionExists, versionNotFound } from './errors.js';
import { secretIam } from './iam.js';
import { page } from './pagination.js';
import type { SecretRecord, VersionRecord } from './secret-store.js';
import { requestValue, type Scope, type Secrets } from './secrets.js';

/** The version a read selects: by id (checked against the stage when both are given), else by stage. */
function selectVersion(secrets: Secrets, secret: SecretRecord, versionId: string | undefined, stage: string | undefined): VersionRecord {
  if (versionId !== undefined) {
    const version = secrets.store.version(secret.id, versionId);
    if (!version) throw versionNotFound('VersionId', versionId);
    if (stage !== undefined && !(secrets.store.stages(secret.id).get(versionId) ?? []).includes(stage)) throw stageVersionMismatch();
    return version;
  }
  const label = stage ?? 'AWSCURRENT';
  const holder = secrets.store.stageHolder(secret.id, label);
  if (!holder) throw versionNotFound('staging label', label);
  return secrets.store.version(secret.id, holder)!;
}

/** GetSecretValue's semantics, shared with the internal read other services use. */
export function readSecretValue(secrets: Secrets, scope: Scope, secretId: string, versionId?: string, stage?: string): GetSecretValueResponse {
  const secret = secrets.requireLive(scope, secretId);
  const version = selectVersion(secrets, secret, versionId, stage);
  const value = secrets.decrypt(secret, version);
  const day = secrets.accessDay();
  secrets.store.transaction(() => {
    secrets.store.update(secret.id, { lastAccessedAt: day });
    secrets.store.touchVersion(secret.id, version.versionId, day);
  });
  const stages = secrets.store.stages(secret.id).get(version.versionId);
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    SecretString: value.kind === 'string' ? value.bytes.toString('utf8') : undefined,
    SecretBinary: value.kind === 'binary' ? value.bytes : undefined,
    VersionStages: stages,
    CreatedDate: new Date(version.createdAt),
  };
}

export function valueOperations(secrets: Secrets): Record<string, OperationSpec> {
  return {
    GetSecretValue: operation<GetSecretValueRequest, GetSecretValueResponse>({
      iam: secretIam(secrets, 'secretsmanager:GetSecretValue', (i) => ({
        ...(i.VersionId !== undefined ? { 'secretsmanager:VersionId': i.VersionId } : {}),
        ...(i.VersionStage !== undefined ? { 'secretsmanager:VersionStage': i.VersionStage } : {}),
      })),
      handler: (input, ctx) => readSecretValue(secrets, ctx, input.SecretId!, input.VersionId, input.VersionStage),
    }),

    PutSecretValue: operation<PutSecretValueRequest, PutSecretValueResponse>({
      iam: secretIam(secrets, 'secretsmanager:PutSecretValue'),
      handler: (input, ctx) => {
        const secret = secrets.requireLive(ctx, input.SecretId!);
        if (input.SecretString !== undefined && input.SecretBinary !== undefined) throw bothValues();
        const value = requestValue(input);
        if (!value) throw invalidParameter('You must provide either SecretString or SecretBinary.');
        const versionId = input.ClientRequestToken ?? secrets.deps.ids.uuid();
        const existing = secrets.store.version(secret.id, versionId);
        if (existing) {
          // Repeating a request changes nothing; reusing its token for another value is refused.
          if (!secrets.sameValue(secret, existing, value)) throw versionExists();
        } else {
          secrets.store.transaction(() => {
            secrets.addVersion(secret, versionId, value, input.VersionStages ?? ['AWSCURRENT']);
            secrets.store.update(secret.id, { lastChangedAt: secrets.now() });
          });
        }
        return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: secrets.store.stages(secret.id).get(versionId) ?? [] };
      },
    }),

    ListSecretVersionIds: operation<ListSecretVersionIdsRequest, ListSecretVersionIdsResponse>({
      iam: secretIam(secrets, 'secretsmanager:ListSecretVersionIds'),
      handler: (input, ctx) => {
        const secret = secrets.require(ctx, input.SecretId!);
        const stages = secrets.store.stages(secret.id);
        const versions = secrets.store.versions(secret.id).filter((v) => input.IncludeDeprecated || stages.has(v.versionId));
        const { items, nextToken } = page(versions, input.NextToken, input.MaxResults ?? 100);
        return {
          ARN: secret.arn,
          Name: secret.name,
          NextToken: nextToken,
          Versions: items.map((v) => ({
            VersionId: v.versionId,
            VersionStages: stages.get(v.versionId),
            LastAccessedDate: v.lastAccessedAt === null ? undefined : new Date(v.lastAccessedAt),
            CreatedDate: new Date(v.createdAt),
            KmsKeyIds: [secret.kmsKeyId ?? 'DefaultEncryptionKey'],
          })),
        };
      },
    }),

    UpdateSecretVersionStage: operation<UpdateSecretVersionStageRequest, UpdateSecretVersionStageResponse>({
      iam: secretIam(secrets, 'secretsmanager:UpdateSecretVersionStage', (i) => ({ 'secretsmanager:VersionStage': i.VersionStage ?? '' })),
      handler: (input, ctx) => {
        const secret = secrets.requireLive(ctx, input.SecretId!);
        const stage = input.VersionStage!;
        const { RemoveFromVersionId: from, MoveToVersionId: to } = input;
        for (const id of [from, to]) {
          if (id !== undefined && !secrets.store.version(secret.id, id)) throw versionNotFound('VersionId', id);
        }
        const holder = secrets.store.stageHolder(secret.id, stage);
        if (from !== undefined && holder !== from) throw invalidParameter(`Version stage ${stage} not found in version ${from}`);
        if (to !== undefined && holder !== undefined && holder !== to && holder !== from) {
          throw invalidParameter(
            `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder}, so you must explicitly reference that version in RemoveFromVersionId.`,
          );
        }
        if (stage === 'AWSCURRENT' && from !== undefined && to === undefined) {
          throw invalidParameter("You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.");
        }
        secrets.store.transaction(() => {
          if (to !== undefined) secrets.moveStage(secret.id, stage, to);
          else if (from !== undefined) secrets.store.detachStage(secret.id, stage);
          secrets.store.update(secret.id, { lastChangedAt: secrets.now() });
        });
        return { ARN: secret.arn, Name: secret.name };
      },
    }),
  };
}
