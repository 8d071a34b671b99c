import type { ListTagsForResourceInput, ListTagsForResourceOutput, TagResourceInput, UntagResourceInput } from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import type { AlarmStore } from './alarm-store.js';
import { parseAlarmArn } from './arns.js';
import { invalidParameterValue, limitExceeded, resourceNotFoundException } from './errors.js';

const MAX_TAGS = 50;

/** A resource keeps at most 50 tags, counting the ones it has. */
export function checkTags(current: Record<string, string>, added: Record<string, string>): void {
  for (const key of Object.keys(added)) if (key.startsWith('aws:')) throw invalidParameterValue('Invalid tag key: the prefix aws: is reserved for AWS use.');
  if (Object.keys({ ...current, ...added }).length > MAX_TAGS) throw limitExceeded(`A resource can have no more than ${MAX_TAGS} tags.`);
}

export function tagOperations(store: AlarmStore): Record<string, OperationSpec> {
  /** Alarms are the taggable resources codesuite serves. */
  const requireAlarm = (ctx: RequestContext, arn: string) => {
    const ref = parseAlarmArn(arn);
    if (!ref || ref.accountId !== ctx.accountId || ref.region !== ctx.region || !store.get(ref, ref.name)) throw resourceNotFoundException(`The specified resource ${arn} does not exist.`);
    return arn;
  };
  return {
    TagResource: operation<TagResourceInput, object>({
      iam: { action: 'cloudwatch:TagResource', resource: (i) => i.ResourceARN ?? '*', conditionKeys: (i) => Object.fromEntries((i.Tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])) },
      handler: (input, ctx) => {
        const arn = requireAlarm(ctx, input.ResourceARN!);
        const tags = Object.fromEntries(input.Tags!.map((t) => [t.Key!, t.Value!]));
        checkTags(store.tags(arn), tags);
        store.putTags(arn, tags);
        return {};
      },
    }),
    UntagResource: operation<UntagResourceInput, object>({
      iam: { action: 'cloudwatch:UntagResource', resource: (i) => i.ResourceARN ?? '*', conditionKeys: (i) => ({ 'aws:TagKeys': i.TagKeys ?? [] }) },
      handler: (input, ctx) => {
        store.removeTags(requireAlarm(ctx, input.ResourceARN!), input.TagKeys!);
        return {};
      },
    }),
    ListTagsForResource: operation<ListTagsForResourceInput, ListTagsForResourceOutput>({
      iam: { action: 'cloudwatch:ListTagsForResource', resource: (i) => i.ResourceARN ?? '*' },
      handler: (input, ctx) => ({ Tags: Object.entries(store.tags(requireAlarm(ctx, input.ResourceARN!))).map(([Key, Value]) => ({ Key, Value })) }),
    }),
  };
}
