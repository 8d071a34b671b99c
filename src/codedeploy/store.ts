import type { Tag } from '@aws-sdk/client-codedeploy';
import type { Db } from '../core/store/db.js';
import type {
  ApplicationRecord,
  CommandRecord,
  CommandStatus,
  ConfigRecord,
  DeploymentRecord,
  GroupRecord,
  InstanceRecord,
  RevisionRecord,
  Scope,
  TargetRecord,
} from './records.js';

interface DataRow {
  data: string;
}

const parse = <T>(row: DataRow | undefined): T | undefined => (row ? (JSON.parse(row.data) as T) : undefined);
const parseAll = <T>(rows: unknown[]): T[] => (rows as DataRow[]).map((r) => JSON.parse(r.data) as T);

interface CommandRow {
  id: string;
  deployment_id: string;
  target_id: string;
  host_id: string;
  name: string;
  status: CommandStatus;
  nonce: number;
  created_at: number;
  dispatched_at: number | null;
  acked_at: number | null;
}

function toCommand(row: CommandRow): CommandRecord {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    targetId: row.target_id,
    hostId: row.host_id,
    name: row.name,
    status: row.status,
    nonce: row.nonce,
    createdAt: row.created_at,
    ...(row.dispatched_at !== null ? { dispatchedAt: row.dispatched_at } : {}),
    ...(row.acked_at !== null ? { ackedAt: row.acked_at } : {}),
  };
}

