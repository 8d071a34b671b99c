import type { RequestContext } from '../core/context.js';
import { invalidParameter } from './errors.js';

/** A function as a request names it: its account, region, name and the qualifier (version or alias) if any. */
export interface FunctionRef {
  accountId: string;
  region: string;
  name: string;
  qualifier?: string;
}

const FULL = /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const PARTIAL = /^(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const PLAIN = /^([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/**
 * Reads a FunctionName in any of the forms Lambda takes (name, `name:qualifier`, partial ARN,
 * full ARN) and merges the separate `Qualifier`, refusing the two when they disagree.
 */
export function functionRef(ctx: Pick<RequestContext, 'accountId' | 'region'>, given: string, qualifier?: string): FunctionRef {
  let ref: FunctionRef;
  let m: RegExpExecArray | null;
  if ((m = FULL.exec(given))) ref = { region: m[1], accountId: m[2], name: m[3], qualifier: m[4] };
  else if ((m = PARTIAL.exec(given))) ref = { region: ctx.region, accountId: m[1], name: m[2], qualifier: m[3] };
  else if ((m = PLAIN.exec(given))) ref = { region: ctx.region, accountId: ctx.accountId, name: m[1], qualifier: m[2] };
  else throw invalidParameter(`1 validation error detected: Value '${given}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`);
  if (qualifier !== undefined && ref.qualifier !== undefined && qualifier !== ref.qualifier) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { ...ref, qualifier: qualifier ?? ref.qualifier };
}

export function functionArn(ref: Omit<FunctionRef, 'qualifier'>, qualifier?: string): string {
  return `arn:aws:lambda:${ref.region}:${ref.accountId}:function:${ref.name}${qualifier ? `:${qualifier}` : ''}`;
}

/** The ARN IAM sees for a request on a function (qualified when the request names a version or alias). */
export function requestedArn(ctx: RequestContext, given: string | undefined, qualifier?: string): string {
  if (!given) return '*';
  try {
    const ref = functionRef(ctx, given, qualifier);
    return functionArn(ref, ref.qualifier);
  } catch {
    return '*';
  }
}
