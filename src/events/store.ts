import type { Target } from '@aws-sdk/client-eventbridge';
import type { Db } from '../core/store/db.js';
import type { Scope } from './arns.js';

export interface BusRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  kms_key_identifier: string | null;
  dead_letter_arn: string | null;
  log_config: string | null;
  created_at: number;
  updated_at: number;
}

export interface RuleRow {
  id: number;
  bus_id: number;
  name: string;
  arn: string;
  event_pattern: string | null;
  schedule_expression: string | null;
  state: string;
  description: string | null;
  role_arn: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface TargetRow {
  rule_id: number;
  target_id: string;
  arn: string;
  spec: string;
  position: number;
}

export interface ReceivedRow {
  seq: number;
  id: string;
  account_id: string;
  region: string;
  bus_name: string;
  origin: string;
  envelope: string;
  matched_rules: string;
  note: string | null;
  received_at: number;
}

export interface AttemptRow {
  seq: number;
  event_id: string;
  rule_arn: string;
  target_id: string;
  target_arn: string;
  attempt: number;
  at: number;
  outcome: string;
  detail: string | null;
}

/** The EventBridge tables and the queries over them. */
export class EventsStore {
  constructor(readonly db: Db) {}

  findBus(scope: Scope, name: string): BusRow | undefined {
    return this.db.prepare('SELECT * FROM events_buses WHERE account_id = ? AND region = ? AND name = ?').get(scope.accountId, scope.region, name) as
      | BusRow
      | undefined;
  }

  busById(id: number): BusRow | undefined {
    return this.db.prepare('SELECT * FROM events_buses WHERE id = ?').get(id) as BusRow | undefined;
  }

  listBuses(scope: Scope): BusRow[] {
    return this.db.prepare('SELECT * FROM events_buses WHERE account_id = ? AND region = ? ORDER BY name').all(scope.accountId, scope.region) as BusRow[];
  }

