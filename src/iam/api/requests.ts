import type { Tag } from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.js';
import { entityArn, parseCaller, parsePolicyArn, rootArn, type EntityKind } from './arns.js';
import { invalidArn, invalidInput, nonUserCredentials, policyNotAttachable, quotaExceeded } from './errors.js';
import type { IamStore, UserRecord } from './store.js';

/**
 * What several operation files share about a request: who "the caller" is when an operation
 * leaves out UserName, the ARN an operation is authorized against, and IAM's tag rules.
 */

/**
 * The user an operation acts on when UserName is left out: the calling IAM user, or the account
 * root (undefined). Any other caller must name the user.
 */
export function impliedUser(store: IamStore, ctx: RequestContext, userName: string | undefined): UserRecord | undefined {
  if (userName !== undefined) return store.requireUser(ctx.accountId, userName);
  const caller = parseCaller(ctx.principalArn);
  if (caller.kind === 'root') return undefined;
  if (caller.kind === 'user') return store.requireUser(ctx.accountId, caller.name);
  throw nonUserCredentials();
}

/** The ARN IAM authorizes against: the entity's real ARN (its path included) once it exists. */
export function arnOf(store: IamStore, ctx: RequestContext, kind: Exclude<EntityKind, 'policy'>, name: string | undefined, path = '/'): string {
  if (name === undefined) return '*';
  const found =
    kind === 'user' ? store.findUser(ctx.accountId, name) : kind === 'group' ? store.findGroup(ctx.accountId, name) : store.findRole(ctx.accountId, name);
  return found?.arn ?? entityArn(ctx.accountId, kind, path, name);
}

/** The resource of operations that may act on the caller itself. */
export function userArnOrCaller(store: IamStore, ctx: RequestContext, userName: string | undefined): string {
  if (userName !== undefined) return arnOf(store, ctx, 'user', userName);
  const caller = parseCaller(ctx.principalArn);
  return caller.kind === 'root' ? rootArn(ctx.accountId) : ctx.principalArn;
}

export const MAX_TAGS = 50;

/** Tag keys are unique without regard to case, within a request and on an entity. */
export function checkTags(existing: Tag[], added: Tag[]): void {
  const seen = new Set<string>();
  for (const tag of added) {
    const key = (tag.Key ?? '').toLowerCase();
    if (seen.has(key)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key);
  }
  const keys = new Set(existing.map((t) => (t.Key ?? '').toLowerCase()));
  for (const key of seen) keys.add(key);
  // (unconfirmed) the quota's name in IAM's text.
  if (keys.size > MAX_TAGS) throw quotaExceeded('TagsPerEntity', MAX_TAGS);
}

/** aws:RequestTag/<key> and aws:TagKeys, for the operations that set tags. */
export function tagConditionKeys(tags: Tag[] | undefined): Record<string, string | string[]> {
  if (!tags || tags.length === 0) return {};
  const keys: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((t) => t.Key ?? '') };
  for (const tag of tags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value ?? '';
  return keys;
}

export function boundaryConditionKey(arn: string | null | undefined): Record<string, string> {
  return arn ? { 'iam:PermissionsBoundary': arn } : {};
}

/** A permissions boundary must be an existing managed policy visible from the account. */
export function checkBoundary(store: IamStore, accountId: string, arn: string): void {
  if (!parsePolicyArn(arn)) throw invalidArn(arn);
  if (!store.findPolicy(accountId, arn)) throw policyNotAttachable(arn);
}
