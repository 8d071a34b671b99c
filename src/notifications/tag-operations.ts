import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResult,
  TagResourceRequest,
  TagResourceResult,
  UntagResourceRequest,
  UntagResourceResult,
} from '@aws-sdk/client-codestar-notifications';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { limitExceeded, validation } from './errors.js';
import { requireRule } from './rules.js';
import { scopeOf, type NotificationsStore } from './store.js';

const MAX_TAGS = 50;

export function tagOperations(store: NotificationsStore, now: () => number): Record<string, OperationSpec> {
  const retag = (ctx: RequestContext, arn: string, change: (tags: Record<string, string>) => void) =>
    store.transaction(() => {
      const rule = requireRule(store, scopeOf(ctx), arn);
      const tags = JSON.parse(rule.tags) as Record<string, string>;
      change(tags);
      if (Object.keys(tags).length > MAX_TAGS) throw limitExceeded(`A notification rule can have at most ${MAX_TAGS} tags.`);
      store.updateRule({ ...rule, tags: JSON.stringify(tags), updated_at: now() });
      return tags;
    });
  return {
    TagResource: operation<TagResourceRequest, TagResourceResult>({
      iam: { action: 'codestar-notifications:TagResource', resource: (input) => input.Arn ?? '*', conditionKeys: (input) => ({ 'aws:TagKeys': Object.keys(input.Tags ?? {}) }) },
      handler: (input, ctx) => {
        for (const key of Object.keys(input.Tags!)) if (key.toLowerCase().startsWith('aws:')) throw validation(`Tag keys starting with "aws:" are reserved: ${key}.`);
        return { Tags: retag(ctx, input.Arn!, (tags) => Object.assign(tags, input.Tags)) };
      },
    }),
    UntagResource: operation<UntagResourceRequest, UntagResourceResult>({
      iam: { action: 'codestar-notifications:UntagResource', resource: (input) => input.Arn ?? '*', conditionKeys: (input) => ({ 'aws:TagKeys': input.TagKeys ?? [] }) },
      handler: (input, ctx) => {
        retag(ctx, input.Arn!, (tags) => {
          for (const key of input.TagKeys!) delete tags[key];
        });
        return {};
      },
    }),
    ListTagsForResource: operation<ListTagsForResourceRequest, ListTagsForResourceResult>({
      iam: { action: 'codestar-notifications:ListTagsForResource', resource: (input) => input.Arn ?? '*' },
      handler: (input, ctx) => ({ Tags: JSON.parse(requireRule(store, scopeOf(ctx), input.Arn!).tags) as Record<string, string> }),
    }),
  };
}
