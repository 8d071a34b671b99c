import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  Tag,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { busArn, parseBusArn, parseRuleArn } from './arns.js';
import type { Bridge } from './bridge.js';
import { validation } from './errors.js';

const MAX_TAGS = 50;

export function checkTagList(tags: Tag[]): void {
  if (new Set(tags.map((t) => t.Key)).size < tags.length) throw validation('Invalid parameter: Duplicated keys are not allowed.');
  if (tags.some((t) => t.Key?.toLowerCase().startsWith('aws:'))) throw validation('Invalid parameter: Tag keys beginning with aws: are reserved.');
}

/** Rules and event buses carry tags; the ARN must name one that exists. */
function requireTaggable(bridge: Bridge, ctx: RequestContext, arn: string): string {
  const rule = parseRuleArn(arn);
  if (rule && rule.accountId === ctx.accountId) {
    const bus = bridge.requireBus({ accountId: rule.accountId, region: rule.region }, rule.bus);
    return bridge.requireRule(bus, rule.name).arn;
  }
  const bus = parseBusArn(arn);
  if (bus && bus.accountId === ctx.accountId) {
    const row = bridge.requireBus({ accountId: bus.accountId, region: bus.region }, bus.name);
    return busArn({ accountId: row.account_id, region: row.region }, row.name);
  }
  throw validation(`Parameter ResourceARN is not valid. Reason: ${arn} is not the ARN of an event bus or rule of this account.`);
}

export function tagOperations(bridge: Bridge): Record<string, OperationSpec> {
  const { store } = bridge;
  return {
    TagResource: operation<TagResourceRequest, object>({
      iam: {
        action: 'events:TagResource',
        resource: (i) => i.ResourceARN ?? '*',
        conditionKeys: (i) => Object.fromEntries((i.Tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])),
      },
      handler: (input, ctx) => {
        const arn = requireTaggable(bridge, ctx, input.ResourceARN!);
        checkTagList(input.Tags!);
        const keys = new Set([...store.tags(arn).map((t) => t.Key), ...input.Tags!.map((t) => t.Key!)]);
        if (keys.size > MAX_TAGS) throw validation(`Invalid parameter: A resource can have at most ${MAX_TAGS} tags.`);
        store.putTags(arn, input.Tags!);
        return {};
      },
    }),
    UntagResource: operation<UntagResourceRequest, object>({
      iam: { action: 'events:UntagResource', resource: (i) => i.ResourceARN ?? '*', conditionKeys: (i) => ({ 'aws:TagKeys': i.TagKeys ?? [] }) },
      handler: (input, ctx) => {
        store.removeTags(requireTaggable(bridge, ctx, input.ResourceARN!), input.TagKeys!);
        return {};
      },
    }),
    ListTagsForResource: operation<ListTagsForResourceRequest, ListTagsForResourceResponse>({
      iam: { action: 'events:ListTagsForResource', resource: (i) => i.ResourceARN ?? '*' },
      handler: (input, ctx) => ({ Tags: store.tags(requireTaggable(bridge, ctx, input.ResourceARN!)) }),
    }),
  };
}
