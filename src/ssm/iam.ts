import type { RequestContext } from '../core/context.js';
import type { IamDeclaration } from '../core/service.js';
import { parameterArn } from './names.js';
import type { Parameters } from './parameters.js';

/** The ARN IAM sees for a name as a request wrote it: a name, an ARN, either with a `:selector`. */
export function requestedArn(ctx: RequestContext, given: string | undefined): string {
  if (!given) return '*';
  if (given.startsWith('arn:')) return given.replace(/(:parameter\/[^:]*):.*$/, '$1');
  return parameterArn(ctx, given.split(':')[0]);
}

/** `aws:ResourceTag/<key>` for a parameter that exists; nothing for one that does not (yet). */
function resourceTags(params: Parameters, ctx: RequestContext, given: string | undefined): Record<string, string> {
  if (!given) return {};
  const name = given.startsWith('arn:') ? given.replace(/^.*?:parameter\//, '/').split(':')[0] : given.split(':')[0];
  const found = params.find(ctx, name) ?? params.find(ctx, name.replace(/^\//, ''));
  if (!found) return {};
  return Object.fromEntries(params.store.tags(found.id).map((t) => [`aws:ResourceTag/${t.Key}`, t.Value]));
}

/** The IAM declaration of an operation on one parameter named by `nameOf`. */
export function parameterIam<I>(params: Parameters, action: string, nameOf: (input: I) => string | undefined): IamDeclaration<I> {
  return {
    action,
    resource: (input, ctx) => requestedArn(ctx, nameOf(input)),
    conditionKeys: (input, ctx) => resourceTags(params, ctx, nameOf(input)),
  };
}
