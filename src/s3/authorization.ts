import type { RequestContext } from '../core/context.js';
import type { Authorizer } from '../core/dispatch.js';
import { S3Error } from './errors.js';

/**
 * IAM asks for a different action when a request names an object version (s3:GetObjectVersion
 * rather than s3:GetObject); the operation table declares the plain one and this refines it.
 */
const VERSIONED_ACTIONS: Record<string, string> = {
  GetObject: 's3:GetObjectVersion',
  HeadObject: 's3:GetObjectVersion',
  DeleteObject: 's3:DeleteObjectVersion',
  GetObjectTagging: 's3:GetObjectVersionTagging',
  PutObjectTagging: 's3:PutObjectVersionTagging',
  DeleteObjectTagging: 's3:DeleteObjectVersionTagging',
};

/**
 * Every S3 decision also weighs the bucket's policy (a resource-based policy), found from the
 * bucket the resource ARN names: `arn:aws:s3:::<bucket>` or `arn:aws:s3:::<bucket>/<key>`.
 */
export function refineAuthorizer(authorize: Authorizer, operation: string, bucketPolicy: (bucket: string) => string | undefined): Authorizer {
  const versioned = VERSIONED_ACTIONS[operation];
  return (request) => {
    const input = request.input as { VersionId?: string };
    const action = versioned && input.VersionId !== undefined ? versioned : request.iam.action;
    const resourcePolicy = (i: unknown, ctx: RequestContext) => {
      const bucket = /^arn:aws:s3:::([^/]+)/.exec(request.iam.resource(i, ctx))?.[1];
      return bucket ? bucketPolicy(bucket) : undefined;
    };
    return authorize({ ...request, iam: { ...request.iam, action, resourcePolicy } });
  };
}

export const accessDenied = (message: string) => new S3Error('AccessDenied', message || 'Access Denied', 403);

type Check = (action: string, resource: string) => Promise<void>;
const checks = new WeakMap<RequestContext, Check>();

/**
 * Some operations need more than their one declared decision: CopyObject reads its source,
 * DeleteObjects deletes each key on its own. The front binds the same authorizer to the request
 * context so handlers can ask it, through `authorizeAlso`.
 */
export function bindAuthorizer(ctx: RequestContext, input: unknown, authorize: Authorizer): void {
  checks.set(ctx, async (action, resource) => {
    const decision = await authorize({ iam: { action, resource: () => resource }, input, ctx });
    if (!decision.allowed) throw accessDenied(decision.message);
  });
}

export async function authorizeAlso(ctx: RequestContext, action: string, resource: string): Promise<void> {
  const check = checks.get(ctx);
  if (!check) throw new Error('no authorizer bound to this request');
  await check(action, resource);
}
