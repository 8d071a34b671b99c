import type { ComparisonOperator, StateValue } from '@aws-sdk/client-cloudwatch';
import type { ServiceDeps } from '../core/deps.js';
import { alarmArn, parseAlarmArn } from './arns.js';
import { alarmTime, javaDouble, lambdaAlarmEvent, reasonTime, snsAlarmMessage, stateChangeDetail } from './alarm-messages.js';
import { evaluateRule, parseRule, ruleAlarms } from './alarm-rule.js';
import { AlarmStore, type AlarmRecord, type CompositeAlarmConfig, type MetricAlarmConfig } from './alarm-store.js';
import type { Metrics } from './metrics.js';
import type { Scope } from './metric-store.js';
import { runQueries } from './queries.js';

const MINUTE = 60_000;
/** How long the delivery of an alarm action keeps being retried. */
const ACTION_RETRY = { maximumRetryAttempts: 3, maximumEventAgeSeconds: 24 * 3600 };

const OPERATOR_TEXT: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

function breaches(v: number, op: ComparisonOperator | undefined, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold':
      return v >= threshold;
    case 'GreaterThanThreshold':
      return v > threshold;
    case 'LessThanThreshold':
      return v < threshold;
    case 'LessThanOrEqualToThreshold':
      return v <= threshold;
    default:
      return false;
  }
}

interface Verdict {
  state: StateValue;
  reason: string;
  reasonData?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Alarm state: evaluations on the scheduler's minute, transitions, history, actions and events. */
export class AlarmEngine {
  readonly store: AlarmStore;

