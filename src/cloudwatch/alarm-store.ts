import type { PutCompositeAlarmInput, PutMetricAlarmInput, StateValue } from '@aws-sdk/client-cloudwatch';
import type { Db } from '../core/store/db.js';
import type { Scope } from './metric-store.js';

export type AlarmType = 'MetricAlarm' | 'CompositeAlarm';
export type MetricAlarmConfig = Omit<PutMetricAlarmInput, 'Tags'>;
export type CompositeAlarmConfig = Omit<PutCompositeAlarmInput, 'Tags'>;

export interface AlarmRecord {
  id: number;
  accountId: string;
  region: string;
  name: string;
  type: AlarmType;
  config: MetricAlarmConfig | CompositeAlarmConfig;
  actionsEnabled: boolean;
  state: StateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdated: number;
  stateTransitioned: number;
  configUpdated: number;
}

interface Row {
  id: number;
  account_id: string;
  region: string;
  name: string;
  type: AlarmType;
  config: string;
  actions_enabled: number;
  state: StateValue;
  state_reason: string;
  state_reason_data: string | null;
  state_updated: number;
  state_transitioned: number;
  config_updated: number;
}

const toRecord = (r: Row): AlarmRecord => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  type: r.type,
  config: JSON.parse(r.config),
  actionsEnabled: r.actions_enabled === 1,
  state: r.state,
  stateReason: r.state_reason,
  ...(r.state_reason_data !== null ? { stateReasonData: r.state_reason_data } : {}),
  stateUpdated: r.state_updated,
  stateTransitioned: r.state_transitioned,
  configUpdated: r.config_updated,
});

export interface HistoryItem {
  alarmName: string;
  alarmType: AlarmType;
  ts: number;
  itemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  data: string;
}

/** Alarms, their history and tags in SQLite. */
export class AlarmStore {
  constructor(private readonly db: Db) {}

  get(scope: Scope, name: string): AlarmRecord | undefined {
    const row = this.db.prepare('SELECT * FROM cw_alarms WHERE account_id = ? AND region = ? AND name = ?').get(scope.accountId, scope.region, name) as Row | undefined;
    return row && toRecord(row);
  }

  list(scope: Scope): AlarmRecord[] {
    return (this.db.prepare('SELECT * FROM cw_alarms WHERE account_id = ? AND region = ? ORDER BY name').all(scope.accountId, scope.region) as Row[]).map(toRecord);
  }

  all(): AlarmRecord[] {
    return (this.db.prepare('SELECT * FROM cw_alarms ORDER BY id').all() as Row[]).map(toRecord);
  }

  /** Creates an alarm in INSUFFICIENT_DATA, or updates its configuration and keeps its state. */
  save(scope: Scope, name: string, type: AlarmType, config: object, actionsEnabled: boolean, now: number): void {
    this.db
      .prepare(
        `INSERT INTO cw_alarms (account_id, region, name, type, config, actions_enabled, state, state_reason, state_updated, state_transitioned, config_updated)
         VALUES (?, ?, ?, ?, ?, ?, 'INSUFFICIENT_DATA', 'Unchecked: Initial alarm creation', ?, ?, ?)
         ON CONFLICT (account_id, region, name) DO UPDATE SET type = excluded.type, config = excluded.config,
           actions_enabled = excluded.actions_enabled, config_updated = excluded.config_updated`,
      )
      .run(scope.accountId, scope.region, name, type, JSON.stringify(config), actionsEnabled ? 1 : 0, now, now, now);
  }

  setState(id: number, state: StateValue, reason: string, reasonData: string | undefined, now: number, transitioned: boolean): void {
    this.db
      .prepare(
        `UPDATE cw_alarms SET state = ?, state_reason = ?, state_reason_data = ?, state_updated = ?,
           state_transitioned = CASE WHEN ? THEN ? ELSE state_transitioned END WHERE id = ?`,
      )
      .run(state, reason, reasonData ?? null, now, transitioned ? 1 : 0, now, id);
  }

  setActionsEnabled(scope: Scope, names: string[], enabled: boolean): void {
    const stmt = this.db.prepare('UPDATE cw_alarms SET actions_enabled = ? WHERE account_id = ? AND region = ? AND name = ?');
    for (const name of names) stmt.run(enabled ? 1 : 0, scope.accountId, scope.region, name);
  }

  delete(scope: Scope, name: string): void {
    this.db.prepare('DELETE FROM cw_alarms WHERE account_id = ? AND region = ? AND name = ?').run(scope.accountId, scope.region, name);
  }

  addHistory(scope: Scope, item: HistoryItem): void {
    this.db
      .prepare('INSERT INTO cw_alarm_history (account_id, region, alarm_name, alarm_type, ts, item_type, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(scope.accountId, scope.region, item.alarmName, item.alarmType, item.ts, item.itemType, item.summary, item.data);
  }

  history(scope: Scope, alarmName: string | undefined): HistoryItem[] {
    const rows = this.db
      .prepare(
        `SELECT alarm_name, alarm_type, ts, item_type, summary, data FROM cw_alarm_history WHERE account_id = ? AND region = ?
         AND (? IS NULL OR alarm_name = ?) ORDER BY ts DESC, id DESC`,
      )
      .all(scope.accountId, scope.region, alarmName ?? null, alarmName ?? null) as { alarm_name: string; alarm_type: AlarmType; ts: number; item_type: HistoryItem['itemType']; summary: string; data: string }[];
    return rows.map((r) => ({ alarmName: r.alarm_name, alarmType: r.alarm_type, ts: r.ts, itemType: r.item_type, summary: r.summary, data: r.data }));
  }

  /** History is kept two weeks, as CloudWatch keeps it. */
  purgeHistory(before: number): void {
    this.db.prepare('DELETE FROM cw_alarm_history WHERE ts < ?').run(before);
  }

  tags(arn: string): Record<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM cw_tags WHERE arn = ? ORDER BY key').all(arn) as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  putTags(arn: string, tags: Record<string, string>): void {
    const stmt = this.db.prepare('INSERT INTO cw_tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value');
    for (const [k, v] of Object.entries(tags)) stmt.run(arn, k, v);
  }

  removeTags(arn: string, keys?: string[]): void {
    if (keys === undefined) this.db.prepare('DELETE FROM cw_tags WHERE arn = ?').run(arn);
    else for (const k of keys) this.db.prepare('DELETE FROM cw_tags WHERE arn = ? AND key = ?').run(arn, k);
  }
}
