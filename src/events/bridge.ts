import type { Target } from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import type { BusEvent } from '../core/events.js';
import type { Scheduler } from '../core/scheduler.js';
import { parseBusArn, type Scope } from './arns.js';
import { busNotFound, ruleNotFound } from './errors.js';
import { compilePattern } from './pattern.js';
import { parseSchedule } from './schedule.js';
import { EventsStore, type BusRow, type RuleRow } from './store.js';

export const DELIVER_JOB = 'events.deliver';
export const SCHEDULE_JOB = 'events.schedule';

/** What a delivery job carries: the event it delivers and the target as it was when the event matched. */
export interface DeliveryPayload {
  eventId: string;
  ruleArn: string;
  ruleName: string;
  target: Target;
  receivedAt: number;
}

export interface SchedulePayload {
  ruleArn: string;
  expression: string;
  anchor: number;
}

/** Where an event came from, as the `/_codesuite/events` listing says. */
export type Origin = 'PutEvents' | 'service' | 'schedule' | 'event-bus';

export const scopeOf = (ctx: Pick<RequestContext, 'accountId' | 'region'>): Scope => ({ accountId: ctx.accountId, region: ctx.region });

/** EventBridge's shared state and the road every event takes: recorded, matched, queued for delivery. */
export class Bridge {
  readonly store: EventsStore;

  constructor(
    readonly deps: ServiceDeps,
    readonly scheduler: Scheduler,
  ) {
    this.store = new EventsStore(deps.db);
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** Every account has a default bus in every region; it comes into being when first needed. */
  defaultBus(scope: Scope): BusRow {
    const found = this.store.findBus(scope, 'default');
    if (found) return found;
    const now = this.now();
    try {
      return this.store.insertBus({
        account_id: scope.accountId,
        region: scope.region,
        name: 'default',
        description: null,
        kms_key_identifier: null,
        dead_letter_arn: null,
        log_config: null,
        created_at: now,
        updated_at: now,
      });
    } catch {
      return this.store.findBus(scope, 'default')!;
    }
  }

  /** A bus named by name or ARN, if it exists (the default bus always does). */
  findBus(ctx: Pick<RequestContext, 'accountId' | 'region'>, nameOrArn: string | undefined): BusRow | undefined {
    const arn = nameOrArn ? parseBusArn(nameOrArn) : undefined;
    if (arn && arn.accountId !== ctx.accountId) return undefined;
    const scope = arn ? { accountId: arn.accountId, region: arn.region } : scopeOf(ctx);
    const name = arn?.name ?? nameOrArn ?? 'default';
    return name === 'default' ? this.defaultBus(scope) : this.store.findBus(scope, name);
  }

  requireBus(ctx: Pick<RequestContext, 'accountId' | 'region'>, nameOrArn: string | undefined): BusRow {
    const bus = this.findBus(ctx, nameOrArn);
    if (!bus) throw busNotFound(parseBusArn(nameOrArn ?? '')?.name ?? nameOrArn ?? 'default');
    return bus;
  }

  requireRule(bus: BusRow, name: string): RuleRow {
    const rule = this.store.findRule(bus.id, name);
    if (!rule) throw ruleNotFound(name, bus.name);
    return rule;
  }

  /**
   * Takes an event onto a bus: records it, matches it against the bus's enabled rules and queues
   * one delivery per target of every rule it matches, all in one transaction, so an event that
   * was accepted is delivered even if the process stops right after.
   */
  ingest(bus: BusRow, event: BusEvent, origin: Origin): string[] {
    const now = this.now();
    return this.deps.db.transaction(() => {
      const matched: string[] = [];
      for (const rule of this.store.patternRules(bus.id)) {
        if (!compilePattern(rule.event_pattern!)(event)) continue;
        matched.push(rule.arn);
        this.queueDeliveries(rule, event.id, now);
      }
      this.store.recordEvent({
        id: event.id,
        account_id: bus.account_id,
        region: bus.region,
        bus_name: bus.name,
        origin,
        envelope: JSON.stringify(event),
        matched_rules: JSON.stringify(matched),
        note: null,
        received_at: now,
      });
      return matched;
    })();
  }

  /** An event for a bus that does not exist is accepted and dropped, as AWS does; the listing says so. */
  recordDropped(scope: Scope, busName: string, event: BusEvent, origin: Origin, note: string): void {
    this.store.recordEvent({
      id: event.id,
      account_id: scope.accountId,
      region: scope.region,
      bus_name: busName,
      origin,
      envelope: JSON.stringify(event),
      matched_rules: '[]',
      note,
      received_at: this.now(),
    });
  }

  queueDeliveries(rule: RuleRow, eventId: string, receivedAt: number): void {
    for (const row of this.store.targets(rule.id)) {
      const payload: DeliveryPayload = { eventId, ruleArn: rule.arn, ruleName: rule.name, target: JSON.parse(row.spec) as Target, receivedAt };
      // Retries are the delivery handler's own (RetryPolicy); an unexpected error gets a few more tries.
      this.scheduler.enqueue({ kind: DELIVER_JOB, payload, maxAttempts: 5 });
    }
  }

  /** Puts a scheduled rule's next firing in the job table (or takes it out when it no longer fires). */
  syncSchedule(rule: RuleRow): void {
    const key = `${SCHEDULE_JOB}:${rule.arn}`;
    if (!rule.schedule_expression || rule.state === 'DISABLED') {
      this.scheduler.cancel(key);
      return;
    }
    const schedule = parseSchedule(rule.schedule_expression);
    const now = this.now();
    const runAt = schedule?.next(now, now);
    if (runAt === undefined) {
      this.scheduler.cancel(key);
      return;
    }
    const payload: SchedulePayload = { ruleArn: rule.arn, expression: rule.schedule_expression, anchor: now };
    this.scheduler.enqueue({ kind: SCHEDULE_JOB, key, payload, runAt });
  }

  cancelSchedule(rule: RuleRow): void {
    this.scheduler.cancel(`${SCHEDULE_JOB}:${rule.arn}`);
  }
}