  constructor(
    readonly deps: ServiceDeps,
    private readonly metrics: Metrics,
  ) {
    this.store = new AlarmStore(deps.db);
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** Evaluates every alarm of every account: metric alarms first, then the composites that read them. */
  evaluateAll(): void {
    const now = this.now();
    for (const a of this.store.all()) if (a.type === 'MetricAlarm') this.evaluateMetricAlarm(a, now);
    for (const a of this.store.all()) if (a.type === 'CompositeAlarm') this.evaluateComposite(a, now);
  }

  /** The datapoints of the last EvaluationPeriods periods, ending at the evaluation minute. */
  private window(a: AlarmRecord & { config: MetricAlarmConfig }, end: number): { period: number; starts: number[]; points: Map<number, number>; stat: string } {
    const c = a.config;
    const scope = { accountId: a.accountId, region: a.region };
    const n = c.EvaluationPeriods!;
    if (c.Metrics) {
      const period = c.Metrics.find((m) => m.ReturnData !== false)?.MetricStat?.Period ?? c.Metrics.find((m) => m.MetricStat)?.MetricStat?.Period ?? 60;
      const from = end - n * period * 1000;
      const results = runQueries(this.metrics, scope, c.Metrics, from, end, end);
      const returned = results.find((r) => r.query.ReturnData !== false);
      const points = returned?.value.kind === 'series' ? returned.value.s.points : new Map<number, number>();
      return { period, starts: Array.from({ length: n }, (_, i) => from + i * period * 1000), points, stat: returned?.query.MetricStat?.Stat ?? 'Expression' };
    }
    const period = c.Period!;
    const from = end - n * period * 1000;
    const stat = c.ExtendedStatistic ?? c.Statistic!;
    const points = this.metrics.series(scope, { namespace: c.Namespace!, name: c.MetricName!, dimensions: c.Dimensions }, from, end, period, stat, { origin: end, unit: c.Unit });
    return { period, starts: Array.from({ length: n }, (_, i) => from + i * period * 1000), points, stat };
  }

  /** What a metric alarm's last periods say, in CloudWatch's words. */
  verdict(a: AlarmRecord & { config: MetricAlarmConfig }, now: number): Verdict | undefined {
    const c = a.config;
    const end = Math.floor(now / MINUTE) * MINUTE;
    const { period, starts, points, stat } = this.window(a, end);
    const n = starts.length;
    const m = c.DatapointsToAlarm ?? n;
    const threshold = c.Threshold ?? 0;
    const treat = c.TreatMissingData ?? 'missing';
    const present = starts.filter((t) => points.has(t)).map((t) => ({ t, v: points.get(t)! }));
    const missing = n - present.length;
    const data = (evaluated: { t: number; v: number }[]) =>
      JSON.stringify({
        version: '1.0',
        queryDate: alarmTime(now),
        startDate: alarmTime(starts[0]),
        statistic: stat,
        period,
        recentDatapoints: present.map((p) => p.v),
        threshold,
        evaluatedDatapoints: evaluated.map((p) => ({ timestamp: alarmTime(p.t), value: p.v })),
      });
    if (present.length === 0) {
      if (treat === 'ignore') return undefined;
      if (treat === 'missing') return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${plural(n, 'datapoint')} ${n === 1 ? 'was' : 'were'} unknown.`, reasonData: data([]) };
      const label = treat === 'breaching' ? 'Breaching' : 'NonBreaching';
      return {
        state: treat === 'breaching' && n >= m ? 'ALARM' : 'OK',
        reason: `Threshold Crossed: no datapoints were received for ${plural(n, 'period')} and ${n} missing ${n === 1 ? 'datapoint was' : 'datapoints were'} treated as [${label}].`,
        reasonData: data([]),
      };
    }
    const breaching = present.filter((p) => breaches(p.v, c.ComparisonOperator, threshold));
    const breachCount = breaching.length + (treat === 'breaching' ? missing : 0);
    const total = treat === 'breaching' || treat === 'notBreaching' ? n : present.length;
    const newestFirst = (list: { t: number; v: number }[]) => [...list].sort((x, y) => y.t - x.t).map((p) => `${javaDouble(p.v)} (${reasonTime(p.t)})`).join(', ');
    const op = OPERATOR_TEXT[c.ComparisonOperator ?? ''] ?? c.ComparisonOperator;
    if (breachCount >= m) {
      return {
        state: 'ALARM',
        reason: `Threshold Crossed: ${breachCount} out of the last ${total} datapoints [${newestFirst(breaching)}] ${breachCount === 1 ? 'was' : 'were'} ${op} the threshold (${javaDouble(threshold)}) (minimum ${plural(m, 'datapoint')} for OK -> ALARM transition).`,
        reasonData: data(present),
      };
    }
    const fine = present.filter((p) => !breaches(p.v, c.ComparisonOperator, threshold));
    return {
      state: 'OK',
      reason: `Threshold Crossed: ${fine.length} out of the last ${total} datapoints [${newestFirst(fine)}] ${fine.length === 1 ? 'was' : 'were'} not ${op} the threshold (${javaDouble(threshold)}) (minimum ${plural(Math.max(1, total - m + 1), 'datapoint')} for ALARM -> OK transition).`,
      reasonData: data(present),
    };
  }

  evaluateMetricAlarm(a: AlarmRecord, now: number): void {
    const v = this.verdict(a as AlarmRecord & { config: MetricAlarmConfig }, now);
    if (v && v.state !== a.state) this.transition(a, v, now);
  }

  /** The state of an alarm a composite rule names (by name or ARN). */
  private childState(scope: Scope, ref: string): AlarmRecord | undefined {
    const parsed = parseAlarmArn(ref);
    return this.store.get(parsed ?? scope, parsed ? parsed.name : ref);
  }

  /** A composite alarm's rule over its children's states; `trigger` is the child whose change caused the evaluation. */
  evaluateComposite(a: AlarmRecord, now: number, trigger?: AlarmRecord): void {
    const rule = parseRule((a.config as CompositeAlarmConfig).AlarmRule!);
    const scope = { accountId: a.accountId, region: a.region };
    const matched = evaluateRule(rule, (ref) => this.childState(scope, ref)?.state);
    const state: StateValue = matched ? 'ALARM' : 'OK';
    if (state === a.state) return;
    const children = ruleAlarms(rule).flatMap((ref) => {
      const child = this.childState(scope, ref);
      return child ? [child] : [];
    });
    const latest = trigger ?? [...children].sort((x, y) => y.stateTransitioned - x.stateTransitioned)[0];
    const reason = latest
      ? `${alarmArn(latest, latest.name)} transitioned to ${latest.state} at ${new Date(latest.stateTransitioned).toUTCString()}`
      : `Alarm rule evaluated to ${matched ? 'TRUE' : 'FALSE'}`;
    const reasonData = JSON.stringify({
      triggeringAlarms: (latest ? [latest] : []).map((c) => ({ arn: alarmArn(c, c.name), state: { value: c.state, timestamp: alarmTime(c.stateTransitioned) } })),
    });
    this.transition(a, { state, reason, reasonData }, now);
  }

  /** Writes a new state, its history, then (on a change of state) its event, actions and composite parents. */
  transition(a: AlarmRecord, v: Verdict, now: number): void {
    const previous = { state: a.state, reason: a.stateReason, reasonData: a.stateReasonData, ts: a.stateUpdated };
    const changed = v.state !== a.state;
    const scope = { accountId: a.accountId, region: a.region };
    const updated: AlarmRecord = { ...a, state: v.state, stateReason: v.reason, stateReasonData: v.reasonData, stateUpdated: now, ...(changed ? { stateTransitioned: now } : {}) };
    this.deps.db.transaction(() => {
      this.store.setState(a.id, v.state, v.reason, v.reasonData, now, changed);
      this.store.addHistory(scope, {
        alarmName: a.name,
        alarmType: a.type,
        ts: now,
        itemType: 'StateUpdate',
        summary: `Alarm updated from ${a.state} to ${v.state}`,
        data: JSON.stringify({
          version: '1.0',
          oldState: { stateValue: a.state, stateReason: a.stateReason, ...(a.stateReasonData ? { stateReasonData: JSON.parse(a.stateReasonData) } : {}) },
          newState: { stateValue: v.state, stateReason: v.reason, ...(v.reasonData ? { stateReasonData: JSON.parse(v.reasonData) } : {}) },
        }),
      });
      if (changed && a.actionsEnabled) this.enqueueActions(updated, previous, now);
    })();
    if (!changed) return;
    this.deps.events.publish({
      version: '0',
      id: this.deps.ids.uuid(),
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: a.accountId,
      time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: a.region,
      resources: [alarmArn(a, a.name)],
      detail: stateChangeDetail(updated, previous),
    });
    // Composite alarms that read this one see its new state at once.
    for (const parent of this.store.list(scope)) {
      if (parent.type !== 'CompositeAlarm') continue;
      const refs = ruleAlarms(parseRule((parent.config as CompositeAlarmConfig).AlarmRule!));
      if (refs.includes(a.name) || refs.includes(alarmArn(a, a.name))) this.evaluateComposite(this.store.get(scope, parent.name)!, now, updated);
    }
  }

  private enqueueActions(a: AlarmRecord, previous: { state: StateValue; reason: string; reasonData?: string; ts: number }, now: number): void {
    const c = a.config;
    const actions = a.state === 'ALARM' ? c.AlarmActions : a.state === 'OK' ? c.OKActions : c.InsufficientDataActions;
    const scope = { accountId: a.accountId, region: a.region };
    for (const target of actions ?? []) {
      const sns = snsAlarmMessage(a, previous.state, now);
      const message = target.startsWith('arn:aws:lambda:') ? lambdaAlarmEvent(a, previous, now) : sns.message;
      this.deps.delivery.enqueue(
        'cloudwatch',
        { targetArn: target, message, sourceService: 'cloudwatch.amazonaws.com', sourceArn: alarmArn(a, a.name), sourceAccount: a.accountId, attributes: { Subject: sns.subject } },
        ACTION_RETRY,
      );
      this.store.addHistory(scope, {
        alarmName: a.name,
        alarmType: a.type,
        ts: now,
        itemType: 'Action',
        summary: `Successfully executed action ${target}`,
        data: JSON.stringify({ actionState: 'Succeeded', stateUpdateTimestamp: now, notificationResource: target, publishedMessage: message }),
      });
    }
  }
}
