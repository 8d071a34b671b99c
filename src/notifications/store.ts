import type { Db } from '../core/store/db.js';

export interface Scope {
  accountId: string;
  region: string;
}

export interface RuleRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  resource: string;
  event_type_ids: string;
  detail_type: string;
  status: string;
  created_by: string;
  client_token: string | null;
  tags: string;
  created_at: number;
  updated_at: number;
}

export interface TargetRow {
  account_id: string;
  region: string;
  address: string;
  type: string;
  status: string;
}

/** Notification rules, the targets of an account and region, and which rule sends to which target. */
export class NotificationsStore {
  constructor(readonly db: Db) {}

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  rule(arn: string): RuleRow | undefined {
    return this.db.prepare('SELECT * FROM notifications_rules WHERE arn = ?').get(arn) as RuleRow | undefined;
  }

  ruleByName(scope: Scope, name: string): RuleRow | undefined {
    return this.db.prepare('SELECT * FROM notifications_rules WHERE account_id = ? AND region = ? AND name = ?').get(scope.accountId, scope.region, name) as RuleRow | undefined;
  }

  ruleByToken(scope: Scope, token: string): RuleRow | undefined {
    return this.db.prepare('SELECT * FROM notifications_rules WHERE account_id = ? AND region = ? AND client_token = ?').get(scope.accountId, scope.region, token) as RuleRow | undefined;
  }

  rules(scope: Scope): RuleRow[] {
    return this.db.prepare('SELECT * FROM notifications_rules WHERE account_id = ? AND region = ? ORDER BY created_at, arn').all(scope.accountId, scope.region) as RuleRow[];
  }

  rulesOn(resource: string): RuleRow[] {
    return this.db.prepare("SELECT * FROM notifications_rules WHERE resource = ? AND status = 'ENABLED'").all(resource) as RuleRow[];
  }

  insertRule(row: RuleRow): void {
    this.db
      .prepare(
        `INSERT INTO notifications_rules (arn, account_id, region, name, resource, event_type_ids, detail_type, status, created_by, client_token, tags, created_at, updated_at)
         VALUES (@arn, @account_id, @region, @name, @resource, @event_type_ids, @detail_type, @status, @created_by, @client_token, @tags, @created_at, @updated_at)`,
      )
      .run(row);
  }

  updateRule(row: RuleRow): void {
    this.db
      .prepare('UPDATE notifications_rules SET name = @name, event_type_ids = @event_type_ids, detail_type = @detail_type, status = @status, tags = @tags, updated_at = @updated_at WHERE arn = @arn')
      .run(row);
  }

  deleteRule(arn: string): void {
    this.db.prepare('DELETE FROM notifications_rules WHERE arn = ?').run(arn);
  }

  /** A rule's targets, in the order they were given. */
  ruleTargets(arn: string): TargetRow[] {
    return this.db
      .prepare(
        `SELECT t.* FROM notifications_rule_targets rt
         JOIN notifications_rules r ON r.arn = rt.rule_arn
         JOIN notifications_targets t ON t.account_id = r.account_id AND t.region = r.region AND t.address = rt.address
         WHERE rt.rule_arn = ? ORDER BY rt.position`,
      )
      .all(arn) as TargetRow[];
  }

  /** Rule ARNs that send to a target address. */
  rulesFor(scope: Scope, address: string): string[] {
    return (
      this.db
        .prepare('SELECT rt.rule_arn FROM notifications_rule_targets rt JOIN notifications_rules r ON r.arn = rt.rule_arn WHERE r.account_id = ? AND r.region = ? AND rt.address = ?')
        .all(scope.accountId, scope.region, address) as { rule_arn: string }[]
    ).map((r) => r.rule_arn);
  }

  target(scope: Scope, address: string): TargetRow | undefined {
    return this.db.prepare('SELECT * FROM notifications_targets WHERE account_id = ? AND region = ? AND address = ?').get(scope.accountId, scope.region, address) as TargetRow | undefined;
  }

  targets(scope: Scope): TargetRow[] {
    return this.db.prepare('SELECT * FROM notifications_targets WHERE account_id = ? AND region = ? ORDER BY address').all(scope.accountId, scope.region) as TargetRow[];
  }

  /** Records a target for the account (once) and links it to a rule at a position. */
  attach(scope: Scope, ruleArn: string, target: { address: string; type: string; status: string }, position: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO notifications_targets (account_id, region, address, type, status) VALUES (?, ?, ?, ?, ?)')
      .run(scope.accountId, scope.region, target.address, target.type, target.status);
    this.db.prepare('INSERT OR IGNORE INTO notifications_rule_targets (rule_arn, address, position) VALUES (?, ?, ?)').run(ruleArn, target.address, position);
  }

  detach(ruleArn: string, address: string): void {
    this.db.prepare('DELETE FROM notifications_rule_targets WHERE rule_arn = ? AND address = ?').run(ruleArn, address);
  }

  detachAll(ruleArn: string): void {
    this.db.prepare('DELETE FROM notifications_rule_targets WHERE rule_arn = ?').run(ruleArn);
  }

  deleteTarget(scope: Scope, address: string): void {
    this.db.prepare('DELETE FROM notifications_rule_targets WHERE address = ? AND rule_arn IN (SELECT arn FROM notifications_rules WHERE account_id = ? AND region = ?)').run(address, scope.accountId, scope.region);
    this.db.prepare('DELETE FROM notifications_targets WHERE account_id = ? AND region = ? AND address = ?').run(scope.accountId, scope.region, address);
  }

  nextPosition(ruleArn: string): number {
    const row = this.db.prepare('SELECT MAX(position) AS p FROM notifications_rule_targets WHERE rule_arn = ?').get(ruleArn) as { p: number | null };
    return (row.p ?? -1) + 1;
  }
}

export const scopeOf = (ctx: Scope): Scope => ({ accountId: ctx.accountId, region: ctx.region });
