import type { RequestContext } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import type { IamDeclaration } from '../core/service.js';
import type { Secrets } from './secrets.js';

type Keys = Record<string, string | string[]>;

/**
 * The IAM declaration of an operation on one secret. A secret that does not exist yet is seen
 * under its name and a wildcard suffix, which is how policies name secrets before they exist.
 */
export function secretIam<I extends { SecretId?: string }>(secrets: Secrets, action: string, extra?: (input: I) => Keys): IamDeclaration<I> {
  return {
    action,
    resource: (input, ctx) => secretArn(secrets, ctx, input.SecretId),
    conditionKeys: (input, ctx) => ({
      ...(input.SecretId ? { 'secretsmanager:SecretId': secretArn(secrets, ctx, input.SecretId) } : {}),
      ...resourceTags(secrets, ctx, input.SecretId),
      ...extra?.(input),
    }),
  };
}

export function secretArn(secrets: Secrets, ctx: RequestContext, secretId: string | undefined): string {
  if (!secretId) return '*';
  const found = lookup(secrets, ctx, secretId);
  if (found) return found.arn;
  return secretId.startsWith('arn:') ? secretId : `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${secretId}-??????`;
}

function lookup(secrets: Secrets, ctx: RequestContext, secretId: string) {
  try {
    return secrets.find(ctx, secretId);
  } catch (err) {
    if (isAwsError(err)) return undefined;
    throw err;
  }
}

function resourceTags(secrets: Secrets, ctx: RequestContext, secretId: string | undefined): Keys {
  const found = secretId ? lookup(secrets, ctx, secretId) : undefined;
  if (!found) return {};
  return Object.fromEntries(secrets.store.tags(found.id).map((t) => [`aws:ResourceTag/${t.Key}`, t.Value]));
}

export function requestTagKeys(tags: { Key?: string; Value?: string }[] | undefined): Keys {
  if (!tags?.length) return {};
  return { 'aws:TagKeys': tags.map((t) => t.Key ?? ''), ...Object.fromEntries(tags.map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])) };
}
