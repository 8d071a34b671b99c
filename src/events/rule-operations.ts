import type {
  DeleteRuleRequest,
  DescribeRuleRequest,
  DescribeRuleResponse,
  DisableRuleRequest,
  EnableRuleRequest,
  ListRuleNamesByTargetRequest,
  ListRuleNamesByTargetResponse,
  ListRulesRequest,
  ListRulesResponse,
  ListTargetsByRuleRequest,
  ListTargetsByRuleResponse,
  PutRuleRequest,
  PutRuleResponse,
  PutTargetsRequest,
  PutTargetsResponse,
  PutTargetsResultEntry,
  RemoveTargetsRequest,
  RemoveTargetsResponse,
  RemoveTargetsResultEntry,
  Rule,
  Target,
} from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { busName, ruleArn } from './arns.js';
import { scopeOf, type Bridge } from './bridge.js';
import { limitExceeded, scheduleInvalid, validation } from './errors.js';
import { checkTargetInput } from './input-transform.js';
import { page } from './pagination.js';
import { compilePattern } from './pattern.js';
import { parseSchedule } from './schedule.js';
import type { BusRow, RuleRow } from './store.js';
import { checkTagList } from './tag-operations.js';

const MAX_TARGETS = 5;
const TARGET_ARN = /^arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

const arnOf = (ctx: RequestContext, bus: string | undefined, name: string | undefined) => ruleArn(scopeOf(ctx), busName(bus), name ?? '*');

function ruleView(rule: RuleRow, bus: BusRow): Rule {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.event_pattern !== null ? { EventPattern: rule.event_pattern } : {}),
    State: rule.state as Rule['State'],
    ...(rule.description !== null ? { Description: rule.description } : {}),
    ...(rule.schedule_expression !== null ? { ScheduleExpression: rule.schedule_expression } : {}),
    ...(rule.role_arn !== null ? { RoleArn: rule.role_arn } : {}),
    EventBusName: bus.name,
  };
}