/** CodeDeploy's rows, read and written as records. */
export class CodeDeployStore {
  constructor(readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // Applications

  application(s: Scope, name: string): ApplicationRecord | undefined {
    return parse(this.db.prepare('SELECT data FROM codedeploy_applications WHERE account_id = ? AND region = ? AND name = ?').get(s.accountId, s.region, name) as DataRow);
  }

  applications(s: Scope): ApplicationRecord[] {
    return parseAll(this.db.prepare('SELECT data FROM codedeploy_applications WHERE account_id = ? AND region = ? ORDER BY name').all(s.accountId, s.region));
  }

  putApplication(s: Scope, app: ApplicationRecord): void {
    this.db
      .prepare('INSERT INTO codedeploy_applications (account_id, region, name, data) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET data = excluded.data')
      .run(s.accountId, s.region, app.applicationName, JSON.stringify(app));
  }

  renameApplication(s: Scope, from: string, app: ApplicationRecord): void {
    this.transaction(() => {
      this.db.prepare('UPDATE codedeploy_applications SET name = ?, data = ? WHERE account_id = ? AND region = ? AND name = ?').run(app.applicationName, JSON.stringify(app), s.accountId, s.region, from);
      for (const g of this.groups(s, from)) this.putGroup(s, { ...g, applicationName: app.applicationName });
      this.db.prepare('UPDATE codedeploy_revisions SET application = ? WHERE account_id = ? AND region = ? AND application = ?').run(app.applicationName, s.accountId, s.region, from);
    });
  }

  deleteApplication(s: Scope, name: string): void {
    this.transaction(() => {
      this.db.prepare('DELETE FROM codedeploy_applications WHERE account_id = ? AND region = ? AND name = ?').run(s.accountId, s.region, name);
      this.db.prepare('DELETE FROM codedeploy_groups WHERE account_id = ? AND region = ? AND application = ?').run(s.accountId, s.region, name);
      this.db.prepare('DELETE FROM codedeploy_revisions WHERE account_id = ? AND region = ? AND application = ?').run(s.accountId, s.region, name);
    });
  }

  // On-premises instances

  instance(s: Scope, name: string): InstanceRecord | undefined {
    return parse(this.db.prepare('SELECT data FROM codedeploy_instances WHERE account_id = ? AND region = ? AND name = ?').get(s.accountId, s.region, name) as DataRow);
  }

  instances(s: Scope): InstanceRecord[] {
    return parseAll(this.db.prepare('SELECT data FROM codedeploy_instances WHERE account_id = ? AND region = ? ORDER BY name').all(s.accountId, s.region));
  }

  /** The registered instance whose agent identifies itself as `hostId` (its IAM user or session ARN). */
  instanceByHost(hostId: string): InstanceRecord | undefined {
    return parse(this.db.prepare('SELECT data FROM codedeploy_instances WHERE host_id = ? AND registered = 1').get(hostId) as DataRow);
  }

  putInstance(s: Scope, i: InstanceRecord): void {
    this.db
      .prepare(
        'INSERT INTO codedeploy_instances (account_id, region, name, host_id, registered, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET host_id = excluded.host_id, registered = excluded.registered, data = excluded.data',
      )
      .run(s.accountId, s.region, i.instanceName, i.iamUserArn ?? i.iamSessionArn ?? '', i.deregisterTime === undefined ? 1 : 0, JSON.stringify(i));
  }

  // Deployment groups

  group(s: Scope, application: string, name: string): GroupRecord | undefined {
    return parse(
      this.db.prepare('SELECT data FROM codedeploy_groups WHERE account_id = ? AND region = ? AND application = ? AND name = ?').get(s.accountId, s.region, application, name) as DataRow,
    );
  }

  groupById(id: string): GroupRecord | undefined {
    return parse(this.db.prepare('SELECT data FROM codedeploy_groups WHERE id = ?').get(id) as DataRow);
  }

  groups(s: Scope, application: string): GroupRecord[] {
    return parseAll(this.db.prepare('SELECT data FROM codedeploy_groups WHERE account_id = ? AND region = ? AND application = ? ORDER BY name').all(s.accountId, s.region, application));
  }

  /** Writes a group by its id, so an update may rename it or move it with its application. */
  putGroup(s: Scope, g: GroupRecord): void {
    this.db.prepare('DELETE FROM codedeploy_groups WHERE id = ?').run(g.deploymentGroupId);
    this.db
      .prepare('INSERT INTO codedeploy_groups (account_id, region, application, name, id, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.accountId, s.region, g.applicationName, g.deploymentGroupName, g.deploymentGroupId, JSON.stringify(g));
  }

  deleteGroup(id: string): void {
    this.db.prepare('DELETE FROM codedeploy_groups WHERE id = ?').run(id);
  }

  // Deployment configurations (custom ones; the built-ins are data)

  config(s: Scope, name: string): ConfigRecord | undefined {
    return parse(this.db.prepare('SELECT data FROM codedeploy_configs WHERE account_id = ? AND region = ? AND name = ?').get(s.accountId, s.region, name) as DataRow);
  }

  configs(s: Scope): ConfigRecord[] {
    return parseAll(this.db.prepare('SELECT data FROM codedeploy_configs WHERE account_id = ? AND region = ? ORDER BY name').all(s.accountId, s.region));
  }

  putConfig(s: Scope, c: ConfigRecord): void {
    this.db.prepare('INSERT INTO codedeploy_configs (account_id, region, name, data) VALUES (?, ?, ?, ?)').run(s.accountId, s.region, c.deploymentConfigName, JSON.stringify(c));
  }

  deleteConfig(s: Scope, name: string): void {
    this.db.prepare('DELETE FROM codedeploy_configs WHERE account_id = ? AND region = ? AND name = ?').run(s.accountId, s.region, name);
  }

  configInUse(s: Scope, name: string): boolean {
    const rows = this.db.prepare('SELECT data FROM codedeploy_groups WHERE account_id = ? AND region = ?').all(s.accountId, s.region);
    return parseAll<GroupRecord>(rows).some((g) => g.settings.deploymentConfigName === name);
  }

  // Revisions

  revision(s: Scope, application: string, key: string): RevisionRecord | undefined {
    return parse(
      this.db
        .prepare('SELECT data FROM codedeploy_revisions WHERE account_id = ? AND region = ? AND application = ? AND revision_key = ?')
        .get(s.accountId, s.region, application, key) as DataRow,
    );
  }

  revisions(s: Scope, application: string): RevisionRecord[] {
    return parseAll(this.db.prepare('SELECT data FROM codedeploy_revisions WHERE account_id = ? AND region = ? AND application = ?').all(s.accountId, s.region, application));
  }

  putRevision(s: Scope, application: string, key: string, r: RevisionRecord): void {
    this.db
      .prepare('INSERT INTO codedeploy_revisions (account_id, region, application, revision_key, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET data = excluded.data')
      .run(s.accountId, s.region, application, key, JSON.stringify(r));
  }

  // Deployments

  deployment(id: string): (DeploymentRecord & Scope) | undefined {
    const row = this.db.prepare('SELECT account_id, region, data FROM codedeploy_deployments WHERE id = ?').get(id) as (DataRow & { account_id: string; region: string }) | undefined;
    return row ? { ...(JSON.parse(row.data) as DeploymentRecord), accountId: row.account_id, region: row.region } : undefined;
  }

  insertDeployment(s: Scope, d: DeploymentRecord): void {
    this.db
      .prepare('INSERT INTO codedeploy_deployments (id, account_id, region, application, group_name, group_id, status, create_time, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(d.deploymentId, s.accountId, s.region, d.applicationName, d.deploymentGroupName, d.deploymentGroupId, d.status, d.createTime, JSON.stringify(d));
  }

  updateDeployment(d: DeploymentRecord): void {
    const { accountId: _a, region: _r, ...record } = d as DeploymentRecord & Partial<Scope>;
    this.db.prepare('UPDATE codedeploy_deployments SET status = ?, data = ? WHERE id = ?').run(d.status, JSON.stringify(record), d.deploymentId);
  }

  /** Deployments of a scope, newest first, optionally of one application and group. */
  deployments(s: Scope, application?: string, group?: string): DeploymentRecord[] {
    let sql = 'SELECT data FROM codedeploy_deployments WHERE account_id = ? AND region = ?';
    const args: string[] = [s.accountId, s.region];
    if (application !== undefined) {
      sql += ' AND application = ?';
      args.push(application);
    }
    if (group !== undefined) {
      sql += ' AND group_name = ?';
      args.push(group);
    }
    return parseAll(this.db.prepare(`${sql} ORDER BY create_time DESC, rowid DESC`).all(...args));
  }

  activeDeployment(groupId: string): DeploymentRecord | undefined {
    return parse(
      this.db.prepare("SELECT data FROM codedeploy_deployments WHERE group_id = ? AND status NOT IN ('Succeeded', 'Failed', 'Stopped') ORDER BY create_time LIMIT 1").get(groupId) as DataRow,
    );
  }

  unfinishedDeploymentIds(): string[] {
    return (this.db.prepare("SELECT id FROM codedeploy_deployments WHERE status NOT IN ('Succeeded', 'Failed', 'Stopped')").all() as { id: string }[]).map((r) => r.id);
  }

  // Targets

  targets(deploymentId: string): TargetRecord[] {
    return parseAll(this.db.prepare('SELECT data FROM codedeploy_targets WHERE deployment_id = ? ORDER BY position').all(deploymentId));
  }

  target(deploymentId: string, targetId: string): TargetRecord | undefined {
    return parse(this.db.prepare('SELECT data FROM codedeploy_targets WHERE deployment_id = ? AND target_id = ?').get(deploymentId, targetId) as DataRow);
  }

  putTarget(t: TargetRecord): void {
    this.db
      .prepare(
        'INSERT INTO codedeploy_targets (deployment_id, target_id, position, host_id, status, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET status = excluded.status, data = excluded.data',
      )
      .run(t.deploymentId, t.targetId, t.position, t.hostId, t.status, JSON.stringify(t));
  }

  // Agent commands

  command(id: string): CommandRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codedeploy_commands WHERE id = ?').get(id) as CommandRow | undefined;
    return row && toCommand(row);
  }

  insertCommand(c: CommandRecord): void {
    this.db
      .prepare('INSERT INTO codedeploy_commands (id, deployment_id, target_id, host_id, name, status, nonce, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.id, c.deploymentId, c.targetId, c.hostId, c.name, c.status, c.nonce, c.createdAt);
  }

  setCommandStatus(id: string, status: CommandStatus, at?: { dispatchedAt?: number; ackedAt?: number }): void {
    this.db
      .prepare('UPDATE codedeploy_commands SET status = ?, dispatched_at = COALESCE(?, dispatched_at), acked_at = COALESCE(?, acked_at) WHERE id = ?')
      .run(status, at?.dispatchedAt ?? null, at?.ackedAt ?? null, id);
  }

  /** The command of a target that has not finished, if any. */
  openCommand(deploymentId: string, targetId: string): CommandRecord | undefined {
    const row = this.db
      .prepare("SELECT * FROM codedeploy_commands WHERE deployment_id = ? AND target_id = ? AND status IN ('Pending', 'Dispatched', 'InProgress') ORDER BY created_at DESC LIMIT 1")
      .get(deploymentId, targetId) as CommandRow | undefined;
    return row && toCommand(row);
  }

  /**
   * The next command a host may be given: the oldest pending one, and only while none of its
   * commands is out with the agent, so one host runs one lifecycle event at a time.
   */
  nextCommandFor(hostId: string): CommandRecord | undefined {
    const busy = this.db.prepare("SELECT 1 FROM codedeploy_commands WHERE host_id = ? AND status IN ('Dispatched', 'InProgress') LIMIT 1").get(hostId);
    if (busy) return undefined;
    const row = this.db.prepare("SELECT * FROM codedeploy_commands WHERE host_id = ? AND status = 'Pending' ORDER BY created_at, rowid LIMIT 1").get(hostId) as CommandRow | undefined;
    return row && toCommand(row);
  }

  // Installs: which deployment last installed a group's revision on an instance

  lastInstall(groupId: string, targetId: string): string | undefined {
    return (this.db.prepare('SELECT deployment_id FROM codedeploy_installs WHERE group_id = ? AND target_id = ?').get(groupId, targetId) as { deployment_id: string } | undefined)?.deployment_id;
  }

  recordInstall(groupId: string, targetId: string, deploymentId: string): void {
    this.db
      .prepare('INSERT INTO codedeploy_installs (group_id, target_id, deployment_id) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET deployment_id = excluded.deployment_id')
      .run(groupId, targetId, deploymentId);
  }

  // Resource tags

  tags(arn: string): Tag[] {
    return (this.db.prepare('SELECT key, value FROM codedeploy_tags WHERE arn = ? ORDER BY rowid').all(arn) as { key: string; value: string }[]).map((r) => ({ Key: r.key, Value: r.value }));
  }

  putTags(arn: string, tags: Tag[]): void {
    const stmt = this.db.prepare('INSERT INTO codedeploy_tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value');
    for (const t of tags) stmt.run(arn, t.Key ?? '', t.Value ?? '');
  }

  removeTags(arn: string, keys: string[]): void {
    const stmt = this.db.prepare('DELETE FROM codedeploy_tags WHERE arn = ? AND key = ?');
    for (const k of keys) stmt.run(arn, k);
  }

  dropTags(arn: string): void {
    this.db.prepare('DELETE FROM codedeploy_tags WHERE arn = ?').run(arn);
  }
}
