import type { Tag } from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.js';
import { operation, type OperationSpec } from '../../core/service.js';
import { awsManagedPolicyDenied } from './errors.js';
import { paginate } from './pagination.js';
import { arnOf, checkTags, tagConditionKeys } from './requests.js';
import type { IamStore } from './store.js';

type Tagged = 'User' | 'Role' | 'Policy';

/** Tag/Untag/List…Tags for users, roles and customer managed policies; tag keys ignore case. */
export function tagOperations(store: IamStore): Record<string, OperationSpec> {
  return { ...forKind(store, 'User'), ...forKind(store, 'Role'), ...forKind(store, 'Policy') };
}

function forKind(store: IamStore, kind: Tagged): Record<string, OperationSpec> {
  type Input = { UserName?: string; RoleName?: string; PolicyArn?: string; Tags?: Tag[]; TagKeys?: string[]; Marker?: string; MaxItems?: number };

  const resource = (i: Input, ctx: RequestContext) =>
    kind === 'User' ? arnOf(store, ctx, 'user', i.UserName) : kind === 'Role' ? arnOf(store, ctx, 'role', i.RoleName) : (i.PolicyArn ?? '*');

  function entityId(i: Input, ctx: RequestContext, action: string, write: boolean): string {
    if (kind === 'User') return store.requireUser(ctx.accountId, i.UserName!).id;
    if (kind === 'Role') return store.requireRole(ctx.accountId, i.RoleName!).id;
    const policy = store.requirePolicy(ctx.accountId, i.PolicyArn!);
    if (policy.scope === 'AWS' && write) throw awsManagedPolicyDenied(ctx.principalArn, action, policy.arn);
    return policy.id;
  }

  return {
    [`Tag${kind}`]: operation<Input, object>({
      iam: { action: `iam:Tag${kind}`, resource, conditionKeys: (i) => tagConditionKeys(i.Tags) },
      handler: (input, ctx) => {
        const id = entityId(input, ctx, `Tag${kind}`, true);
        checkTags(store.tags(id), input.Tags!);
        store.putTags(id, input.Tags!);
        return {};
      },
    }),

    [`Untag${kind}`]: operation<Input, object>({
      iam: { action: `iam:Untag${kind}`, resource, conditionKeys: (i) => ({ 'aws:TagKeys': i.TagKeys ?? [] }) },
      handler: (input, ctx) => {
        store.removeTags(entityId(input, ctx, `Untag${kind}`, true), input.TagKeys!);
        return {};
      },
    }),

    [`List${kind}Tags`]: operation<Input, object>({
      iam: { action: `iam:List${kind}Tags`, resource },
      handler: (input, ctx) => {
        const page = paginate(store.tags(entityId(input, ctx, `List${kind}Tags`, false)), input.Marker, input.MaxItems);
        return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),
  };
}
