import type { Db } from '../core/store/db.js';
import type { Scope } from './arns.js';
import type { BuildRecord, ProjectDoc, ProjectRecord } from './records.js';

interface ProjectRow {
  account_id: string;
  region: string;
  name: string;
  doc: string;
  build_counter: number;
  created_at: number;
  updated_at: number;
}

const projectFrom = (r: ProjectRow): ProjectRecord => ({
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  buildCounter: r.build_counter,
  doc: JSON.parse(r.doc) as ProjectDoc,
});

export interface ReportGroupRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  doc: string;
  created_at: number;
  updated_at: number;
}

export interface ReportRow {
  arn: string;
  report_group_arn: string;
  account_id: string;
  region: string;
  status: string;
  doc: string;
  created_at: number;
}

/** CodeBuild's tables. Documents are JSON in the shapes of records.ts; columns are what queries need. */
export class CodeBuildStore {
  constructor(readonly db: Db) {}

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  // Projects

  project(s: Scope, name: string): ProjectRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codebuild_projects WHERE account_id = ? AND region = ? AND name = ?').get(s.accountId, s.region, name) as
      | ProjectRow
      | undefined;
    return row && projectFrom(row);
  }

  projects(s: Scope): ProjectRecord[] {
    return (this.db.prepare('SELECT * FROM codebuild_projects WHERE account_id = ? AND region = ?').all(s.accountId, s.region) as ProjectRow[]).map(projectFrom);
  }

  insertProject(s: Scope, name: string, doc: ProjectDoc, now: number): void {
    this.db
      .prepare('INSERT INTO codebuild_projects (account_id, region, name, doc, build_counter, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)')
      .run(s.accountId, s.region, name, JSON.stringify(doc), now, now);
  }

  updateProject(s: Scope, name: string, doc: ProjectDoc, now: number): void {
    this.db.prepare('UPDATE codebuild_projects SET doc = ?, updated_at = ? WHERE account_id = ? AND region = ? AND name = ?').run(JSON.stringify(doc), now, s.accountId, s.region, name);
  }

  deleteProject(s: Scope, name: string): boolean {
    return this.db.prepare('DELETE FROM codebuild_projects WHERE account_id = ? AND region = ? AND name = ?').run(s.accountId, s.region, name).changes > 0;
  }

  /** The next build number of a project: one more than the last, whatever was deleted since. */
  nextBuildNumber(s: Scope, name: string): number {
    this.db.prepare('UPDATE codebuild_projects SET build_counter = build_counter + 1 WHERE account_id = ? AND region = ? AND name = ?').run(s.accountId, s.region, name);
    return this.db.prepare('SELECT build_counter FROM codebuild_projects WHERE account_id = ? AND region = ? AND name = ?').pluck().get(s.accountId, s.region, name) as number;
  }

  // Builds

  build(id: string): BuildRecord | undefined {
    const doc = this.db.prepare('SELECT doc FROM codebuild_builds WHERE id = ?').pluck().get(id) as string | undefined;
    return doc === undefined ? undefined : (JSON.parse(doc) as BuildRecord);
  }

  insertBuild(b: BuildRecord, now: number): void {
    this.db
      .prepare(
        'INSERT INTO codebuild_builds (id, account_id, region, project_name, build_number, start_time, complete, current_phase, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(b.id, b.accountId, b.region, b.projectName, b.buildNumber, b.startTime, b.buildComplete ? 1 : 0, b.currentPhase, JSON.stringify(b), now);
  }

  saveBuild(b: BuildRecord, now: number): void {
    this.db
      .prepare('UPDATE codebuild_builds SET complete = ?, current_phase = ?, doc = ?, updated_at = ? WHERE id = ?')
      .run(b.buildComplete ? 1 : 0, b.currentPhase, JSON.stringify(b), now, b.id);
  }

  deleteBuild(id: string): void {
    this.db.prepare('DELETE FROM codebuild_builds WHERE id = ?').run(id);
  }

  buildIds(s: Scope, order: 'ASCENDING' | 'DESCENDING', project?: string): string[] {
    const dir = order === 'ASCENDING' ? 'ASC' : 'DESC';
    return (
      project === undefined
        ? this.db.prepare(`SELECT id FROM codebuild_builds WHERE account_id = ? AND region = ? ORDER BY start_time ${dir}, build_number ${dir}, id ${dir}`).pluck().all(s.accountId, s.region)
        : this.db
            .prepare(`SELECT id FROM codebuild_builds WHERE account_id = ? AND region = ? AND project_name = ? ORDER BY start_time ${dir}, build_number ${dir}, id ${dir}`)
            .pluck()
            .all(s.accountId, s.region, project)
    ) as string[];
  }

  /** Whether any build ever ran in a container (the doc records its id once provisioned). */
  hasContainers(): boolean {
    return this.db.prepare(`SELECT 1 FROM codebuild_builds WHERE json_extract(doc, '$.containerId') IS NOT NULL LIMIT 1`).get() !== undefined;
  }

  openBuilds(): BuildRecord[] {
    return (this.db.prepare('SELECT doc FROM codebuild_builds WHERE complete = 0 ORDER BY start_time').pluck().all() as string[]).map((d) => JSON.parse(d) as BuildRecord);
  }

  /** Builds of a project that left the queue and have not completed. */
  runningCount(s: Scope, project: string): number {
    return this.db
      .prepare("SELECT COUNT(*) FROM codebuild_builds WHERE account_id = ? AND region = ? AND project_name = ? AND complete = 0 AND current_phase NOT IN ('SUBMITTED', 'QUEUED')")
      .pluck()
      .get(s.accountId, s.region, project) as number;
  }

  queuedBuildIds(s: Scope, project: string): string[] {
    return this.db
      .prepare("SELECT id FROM codebuild_builds WHERE account_id = ? AND region = ? AND project_name = ? AND complete = 0 AND current_phase IN ('SUBMITTED', 'QUEUED') ORDER BY start_time, build_number")
      .pluck()
      .all(s.accountId, s.region, project) as string[];
  }

  // Idempotency tokens

  idempotent(s: Scope, token: string, since: number): { request_hash: string; build_id: string } | undefined {
    return this.db
      .prepare('SELECT request_hash, build_id FROM codebuild_idempotency WHERE account_id = ? AND region = ? AND token = ? AND created_at >= ?')
      .get(s.accountId, s.region, token, since) as { request_hash: string; build_id: string } | undefined;
  }

  rememberToken(s: Scope, token: string, hash: string, buildId: string, now: number): void {
    this.db
      .prepare(
        'INSERT INTO codebuild_idempotency (account_id, region, token, request_hash, build_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, region, token) DO UPDATE SET request_hash = excluded.request_hash, build_id = excluded.build_id, created_at = excluded.created_at',
      )
      .run(s.accountId, s.region, token, hash, buildId, now);
  }

  // Report groups and reports

  reportGroup(arn: string): ReportGroupRow | undefined {
    return this.db.prepare('SELECT * FROM codebuild_report_groups WHERE arn = ?').get(arn) as ReportGroupRow | undefined;
  }

  reportGroups(s: Scope): ReportGroupRow[] {
    return this.db.prepare('SELECT * FROM codebuild_report_groups WHERE account_id = ? AND region = ?').all(s.accountId, s.region) as ReportGroupRow[];
  }

  insertReportGroup(row: ReportGroupRow): void {
    this.db
      .prepare('INSERT INTO codebuild_report_groups (arn, account_id, region, name, doc, created_at, updated_at) VALUES (@arn, @account_id, @region, @name, @doc, @created_at, @updated_at)')
      .run(row);
  }

  updateReportGroup(arn: string, doc: string, now: number): void {
    this.db.prepare('UPDATE codebuild_report_groups SET doc = ?, updated_at = ? WHERE arn = ?').run(doc, now, arn);
  }

  deleteReportGroup(arn: string): void {
    this.transaction(() => {
      for (const report of this.db.prepare('SELECT arn FROM codebuild_reports WHERE report_group_arn = ?').pluck().all(arn) as string[]) this.deleteReport(report);
      this.db.prepare('DELETE FROM codebuild_report_groups WHERE arn = ?').run(arn);
    });
  }

  report(arn: string): ReportRow | undefined {
    return this.db.prepare('SELECT * FROM codebuild_reports WHERE arn = ?').get(arn) as ReportRow | undefined;
  }

  reports(s: Scope, order: 'ASC' | 'DESC', groupArn?: string): ReportRow[] {
    return (
      groupArn === undefined
        ? this.db.prepare(`SELECT * FROM codebuild_reports WHERE account_id = ? AND region = ? ORDER BY created_at ${order}, arn ${order}`).all(s.accountId, s.region)
        : this.db.prepare(`SELECT * FROM codebuild_reports WHERE report_group_arn = ? ORDER BY created_at ${order}, arn ${order}`).all(groupArn)
    ) as ReportRow[];
  }

  insertReport(row: ReportRow): void {
    this.db
      .prepare('INSERT INTO codebuild_reports (arn, report_group_arn, account_id, region, status, doc, created_at) VALUES (@arn, @report_group_arn, @account_id, @region, @status, @doc, @created_at)')
      .run(row);
  }

  updateReport(arn: string, status: string, doc: string): void {
    this.db.prepare('UPDATE codebuild_reports SET status = ?, doc = ? WHERE arn = ?').run(status, doc, arn);
  }

  deleteReport(arn: string): void {
    this.db.prepare('DELETE FROM codebuild_test_cases WHERE report_arn = ?').run(arn);
    this.db.prepare('DELETE FROM codebuild_code_coverages WHERE report_arn = ?').run(arn);
    this.db.prepare('DELETE FROM codebuild_reports WHERE arn = ?').run(arn);
  }

  insertTestCases(reportArn: string, cases: { status: string; doc: string }[]): void {
    const insert = this.db.prepare('INSERT INTO codebuild_test_cases (report_arn, seq, status, doc) VALUES (?, ?, ?, ?)');
    cases.forEach((c, i) => insert.run(reportArn, i, c.status, c.doc));
  }

  testCases(reportArn: string): { seq: number; status: string; doc: string }[] {
    return this.db.prepare('SELECT seq, status, doc FROM codebuild_test_cases WHERE report_arn = ? ORDER BY seq').all(reportArn) as { seq: number; status: string; doc: string }[];
  }

  insertCoverages(reportArn: string, rows: { id: string; filePath: string; linePct: number; doc: string }[]): void {
    const insert = this.db.prepare('INSERT INTO codebuild_code_coverages (report_arn, id, file_path, line_pct, doc) VALUES (?, ?, ?, ?, ?)');
    for (const r of rows) insert.run(reportArn, r.id, r.filePath, r.linePct, r.doc);
  }

  coverages(reportArn: string): { id: string; file_path: string; line_pct: number; doc: string }[] {
    return this.db.prepare('SELECT id, file_path, line_pct, doc FROM codebuild_code_coverages WHERE report_arn = ?').all(reportArn) as {
      id: string;
      file_path: string;
      line_pct: number;
      doc: string;
    }[];
  }

  // Resource policies

  policy(arn: string): string | undefined {
    return this.db.prepare('SELECT policy FROM codebuild_resource_policies WHERE resource_arn = ?').pluck().get(arn) as string | undefined;
  }

  putPolicy(s: Scope, arn: string, policy: string): void {
    this.db
      .prepare('INSERT INTO codebuild_resource_policies (resource_arn, account_id, region, policy) VALUES (?, ?, ?, ?) ON CONFLICT (resource_arn) DO UPDATE SET policy = excluded.policy')
      .run(arn, s.accountId, s.region, policy);
  }

  deletePolicy(arn: string): void {
    this.db.prepare('DELETE FROM codebuild_resource_policies WHERE resource_arn = ?').run(arn);
  }

  // Source credentials

  sourceCredentials(s: Scope): { arn: string; server_type: string; auth_type: string; username: string | null }[] {
    return this.db.prepare('SELECT arn, server_type, auth_type, username FROM codebuild_source_credentials WHERE account_id = ? AND region = ? ORDER BY created_at').all(s.accountId, s.region) as {
      arn: string;
      server_type: string;
      auth_type: string;
      username: string | null;
    }[];
  }

  putSourceCredentials(s: Scope, row: { arn: string; serverType: string; authType: string; username?: string; token: string }, now: number): void {
    this.db
      .prepare(
        `INSERT INTO codebuild_source_credentials (arn, account_id, region, server_type, auth_type, username, token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (arn) DO UPDATE SET auth_type = excluded.auth_type, username = excluded.username, token = excluded.token`,
      )
      .run(row.arn, s.accountId, s.region, row.serverType, row.authType, row.username ?? null, row.token, now);
  }

  deleteSourceCredentials(arn: string): boolean {
    return this.db.prepare('DELETE FROM codebuild_source_credentials WHERE arn = ?').run(arn).changes > 0;
  }
}
