import type {
  DeleteTargetRequest,
  DeleteTargetResult,
  ListTargetsRequest,
  ListTargetsResult,
  SubscribeRequest,
  SubscribeResult,
  UnsubscribeRequest,
  UnsubscribeResult,
} from '@aws-sdk/client-codestar-notifications';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { limitExceeded } from './errors.js';
import { page } from './pagination.js';
import { checkTarget, requireRule } from './rules.js';
import { scopeOf, type NotificationsStore, type TargetRow } from './store.js';

const MAX_TARGETS = 10;

/**
 * SNS topics are reachable through the delivery registry (the topic's own policy is weighed when a
 * message arrives); codesuite has no AWS Chatbot, so a Slack configuration is kept but unreachable.
 */
export const targetStatus = (type: string) => (type === 'SNS' ? 'ACTIVE' : 'UNREACHABLE');

export function targetOperations(store: NotificationsStore): Record<string, OperationSpec> {
  return {
    Subscribe: operation<SubscribeRequest, SubscribeResult>({
      iam: { action: 'codestar-notifications:Subscribe', resource: (input) => input.Arn ?? '*' },
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const target = checkTarget(input.Target!);
        store.transaction(() => {
          const rule = requireRule(store, scope, input.Arn!);
          const current = store.ruleTargets(rule.arn);
          if (current.some((t) => t.address === target.address)) return;
          if (current.length >= MAX_TARGETS) throw limitExceeded(`A notification rule can have at most ${MAX_TARGETS} targets.`);
          store.attach(scope, rule.arn, { ...target, status: targetStatus(target.type) }, store.nextPosition(rule.arn));
        });
        return { Arn: input.Arn };
      },
    }),

    Unsubscribe: operation<UnsubscribeRequest, UnsubscribeResult>({
      iam: { action: 'codestar-notifications:Unsubscribe', resource: (input) => input.Arn ?? '*' },
      handler: (input, ctx) => {
        requireRule(store, scopeOf(ctx), input.Arn!);
        store.detach(input.Arn!, input.TargetAddress!);
        return { Arn: input.Arn! };
      },
    }),

    ListTargets: operation<ListTargetsRequest, ListTargetsResult>({
      iam: { action: 'codestar-notifications:ListTargets', resource: () => '*' },
      handler: (input, ctx) => {
        const filters = input.Filters ?? [];
        const matches = (t: TargetRow) =>
          filters.every((f) => (f.Name === 'TARGET_TYPE' ? t.type === f.Value : f.Name === 'TARGET_ADDRESS' ? t.address === f.Value : t.status === f.Value));
        const { items, NextToken } = page(store.targets(scopeOf(ctx)).filter(matches), input.NextToken, input.MaxResults);
        return { Targets: items.map((t) => ({ TargetAddress: t.address, TargetType: t.type, TargetStatus: t.status as never })), ...(NextToken ? { NextToken } : {}) };
      },
    }),

    DeleteTarget: operation<DeleteTargetRequest, DeleteTargetResult>({
      iam: { action: 'codestar-notifications:DeleteTarget', resource: () => '*' },
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        store.transaction(() => {
          // Without ForceUnsubscribeAll the rules keep the target, so it stays while any rule uses it.
          if (!input.ForceUnsubscribeAll && store.rulesFor(scope, input.TargetAddress!).length > 0) return;
          store.deleteTarget(scope, input.TargetAddress!);
        });
        return {};
      },
    }),
  };
}
