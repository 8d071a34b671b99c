import type {
  AddTagsToResourceRequest,
  AddTagsToResourceResult,
  ListTagsForResourceRequest,
  ListTagsForResourceResult,
  RemoveTagsFromResourceRequest,
  RemoveTagsFromResourceResult,
} from '@aws-sdk/client-ssm';
import type { RequestContext } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { invalidResourceId } from './errors.js';
import { requestedArn } from './iam.js';
import { parseReference } from './names.js';
import type { ParameterRecord } from './parameter-store.js';
import type { Parameters } from './parameters.js';
import { checkTags } from './tag-rules.js';

type TagTarget = { ResourceType?: string; ResourceId?: string };

export function tagOperations(params: Parameters): Record<string, OperationSpec> {
  /** Parameters are the only taggable SSM resources codesuite holds; any other id names nothing. */
  function target(input: TagTarget, ctx: RequestContext): ParameterRecord {
    if (input.ResourceType !== 'Parameter') throw invalidResourceId();
    let found: ParameterRecord | undefined;
    try {
      const ref = parseReference(input.ResourceId!, ctx);
      found = ref.selector === undefined ? params.findRef(ctx, ref) : undefined;
    } catch (err) {
      if (!isAwsError(err)) throw err;
    }
    if (!found) throw invalidResourceId();
    return found;
  }
  const resource = (i: TagTarget, ctx: RequestContext) => (i.ResourceType === 'Parameter' ? requestedArn(ctx, i.ResourceId) : '*');
  const resourceTags = (i: TagTarget, ctx: RequestContext): Record<string, string> => {
    try {
      const p = target(i, ctx);
      return Object.fromEntries(params.store.tags(p.id).map((t) => [`aws:ResourceTag/${t.Key}`, t.Value]));
    } catch {
      return {};
    }
  };

  return {
    AddTagsToResource: operation<AddTagsToResourceRequest, AddTagsToResourceResult>({
      iam: {
        action: 'ssm:AddTagsToResource',
        resource,
        conditionKeys: (i, ctx) => ({
          ...resourceTags(i, ctx),
          'aws:TagKeys': (i.Tags ?? []).map((t) => t.Key ?? ''),
          ...Object.fromEntries((i.Tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])),
        }),
      },
      handler: (input, ctx) => {
        const p = target(input, ctx);
        const tags = checkTags(params.store.tags(p.id), input.Tags!);
        params.store.transaction(() => params.store.putTags(p.id, tags));
        return {};
      },
    }),

    RemoveTagsFromResource: operation<RemoveTagsFromResourceRequest, RemoveTagsFromResourceResult>({
      iam: {
        action: 'ssm:RemoveTagsFromResource',
        resource,
        conditionKeys: (i, ctx) => ({ ...resourceTags(i, ctx), 'aws:TagKeys': i.TagKeys ?? [] }),
      },
      handler: (input, ctx) => {
        const p = target(input, ctx);
        params.store.transaction(() => params.store.removeTags(p.id, input.TagKeys!));
        return {};
      },
    }),

    ListTagsForResource: operation<ListTagsForResourceRequest, ListTagsForResourceResult>({
      iam: { action: 'ssm:ListTagsForResource', resource, conditionKeys: resourceTags },
      handler: (input, ctx) => ({ TagList: params.store.tags(target(input, ctx).id) }),
    }),
  };
}