  insertBus(row: Omit<BusRow, 'id'>): BusRow {
    const id = Number(
      this.db
        .prepare(
          'INSERT INTO events_buses (account_id, region, name, description, kms_key_identifier, dead_letter_arn, log_config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(row.account_id, row.region, row.name, row.description, row.kms_key_identifier, row.dead_letter_arn, row.log_config, row.created_at, row.updated_at)
        .lastInsertRowid,
    );
    return { ...row, id };
  }

  updateBus(row: BusRow): void {
    this.db
      .prepare('UPDATE events_buses SET description = ?, kms_key_identifier = ?, dead_letter_arn = ?, log_config = ?, updated_at = ? WHERE id = ?')
      .run(row.description, row.kms_key_identifier, row.dead_letter_arn, row.log_config, row.updated_at, row.id);
  }

  deleteBus(id: number): void {
    this.db.prepare('DELETE FROM events_buses WHERE id = ?').run(id);
  }

  findRule(busId: number, name: string): RuleRow | undefined {
    return this.db.prepare('SELECT * FROM events_rules WHERE bus_id = ? AND name = ?').get(busId, name) as RuleRow | undefined;
  }

  ruleByArn(arn: string): RuleRow | undefined {
    return this.db.prepare('SELECT * FROM events_rules WHERE arn = ?').get(arn) as RuleRow | undefined;
  }

  listRules(busId: number): RuleRow[] {
    return this.db.prepare('SELECT * FROM events_rules WHERE bus_id = ? ORDER BY name').all(busId) as RuleRow[];
  }

  /** Rules that look at events on a bus (enabled, with a pattern). */
  patternRules(busId: number): RuleRow[] {
    return this.db
      .prepare("SELECT * FROM events_rules WHERE bus_id = ? AND event_pattern IS NOT NULL AND state != 'DISABLED' ORDER BY name")
      .all(busId) as RuleRow[];
  }

  upsertRule(row: Omit<RuleRow, 'id'>): RuleRow {
    this.db
      .prepare(
        `INSERT INTO events_rules (bus_id, name, arn, event_pattern, schedule_expression, state, description, role_arn, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (bus_id, name) DO UPDATE SET event_pattern = excluded.event_pattern, schedule_expression = excluded.schedule_expression,
           state = excluded.state, description = excluded.description, role_arn = excluded.role_arn, updated_at = excluded.updated_at`,
      )
      .run(row.bus_id, row.name, row.arn, row.event_pattern, row.schedule_expression, row.state, row.description, row.role_arn, row.created_by, row.created_at, row.updated_at);
    return this.findRule(row.bus_id, row.name)!;
  }

  setRuleState(id: number, state: string, now: number): void {
    this.db.prepare('UPDATE events_rules SET state = ?, updated_at = ? WHERE id = ?').run(state, now, id);
  }

  deleteRule(rule: RuleRow): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM events_rules WHERE id = ?').run(rule.id);
      this.deleteTags(rule.arn);
    })();
  }

  targets(ruleId: number): TargetRow[] {
    return this.db.prepare('SELECT * FROM events_targets WHERE rule_id = ? ORDER BY position, target_id').all(ruleId) as TargetRow[];
  }

  putTarget(ruleId: number, target: Target): void {
    const position = (this.db.prepare('SELECT COALESCE(MAX(position), 0) + 1 FROM events_targets WHERE rule_id = ?').pluck().get(ruleId) as number) ?? 1;
    this.db
      .prepare(
        `INSERT INTO events_targets (rule_id, target_id, arn, spec, position) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (rule_id, target_id) DO UPDATE SET arn = excluded.arn, spec = excluded.spec`,
      )
      .run(ruleId, target.Id, target.Arn, JSON.stringify(target), position);
  }

  removeTarget(ruleId: number, targetId: string): boolean {
    return this.db.prepare('DELETE FROM events_targets WHERE rule_id = ? AND target_id = ?').run(ruleId, targetId).changes > 0;
  }

  /** Rules of a bus with a target of this ARN. */
  rulesByTarget(busId: number, arn: string): string[] {
    return this.db
      .prepare('SELECT DISTINCT r.name FROM events_rules r JOIN events_targets t ON t.rule_id = r.id WHERE r.bus_id = ? AND t.arn = ? ORDER BY r.name')
      .pluck()
      .all(busId, arn) as string[];
  }

  tags(arn: string): { Key: string; Value: string }[] {
    const rows = this.db.prepare('SELECT key, value FROM events_tags WHERE resource_arn = ? ORDER BY key').all(arn) as { key: string; value: string }[];
    return rows.map((r) => ({ Key: r.key, Value: r.value }));
  }

  putTags(arn: string, tags: { Key?: string; Value?: string }[]): void {
    const put = this.db.prepare('INSERT INTO events_tags (resource_arn, key, value) VALUES (?, ?, ?) ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value');
    for (const t of tags) put.run(arn, t.Key, t.Value ?? '');
  }

  removeTags(arn: string, keys: string[]): void {
    const del = this.db.prepare('DELETE FROM events_tags WHERE resource_arn = ? AND key = ?');
    for (const k of keys) del.run(arn, k);
  }

  deleteTags(arn: string): void {
    this.db.prepare('DELETE FROM events_tags WHERE resource_arn = ?').run(arn);
  }

  recordEvent(row: Omit<ReceivedRow, 'seq'>): void {
    this.db
      .prepare(
        'INSERT INTO events_received (id, account_id, region, bus_name, origin, envelope, matched_rules, note, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(row.id, row.account_id, row.region, row.bus_name, row.origin, row.envelope, row.matched_rules, row.note, row.received_at);
  }

  event(id: string): ReceivedRow | undefined {
    return this.db.prepare('SELECT * FROM events_received WHERE id = ?').get(id) as ReceivedRow | undefined;
  }

  recordAttempt(row: Omit<AttemptRow, 'seq'>): void {
    this.db
      .prepare('INSERT INTO events_attempts (event_id, rule_arn, target_id, target_arn, attempt, at, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.event_id, row.rule_arn, row.target_id, row.target_arn, row.attempt, row.at, row.outcome, row.detail);
  }

  recentEvents(limit: number, filter: { source?: string; bus?: string; rule?: string }): ReceivedRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.bus) {
      where.push('bus_name = ?');
      args.push(filter.bus);
    }
    if (filter.source) {
      where.push("json_extract(envelope, '$.source') = ?");
      args.push(filter.source);
    }
    if (filter.rule) {
      where.push("EXISTS (SELECT 1 FROM json_each(matched_rules) WHERE value = ? OR value LIKE '%/' || ?)");
      args.push(filter.rule, filter.rule);
    }
    return this.db
      .prepare(`SELECT * FROM events_received ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`)
      .all(...args, limit) as ReceivedRow[];
  }

  attempts(eventId: string): AttemptRow[] {
    return this.db.prepare('SELECT * FROM events_attempts WHERE event_id = ? ORDER BY seq').all(eventId) as AttemptRow[];
  }

  /** Forgets events (and their attempts) received before `before`, once nothing is left to deliver for them. */
  prune(before: number, pendingEventIds: Set<string>): number {
    const old = this.db.prepare('SELECT id FROM events_received WHERE received_at < ?').pluck().all(before) as string[];
    const gone = old.filter((id) => !pendingEventIds.has(id));
    this.db.transaction(() => {
      for (const id of gone) {
        this.db.prepare('DELETE FROM events_attempts WHERE event_id = ?').run(id);
        this.db.prepare('DELETE FROM events_received WHERE id = ?').run(id);
      }
    })();
    return gone.length;
  }
}
