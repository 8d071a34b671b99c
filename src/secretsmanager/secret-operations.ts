import type {
  CreateSecretRequest,
  CreateSecretResponse,
  DeleteSecretRequest,
  DeleteSecretResponse,
  DescribeSecretRequest,
  DescribeSecretResponse,
  RestoreSecretRequest,
  RestoreSecretResponse,
  UpdateSecretRequest,
  UpdateSecretResponse,
} from '@aws-sdk/client-secrets-manager';
import { operation, type OperationSpec } from '../core/service.js';
import {
  bothValues,
  markedForDeletion,
  nameScheduledForDeletion,
  noReplication,
  recoveryWindowRange,
  recoveryWindowWithForce,
  secretExists,
  secretNotFound,
  versionExists,
} from './errors.js';
import { requestTagKeys, secretIam } from './iam.js';
import { requestValue, type Secrets } from './secrets.js';
import { describeSecret } from './views.js';

const DAY = 86_400_000;
const DEFAULT_RECOVERY_DAYS = 30;

/** Tags as a request lists them, the last value of a repeated key winning. */
export function tagList(tags: { Key?: string; Value?: string }[] | undefined): { Key: string; Value: string }[] {
  return [...new Map((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])).entries()].map(([Key, Value]) => ({ Key, Value }));
}

export function secretOperations(secrets: Secrets): Record<string, OperationSpec> {
  return {
    CreateSecret: operation<CreateSecretRequest, CreateSecretResponse>({
      iam: {
        action: 'secretsmanager:CreateSecret',
        resource: (i, ctx) => `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${i.Name}-??????`,
        conditionKeys: (i) => ({
          'secretsmanager:Name': i.Name ?? '',
          ...(i.Description !== undefined ? { 'secretsmanager:Description': i.Description } : {}),
          ...(i.KmsKeyId !== undefined ? { 'secretsmanager:KmsKeyId': i.KmsKeyId } : {}),
          ...requestTagKeys(i.Tags),
        }),
      },
      handler: (input, ctx) => {
        const name = input.Name!;
        secrets.checkName(name);
        if (input.AddReplicaRegions?.length) throw noReplication();
        if (input.SecretString !== undefined && input.SecretBinary !== undefined) throw bothValues();
        const value = requestValue(input);
        const versionId = input.ClientRequestToken ?? secrets.deps.ids.uuid();
        const existing = secrets.store.byName(ctx.accountId, ctx.region, name);
        if (existing) {
          if (existing.deletedAt !== null) throw nameScheduledForDeletion();
          // A retry of the same request (same token, same value) is answered as the first was.
          const version = value && secrets.store.version(existing.id, versionId);
          if (version && secrets.sameValue(existing, version, value)) return { ARN: existing.arn, Name: existing.name, VersionId: versionId };
          throw secretExists(name);
        }
        const now = secrets.now();
        const record = {
          accountId: ctx.accountId,
          region: ctx.region,
          name,
          arn: secrets.newArn(ctx, name),
          description: input.Description ?? null,
          kmsKeyId: input.KmsKeyId || null,
          type: input.Type ?? null,
          createdAt: now,
          lastChangedAt: now,
          lastAccessedAt: null,
          deletedAt: null,
          deletionDate: null,
        };
        secrets.store.transaction(() => {
          const id = secrets.store.insert(record);
          secrets.store.putTags(id, tagList(input.Tags));
          if (value) secrets.addVersion({ ...record, id }, versionId, value, ['AWSCURRENT']);
        });
        return { ARN: record.arn, Name: name, VersionId: value ? versionId : undefined };
      },
    }),

    DescribeSecret: operation<DescribeSecretRequest, DescribeSecretResponse>({
      iam: secretIam(secrets, 'secretsmanager:DescribeSecret'),
      handler: (input, ctx) => describeSecret(secrets, secrets.require(ctx, input.SecretId!)),
    }),

    UpdateSecret: operation<UpdateSecretRequest, UpdateSecretResponse>({
      iam: secretIam(secrets, 'secretsmanager:UpdateSecret', (i) => ({
        ...(i.Description !== undefined ? { 'secretsmanager:Description': i.Description } : {}),
        ...(i.KmsKeyId !== undefined ? { 'secretsmanager:KmsKeyId': i.KmsKeyId } : {}),
      })),
      handler: (input, ctx) => {
        const secret = secrets.requireLive(ctx, input.SecretId!);
        if (input.SecretString !== undefined && input.SecretBinary !== undefined) throw bothValues();
        const value = requestValue(input);
        const versionId = input.ClientRequestToken ?? secrets.deps.ids.uuid();
        if (value) {
          const existing = secrets.store.version(secret.id, versionId);
          if (existing) {
            if (secrets.sameValue(secret, existing, value)) return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
            throw versionExists();
          }
        }
        secrets.store.transaction(() => {
          secrets.store.update(secret.id, {
            ...(input.Description !== undefined ? { description: input.Description } : {}),
            ...(input.KmsKeyId !== undefined ? { kmsKeyId: input.KmsKeyId || null } : {}),
            ...(input.Type !== undefined ? { type: input.Type } : {}),
            lastChangedAt: secrets.now(),
          });
          if (value) secrets.addVersion(secret, versionId, value, ['AWSCURRENT']);
        });
        return { ARN: secret.arn, Name: secret.name, VersionId: value ? versionId : undefined };
      },
    }),

    DeleteSecret: operation<DeleteSecretRequest, DeleteSecretResponse>({
      iam: secretIam(secrets, 'secretsmanager:DeleteSecret', (i) => ({
        ...(i.RecoveryWindowInDays !== undefined ? { 'secretsmanager:RecoveryWindowInDays': String(i.RecoveryWindowInDays) } : {}),
        'secretsmanager:ForceDeleteWithoutRecovery': String(Boolean(i.ForceDeleteWithoutRecovery)),
      })),
      handler: (input, ctx) => {
        const window = input.RecoveryWindowInDays;
        if (window !== undefined && (window < 7 || window > 30)) throw recoveryWindowRange();
        if (window !== undefined && input.ForceDeleteWithoutRecovery) throw recoveryWindowWithForce();
        const secret = secrets.find(ctx, input.SecretId!);
        const now = secrets.now();
        if (!secret) {
          // A forced delete of what does not exist answers as if it had deleted it.
          if (!input.ForceDeleteWithoutRecovery) throw secretNotFound();
          const arn = input.SecretId!.startsWith('arn:') ? input.SecretId! : secrets.newArn(ctx, input.SecretId!);
          return { ARN: arn, Name: arn === input.SecretId ? arn.replace(/^.*?:secret:/, '') : input.SecretId, DeletionDate: new Date(now) };
        }
        if (input.ForceDeleteWithoutRecovery) {
          secrets.store.delete(secret.id);
          return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(now) };
        }
        if (secret.deletedAt !== null) throw markedForDeletion();
        const deletionDate = now + (window ?? DEFAULT_RECOVERY_DAYS) * DAY;
        secrets.store.update(secret.id, { deletedAt: now, deletionDate });
        return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(deletionDate) };
      },
    }),

    RestoreSecret: operation<RestoreSecretRequest, RestoreSecretResponse>({
      iam: secretIam(secrets, 'secretsmanager:RestoreSecret'),
      handler: (input, ctx) => {
        const secret = secrets.require(ctx, input.SecretId!);
        secrets.store.update(secret.id, { deletedAt: null, deletionDate: null });
        return { ARN: secret.arn, Name: secret.name };
      },
    }),
  };
}
