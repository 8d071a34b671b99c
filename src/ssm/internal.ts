import type { RequestContext } from '../core/context.js';
import type { Db } from '../core/store/db.js';
import { parseReference } from './names.js';
import type { Parameters } from './parameters.js';

/**
 * Reads for other codesuite services (CodeBuild's env.parameter-store). The caller authorizes
 * `ssm:GetParameters` on the parameter's ARN as its own principal before it reads.
 */
export interface InternalReadContext extends Pick<RequestContext, 'accountId' | 'region'> {
  /** The database of the server whose Parameter Store is read. */
  db: Db;
}

const mounted = new WeakMap<Db, Parameters>();

/** Called by the SSM service definition when a server mounts it. */
export function registerParameters(db: Db, params: Parameters): void {
  mounted.set(db, params);
}

/**
 * The plain value of a parameter (SecureStrings decrypted), by name or ARN, with an optional
 * `:version` or `:label` selector. Throws the same AWS errors as GetParameter.
 */
export function getParameterValue(name: string, ctx: InternalReadContext): string {
  const params = mounted.get(ctx.db);
  if (!params) throw new Error('SSM Parameter Store is not mounted on this database');
  params.expire();
  const { parameter, version } = params.resolve(ctx, parseReference(name, ctx));
  return params.plainValue(parameter, version);
}
