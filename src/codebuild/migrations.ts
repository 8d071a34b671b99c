import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE codebuild_projects (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        doc TEXT NOT NULL,
        build_counter INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
      CREATE TABLE codebuild_builds (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        project_name TEXT NOT NULL,
        build_number INTEGER NOT NULL,
        start_time INTEGER NOT NULL,
        complete INTEGER NOT NULL DEFAULT 0,
        current_phase TEXT NOT NULL,
        doc TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX codebuild_builds_scope ON codebuild_builds (account_id, region, start_time);
      CREATE INDEX codebuild_builds_project ON codebuild_builds (account_id, region, project_name, start_time);
      CREATE INDEX codebuild_builds_open ON codebuild_builds (complete);
      CREATE TABLE codebuild_idempotency (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        token TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        build_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, token)
      );
      CREATE TABLE codebuild_report_groups (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE codebuild_reports (
        arn TEXT PRIMARY KEY,
        report_group_arn TEXT NOT NULL,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        status TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX codebuild_reports_group ON codebuild_reports (report_group_arn, created_at);
      CREATE INDEX codebuild_reports_scope ON codebuild_reports (account_id, region, created_at);
      CREATE TABLE codebuild_test_cases (
        report_arn TEXT NOT NULL,
        seq INTEGER NOT NULL,
        status TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (report_arn, seq)
      );
      CREATE TABLE codebuild_code_coverages (
        report_arn TEXT NOT NULL,
        id TEXT NOT NULL,
        file_path TEXT NOT NULL,
        line_pct REAL NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (report_arn, id)
      );
      CREATE TABLE codebuild_resource_policies (
        resource_arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        policy TEXT NOT NULL
      );
      CREATE TABLE codebuild_source_credentials (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        server_type TEXT NOT NULL,
        auth_type TEXT NOT NULL,
        username TEXT,
        token TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
];
