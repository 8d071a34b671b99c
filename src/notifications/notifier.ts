import type { ServiceDeps } from '../core/deps.js';
import type { BusEvent } from '../core/events.js';
import { matchEvent } from './event-matching.js';
import type { NotificationsStore, RuleRow } from './store.js';

export const SOURCE_SERVICE = 'codestar-notifications.amazonaws.com';
/** Notification rules are EventBridge rules underneath, so a target gets EventBridge's default retries. */
const RETRY = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 };

/**
 * The message a rule publishes to its SNS topics: the service's event as EventBridge has it,
 * renamed to CodeStar Notifications' camel-case envelope, with the rule's ARN. `FULL` adds what
 * the service supplies beyond the event (CodePipeline's execution summary); `BASIC` sends it empty.
 */
export function notificationMessage(rule: RuleRow, event: BusEvent): string {
  const additional: Record<string, unknown> = {};
  if (rule.detail_type === 'FULL') {
    const summary = (event.detail['execution-result'] as Record<string, unknown> | undefined)?.['external-execution-summary'];
    if (typeof summary === 'string') additional.additionalInformation = summary;
  }
  return JSON.stringify({
    account: event.account,
    detailType: event['detail-type'],
    region: event.region,
    source: event.source,
    time: event.time,
    notificationRuleArn: rule.arn,
    detail: event.detail,
    resources: event.resources,
    additionalAttributes: additional,
  });
}

/**
 * Listens on the event bus: every event that is one of an enabled rule's event types on the rule's
 * resource becomes one persisted delivery per SNS target, all queued together.
 */
export function listen(deps: ServiceDeps, store: NotificationsStore): () => void {
  return deps.events.subscribe((event) => {
    const match = matchEvent(event);
    if (!match) return;
    const rules = store.rulesOn(match.resource).filter((rule) => {
      const ids = JSON.parse(rule.event_type_ids) as string[];
      return rule.account_id === event.account && rule.region === event.region && match.eventTypeIds.some((id) => ids.includes(id));
    });
    if (rules.length === 0) return;
    store.transaction(() => {
      for (const rule of rules) {
        const message = notificationMessage(rule, event);
        for (const target of store.ruleTargets(rule.arn)) {
          if (target.type !== 'SNS') continue;
          deps.delivery.enqueue(
            'codestar-notifications',
            { targetArn: target.address, message, sourceService: SOURCE_SERVICE, sourceArn: rule.arn, sourceAccount: rule.account_id },
            RETRY,
          );
        }
      }
    });
  });
}
