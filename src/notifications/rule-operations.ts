import type {
  CreateNotificationRuleRequest,
  CreateNotificationRuleResult,
  DeleteNotificationRuleRequest,
  DeleteNotificationRuleResult,
  DescribeNotificationRuleRequest,
  DescribeNotificationRuleResult,
  ListNotificationRulesRequest,
  ListNotificationRulesResult,
  UpdateNotificationRuleRequest,
  UpdateNotificationRuleResult,
} from '@aws-sdk/client-codestar-notifications';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { alreadyExists } from './errors.js';
import { page } from './pagination.js';
import { checkEventTypes, checkResource, checkTargets, describeRule, newRuleArn, requireRule, ruleId } from './rules.js';
import { scopeOf, type NotificationsStore, type RuleRow } from './store.js';
import { targetStatus } from './target-operations.js';

const ALL = () => '*';

export function ruleOperations(store: NotificationsStore, now: () => number): Record<string, OperationSpec> {
  const nameTaken = (name: string) => alreadyExists(`A notification rule with the name ${name} already exists in this account.`);
  return {
    CreateNotificationRule: operation<CreateNotificationRuleRequest, CreateNotificationRuleResult>({
      iam: {
        action: 'codestar-notifications:CreateNotificationRule',
        resource: ALL,
        conditionKeys: (input) => ({
          'codestar-notifications:NotificationsForResource': input.Resource ?? '',
          ...(input.Tags ? { 'aws:TagKeys': Object.keys(input.Tags) } : {}),
        }),
      },
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        if (input.ClientRequestToken) {
          const earlier = store.ruleByToken(scope, input.ClientRequestToken);
          if (earlier) return { Arn: earlier.arn };
        }
        const kind = checkResource(scope, input.Resource!);
        const eventTypeIds = checkEventTypes(input.EventTypeIds!, kind);
        const targets = checkTargets(input.Targets!);
        const at = now();
        const rule: RuleRow = {
          arn: newRuleArn(scope),
          account_id: scope.accountId,
          region: scope.region,
          name: input.Name!,
          resource: input.Resource!,
          event_type_ids: JSON.stringify(eventTypeIds),
          detail_type: input.DetailType!,
          status: input.Status ?? 'ENABLED',
          created_by: ctx.principalArn,
          client_token: input.ClientRequestToken ?? null,
          tags: JSON.stringify(input.Tags ?? {}),
          created_at: at,
          updated_at: at,
        };
        store.transaction(() => {
          if (store.ruleByName(scope, rule.name)) throw nameTaken(rule.name);
          store.insertRule(rule);
          targets.forEach((t, i) => store.attach(scope, rule.arn, { ...t, status: targetStatus(t.type) }, i));
        });
        return { Arn: rule.arn };
      },
    }),

    DescribeNotificationRule: operation<DescribeNotificationRuleRequest, DescribeNotificationRuleResult>({
      iam: { action: 'codestar-notifications:DescribeNotificationRule', resource: (input) => input.Arn ?? '*' },
      handler: (input, ctx) => describeRule(store, requireRule(store, scopeOf(ctx), input.Arn!)),
    }),

    UpdateNotificationRule: operation<UpdateNotificationRuleRequest, UpdateNotificationRuleResult>({
      iam: { action: 'codestar-notifications:UpdateNotificationRule', resource: (input) => input.Arn ?? '*' },
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        store.transaction(() => {
          const rule = requireRule(store, scope, input.Arn!);
          const kind = checkResource(scope, rule.resource);
          if (input.EventTypeIds) rule.event_type_ids = JSON.stringify(checkEventTypes(input.EventTypeIds, kind));
          if (input.Name !== undefined && input.Name !== rule.name) {
            if (store.ruleByName(scope, input.Name)) throw nameTaken(input.Name);
            rule.name = input.Name;
          }
          if (input.Status) rule.status = input.Status;
          if (input.DetailType) rule.detail_type = input.DetailType;
          if (input.Targets) {
            const targets = checkTargets(input.Targets);
            store.detachAll(rule.arn);
            targets.forEach((t, i) => store.attach(scope, rule.arn, { ...t, status: targetStatus(t.type) }, i));
          }
          rule.updated_at = now();
          store.updateRule(rule);
        });
        return {};
      },
    }),

    DeleteNotificationRule: operation<DeleteNotificationRuleRequest, DeleteNotificationRuleResult>({
      iam: { action: 'codestar-notifications:DeleteNotificationRule', resource: (input) => input.Arn ?? '*' },
      // Deleting a rule that is already gone succeeds, as AWS's idempotent delete does.
      handler: (input) => (store.deleteRule(input.Arn!), { Arn: input.Arn }),
    }),

    ListNotificationRules: operation<ListNotificationRulesRequest, ListNotificationRulesResult>({
      iam: { action: 'codestar-notifications:ListNotificationRules', resource: ALL },
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const filters = input.Filters ?? [];
        const matches = (rule: RuleRow) =>
          filters.every((f) => {
            if (f.Name === 'EVENT_TYPE_ID') return (JSON.parse(rule.event_type_ids) as string[]).includes(f.Value!);
            if (f.Name === 'CREATED_BY') return rule.created_by === f.Value;
            if (f.Name === 'RESOURCE') return rule.resource === f.Value;
            return store.ruleTargets(rule.arn).some((t) => t.address === f.Value);
          });
        const { items, NextToken } = page(store.rules(scope).filter(matches), input.NextToken, input.MaxResults);
        return { NotificationRules: items.map((r) => ({ Id: ruleId(r.arn), Arn: r.arn })), ...(NextToken ? { NextToken } : {}) };
      },
    }),
  };
}
