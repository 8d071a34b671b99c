import type { ListTagsForResourceInput, ListTagsForResourceOutput, Tag, TagResourceInput, UntagResourceInput } from '@aws-sdk/client-codepipeline';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { parsePipelineArn } from './arns.js';
import type { PipelineContext } from './context.js';
import { invalidTags, resourceNotFound, tooManyTags } from './errors.js';

const MAX_TAGS = 50;

/** Tags after adding `added` to `existing`: keys unique in the request, no `aws:` keys, at most 50. */
export function checkNewTags(existing: Tag[], added: Tag[]): Tag[] {
  const keys = new Set<string>();
  for (const t of added) {
    if (keys.has(t.key!)) throw invalidTags(`The tag key ${t.key} is used more than once in the request.`);
    keys.add(t.key!);
    if (t.key!.toLowerCase().startsWith('aws:')) throw invalidTags(`Tag keys cannot start with aws: (${t.key}).`);
  }
  const merged = new Map(existing.map((t) => [t.key!, t.value!]));
  for (const t of added) merged.set(t.key!, t.value!);
  if (merged.size > MAX_TAGS) throw tooManyTags();
  return added;
}

export function tagOperations(c: PipelineContext): Record<string, OperationSpec> {
  /** Pipelines are the taggable resources codesuite holds; any other ARN names nothing. */
  const target = (arn: string | undefined, ctx: RequestContext) => {
    const parsed = parsePipelineArn(arn ?? '');
    if (!parsed || parsed.accountId !== ctx.accountId || parsed.region !== ctx.region || !c.store.pipeline(parsed, parsed.name)) throw resourceNotFound(arn ?? '');
    return parsed;
  };
  const resourceTags = (arn: string | undefined): Record<string, string> => {
    const parsed = parsePipelineArn(arn ?? '');
    return parsed ? Object.fromEntries(c.store.tags(parsed, parsed.name).map((t) => [`aws:ResourceTag/${t.key}`, t.value!])) : {};
  };
  return {
    TagResource: operation<TagResourceInput, object>({
      iam: {
        action: 'codepipeline:TagResource',
        resource: (i) => i.resourceArn ?? '*',
        conditionKeys: (i) => ({
          ...resourceTags(i.resourceArn),
          'aws:TagKeys': (i.tags ?? []).map((t) => t.key ?? ''),
          ...Object.fromEntries((i.tags ?? []).map((t) => [`aws:RequestTag/${t.key}`, t.value ?? ''])),
        }),
      },
      handler: (input, ctx) => {
        const p = target(input.resourceArn, ctx);
        const tags = checkNewTags(c.store.tags(p, p.name), input.tags!);
        c.store.transaction(() => c.store.putTags(p, p.name, tags));
        return {};
      },
    }),
    UntagResource: operation<UntagResourceInput, object>({
      iam: {
        action: 'codepipeline:UntagResource',
        resource: (i) => i.resourceArn ?? '*',
        conditionKeys: (i) => ({ ...resourceTags(i.resourceArn), 'aws:TagKeys': i.tagKeys ?? [] }),
      },
      handler: (input, ctx) => {
        const p = target(input.resourceArn, ctx);
        c.store.transaction(() => c.store.removeTags(p, p.name, input.tagKeys!));
        return {};
      },
    }),
    ListTagsForResource: operation<ListTagsForResourceInput, ListTagsForResourceOutput>({
      iam: { action: 'codepipeline:ListTagsForResource', resource: (i) => i.resourceArn ?? '*', conditionKeys: (i) => resourceTags(i.resourceArn) },
      handler: (input, ctx) => {
        const p = target(input.resourceArn, ctx);
        return { tags: c.store.tags(p, p.name) };
      },
    }),
  };
}