export function ruleOperations(bridge: Bridge): Record<string, OperationSpec> {
  const { store } = bridge;
  return {
    PutRule: operation<PutRuleRequest, PutRuleResponse>({
      iam: {
        action: 'events:PutRule',
        resource: (i, ctx) => arnOf(ctx, i.EventBusName, i.Name),
        conditionKeys: (i) => Object.fromEntries((i.Tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])),
      },
      handler: (input, ctx) => {
        const bus = bridge.requireBus(ctx, input.EventBusName);
        if (!input.EventPattern && !input.ScheduleExpression) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
        if (input.ScheduleExpression) {
          if (bus.name !== 'default') throw validation('ScheduleExpression is supported only on the default event bus.');
          if (!parseSchedule(input.ScheduleExpression)) throw scheduleInvalid();
        }
        if (input.EventPattern) compilePattern(input.EventPattern);
        checkTagList(input.Tags ?? []);
        const now = bridge.now();
        const arn = ruleArn({ accountId: bus.account_id, region: bus.region }, bus.name, input.Name!);
        bridge.deps.db.transaction(() => {
          // PutRule replaces the whole rule: what is left out is gone, and the state is ENABLED unless given.
          const rule = store.upsertRule({
            bus_id: bus.id,
            name: input.Name!,
            arn,
            event_pattern: input.EventPattern ?? null,
            schedule_expression: input.ScheduleExpression ?? null,
            state: input.State ?? 'ENABLED',
            description: input.Description ?? null,
            role_arn: input.RoleArn ?? null,
            created_by: ctx.accountId,
            created_at: now,
            updated_at: now,
          });
          store.putTags(rule.arn, input.Tags ?? []);
          bridge.syncSchedule(rule);
        })();
        return { RuleArn: arn };
      },
    }),

    DescribeRule: operation<DescribeRuleRequest, DescribeRuleResponse>({
      iam: { action: 'events:DescribeRule', resource: (i, ctx) => arnOf(ctx, i.EventBusName, i.Name) },
      handler: (input, ctx) => {
        const bus = bridge.requireBus(ctx, input.EventBusName);
        const rule = bridge.requireRule(bus, input.Name!);
        return { ...ruleView(rule, bus), CreatedBy: rule.created_by };
      },
    }),

    ListRules: operation<ListRulesRequest, ListRulesResponse>({
      iam: { action: 'events:ListRules', resource: (i, ctx) => arnOf(ctx, i.EventBusName, '*') },
      handler: (input, ctx) => {
        const bus = bridge.requireBus(ctx, input.EventBusName);
        let rules = store.listRules(bus.id);
        if (input.NamePrefix) rules = rules.filter((r) => r.name.startsWith(input.NamePrefix!));
        const { items, nextToken } = page(rules, input.NextToken, input.Limit ?? 100);
        return { Rules: items.map((r) => ruleView(r, bus)), NextToken: nextToken };
      },
    }),

    EnableRule: operation<EnableRuleRequest, object>({
      iam: { action: 'events:EnableRule', resource: (i, ctx) => arnOf(ctx, i.EventBusName, i.Name) },
      handler: (input, ctx) => setState(input, ctx, 'ENABLED'),
    }),

    DisableRule: operation<DisableRuleRequest, object>({
      iam: { action: 'events:DisableRule', resource: (i, ctx) => arnOf(ctx, i.EventBusName, i.Name) },
      handler: (input, ctx) => setState(input, ctx, 'DISABLED'),
    }),

    DeleteRule: operation<DeleteRuleRequest, object>({
      iam: { action: 'events:DeleteRule', resource: (i, ctx) => arnOf(ctx, i.EventBusName, i.Name) },
      handler: (input, ctx) => {
        const bus = bridge.requireBus(ctx, input.EventBusName);
        const rule = store.findRule(bus.id, input.Name!);
        // Deleting a rule that is not there succeeds, as AWS does.
        if (!rule) return {};
        if (store.targets(rule.id).length > 0) throw validation("Rule can't be deleted since it has targets.");
        bridge.deps.db.transaction(() => {
          bridge.cancelSchedule(rule);
          store.deleteRule(rule);
        })();
        return {};
      },
    }),

    PutTargets: operation<PutTargetsRequest, PutTargetsResponse>({
      iam: { action: 'events:PutTargets', resource: (i, ctx) => arnOf(ctx, i.EventBusName, i.Rule) },
      handler: (input, ctx) => {
        const bus = bridge.requireBus(ctx, input.EventBusName);
        const rule = bridge.requireRule(bus, input.Rule!);
        const targets = input.Targets!;
        targets.forEach(checkTargetInput);
        const failed: PutTargetsResultEntry[] = [];
        const accepted: Target[] = [];
        for (const target of targets) {
          if (!TARGET_ARN.test(target.Arn!)) {
            failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: `Parameter ${target.Arn} is not valid. Reason: Provided Arn is not in correct format.` });
          } else {
            accepted.push(target);
          }
        }
        const existing = new Set(store.targets(rule.id).map((t) => t.target_id));
        accepted.forEach((t) => existing.add(t.Id!));
        if (existing.size > MAX_TARGETS) throw limitExceeded();
        bridge.deps.db.transaction(() => accepted.forEach((t) => store.putTarget(rule.id, t)))();
        return { FailedEntryCount: failed.length, FailedEntries: failed };
      },
    }),

    RemoveTargets: operation<RemoveTargetsRequest, RemoveTargetsResponse>({
      iam: { action: 'events:RemoveTargets', resource: (i, ctx) => arnOf(ctx, i.EventBusName, i.Rule) },
      handler: (input, ctx) => {
        const bus = bridge.requireBus(ctx, input.EventBusName);
        const rule = bridge.requireRule(bus, input.Rule!);
        const failed: RemoveTargetsResultEntry[] = [];
        bridge.deps.db.transaction(() => {
          for (const id of input.Ids!) {
            if (!store.removeTarget(rule.id, id)) {
              failed.push({ TargetId: id, ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Rule '${rule.name}' does not have a target with the Id '${id}'.` });
            }
          }
        })();
        return { FailedEntryCount: failed.length, FailedEntries: failed };
      },
    }),

    ListTargetsByRule: operation<ListTargetsByRuleRequest, ListTargetsByRuleResponse>({
      iam: { action: 'events:ListTargetsByRule', resource: (i, ctx) => arnOf(ctx, i.EventBusName, i.Rule) },
      handler: (input, ctx) => {
        const bus = bridge.requireBus(ctx, input.EventBusName);
        const rule = bridge.requireRule(bus, input.Rule!);
        const { items, nextToken } = page(store.targets(rule.id), input.NextToken, input.Limit ?? 100);
        return { Targets: items.map((t) => JSON.parse(t.spec) as Target), NextToken: nextToken };
      },
    }),

    ListRuleNamesByTarget: operation<ListRuleNamesByTargetRequest, ListRuleNamesByTargetResponse>({
      iam: { action: 'events:ListRuleNamesByTarget', resource: (i, ctx) => arnOf(ctx, i.EventBusName, '*') },
      handler: (input, ctx) => {
        const bus = bridge.requireBus(ctx, input.EventBusName);
        const { items, nextToken } = page(store.rulesByTarget(bus.id, input.TargetArn!), input.NextToken, input.Limit ?? 100);
        return { RuleNames: items, NextToken: nextToken };
      },
    }),
  };

  function setState(input: { Name?: string; EventBusName?: string }, ctx: RequestContext, state: 'ENABLED' | 'DISABLED'): object {
    const bus = bridge.requireBus(ctx, input.EventBusName);
    const rule = bridge.requireRule(bus, input.Name!);
    if (rule.state === state) return {};
    bridge.deps.db.transaction(() => {
      store.setRuleState(rule.id, state, bridge.now());
      bridge.syncSchedule({ ...rule, state });
    })();
    return {};
  }
}
