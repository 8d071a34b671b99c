import { createHash, randomBytes } from 'node:crypto';
import type { DescribeNotificationRuleResult, Target } from '@aws-sdk/client-codestar-notifications';
import { eventType, resourceKind } from './event-types.js';
import { ruleNotFound, validation } from './errors.js';
import type { NotificationsStore, RuleRow, Scope } from './store.js';

const SNS_TOPIC = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/;
const CHATBOT_CONFIGURATION = /^arn:aws[\w-]*:chatbot::\d{12}:chat-configuration\/.+$/;

/** `arn:aws:codestar-notifications:<region>:<account>:notificationrule/<40 hex>`. */
export function newRuleArn(scope: Scope): string {
  const id = createHash('sha1').update(randomBytes(32)).digest('hex');
  return `arn:aws:codestar-notifications:${scope.region}:${scope.accountId}:notificationrule/${id}`;
}

export const ruleId = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

export function requireRule(store: NotificationsStore, scope: Scope, arn: string): RuleRow {
  const rule = store.rule(arn);
  if (!rule || rule.account_id !== scope.accountId || rule.region !== scope.region) throw ruleNotFound(arn);
  return rule;
}

/** The resource a rule watches: one of the four supported kinds, in the caller's account and region. */
export function checkResource(scope: Scope, resource: string): { service: string; resourceType: string } {
  const kind = resourceKind(resource);
  if (!kind) throw validation(`Resource ${resource} is not a supported resource type. Supported resource types are CodeCommit repositories, CodeBuild projects, CodeDeploy applications and CodePipeline pipelines.`);
  const [, , , region, account] = resource.split(':');
  if (account !== scope.accountId || region !== scope.region) throw validation(`Resource ${resource} must be in account ${scope.accountId} and region ${scope.region}.`);
  return kind;
}

/** Every event type must exist and belong to the resource's kind. */
export function checkEventTypes(ids: string[], kind: { service: string; resourceType: string }): string[] {
  if (ids.length === 0) throw validation('EventTypeIds must contain at least one event type.');
  for (const id of ids) {
    const type = eventType(id);
    if (!type) throw validation(`Event type ${id} is not a valid event type.`);
    if (type.ServiceName !== kind.service || type.ResourceType !== kind.resourceType) {
      throw validation(`Event type ${id} is not supported for resources of type ${kind.service} ${kind.resourceType}.`);
    }
  }
  return [...new Set(ids)];
}

/** A target as the API takes it: an SNS topic or an AWS Chatbot Slack configuration, by ARN. */
export function checkTarget(target: Target): { address: string; type: string } {
  const type = target.TargetType ?? '';
  const address = target.TargetAddress ?? '';
  if (type === 'SNS') {
    if (!SNS_TOPIC.test(address)) throw validation(`Target address ${address} is not a valid Amazon SNS topic ARN.`);
  } else if (type === 'AWSChatbotSlack') {
    if (!CHATBOT_CONFIGURATION.test(address)) throw validation(`Target address ${address} is not a valid AWS Chatbot Slack channel configuration ARN.`);
  } else {
    throw validation(`Target type ${type} is not supported. Supported target types are SNS and AWSChatbotSlack.`);
  }
  return { address, type };
}

/** The model already limits a rule to 10 targets. */
export const checkTargets = (targets: Target[]) => targets.map(checkTarget);

export function describeRule(store: NotificationsStore, rule: RuleRow): DescribeNotificationRuleResult {
  return {
    Arn: rule.arn,
    Name: rule.name,
    EventTypes: (JSON.parse(rule.event_type_ids) as string[]).flatMap((id) => eventType(id) ?? []),
    Resource: rule.resource,
    Targets: store.ruleTargets(rule.arn).map((t) => ({ TargetAddress: t.address, TargetType: t.type, TargetStatus: t.status as never })),
    DetailType: rule.detail_type as never,
    CreatedBy: rule.created_by,
    Status: rule.status as never,
    CreatedTimestamp: new Date(rule.created_at),
    LastModifiedTimestamp: new Date(rule.updated_at),
    Tags: JSON.parse(rule.tags) as Record<string, string>,
  };
}
