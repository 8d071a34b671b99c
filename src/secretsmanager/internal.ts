import type { GetSecretValueResponse } from '@aws-sdk/client-secrets-manager';
import type { RequestContext } from '../core/context.js';
import type { Db } from '../core/store/db.js';
import type { Secrets } from './secrets.js';
import { readSecretValue } from './value-operations.js';

/**
 * Reads for other codesuite services (CodeBuild's env.secrets-manager). The caller authorizes
 * `secretsmanager:GetSecretValue` on the secret as its own principal before it reads.
 */
export interface InternalReadContext extends Pick<RequestContext, 'accountId' | 'region'> {
  /** The database of the server whose secrets are read. */
  db: Db;
}

const mounted = new WeakMap<Db, Secrets>();

/** Called by the Secrets Manager service definition when a server mounts it. */
export function registerSecrets(db: Db, secrets: Secrets): void {
  mounted.set(db, secrets);
}

/**
 * A secret's value by name, ARN or partial ARN; AWSCURRENT unless a version id or stage is given.
 * Throws the same AWS errors as GetSecretValue (a secret scheduled for deletion cannot be read).
 */
export function getSecretValue(
  secretId: string,
  ctx: InternalReadContext,
  select: { versionId?: string; versionStage?: string } = {},
): GetSecretValueResponse {
  const secrets = mounted.get(ctx.db);
  if (!secrets) throw new Error('Secrets Manager is not mounted on this database');
  secrets.purge();
  return readSecretValue(secrets, ctx, secretId, select.versionId, select.versionStage);
}
