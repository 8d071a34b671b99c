import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTagsLogGroupRequest,
  ListTagsLogGroupResponse,
  TagLogGroupRequest,
  TagResourceRequest,
  UntagLogGroupRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { groupArn, parseGroupArn } from './arns.js';
import { groupNotFound, invalidParameter } from './errors.js';
import type { Logs } from './logs.js';
import type { GroupRow } from './store.js';
import { checkTags } from './tag-rules.js';

const arnOf = (ctx: RequestContext, name: string | undefined) => groupArn({ accountId: ctx.accountId, region: ctx.region, name: name ?? '*' });
const requestTags = (tags: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [`aws:RequestTag/${k}`, v]));

/** Log groups are the taggable resource codesuite serves (destinations and others are not). */
function groupByArn(logs: Logs, ctx: RequestContext, arn: string): GroupRow {
  const ref = parseGroupArn(arn);
  if (!ref) throw invalidParameter(`Invalid resource ARN: ${arn}`);
  if (ref.accountId !== ctx.accountId) throw groupNotFound();
  return logs.requireGroup({ accountId: ref.accountId, region: ref.region }, ref.name);
}

export function tagOperations(logs: Logs): Record<string, OperationSpec> {
  const tag = (group: GroupRow, tags: Record<string, string>) => {
    checkTags(logs.store.tags(group.id), tags);
    logs.store.putTags(group.id, tags);
    return {};
  };
  return {
    TagLogGroup: operation<TagLogGroupRequest, object>({
      iam: { action: 'logs:TagLogGroup', resource: (i, ctx) => arnOf(ctx, i.logGroupName), conditionKeys: (i) => requestTags(i.tags) },
      handler: (input, ctx) => tag(logs.requireGroup(ctx, input.logGroupName!), input.tags!),
    }),
    UntagLogGroup: operation<UntagLogGroupRequest, object>({
      iam: { action: 'logs:UntagLogGroup', resource: (i, ctx) => arnOf(ctx, i.logGroupName), conditionKeys: (i) => ({ 'aws:TagKeys': i.tags ?? [] }) },
      handler: (input, ctx) => {
        logs.store.removeTags(logs.requireGroup(ctx, input.logGroupName!).id, input.tags!);
        return {};
      },
    }),
    ListTagsLogGroup: operation<ListTagsLogGroupRequest, ListTagsLogGroupResponse>({
      iam: { action: 'logs:ListTagsLogGroup', resource: (i, ctx) => arnOf(ctx, i.logGroupName) },
      handler: (input, ctx) => ({ tags: logs.store.tags(logs.requireGroup(ctx, input.logGroupName!).id) }),
    }),
    TagResource: operation<TagResourceRequest, object>({
      iam: { action: 'logs:TagResource', resource: (i) => i.resourceArn ?? '*', conditionKeys: (i) => requestTags(i.tags) },
      handler: (input, ctx) => tag(groupByArn(logs, ctx, input.resourceArn!), input.tags!),
    }),
    UntagResource: operation<UntagResourceRequest, object>({
      iam: { action: 'logs:UntagResource', resource: (i) => i.resourceArn ?? '*', conditionKeys: (i) => ({ 'aws:TagKeys': i.tagKeys ?? [] }) },
      handler: (input, ctx) => {
        logs.store.removeTags(groupByArn(logs, ctx, input.resourceArn!).id, input.tagKeys!);
        return {};
      },
    }),
    ListTagsForResource: operation<ListTagsForResourceRequest, ListTagsForResourceResponse>({
      iam: { action: 'logs:ListTagsForResource', resource: (i) => i.resourceArn ?? '*' },
      handler: (input, ctx) => ({ tags: logs.store.tags(groupByArn(logs, ctx, input.resourceArn!).id) }),
    }),
  };
}
