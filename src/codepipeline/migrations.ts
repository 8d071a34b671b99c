import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE codepipeline_pipelines (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        declaration TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
      CREATE TABLE codepipeline_tags (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (account_id, region, name, key)
      );
      CREATE TABLE codepipeline_transitions (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        changed_by TEXT NOT NULL,
        changed_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, pipeline, stage)
      );
      CREATE TABLE codepipeline_executions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        pipeline_version INTEGER NOT NULL,
        declaration TEXT NOT NULL,
        seq INTEGER NOT NULL,
        status TEXT NOT NULL,
        status_summary TEXT,
        trigger_type TEXT NOT NULL,
        trigger_detail TEXT,
        execution_mode TEXT NOT NULL,
        variables TEXT NOT NULL,
        source_overrides TEXT NOT NULL,
        stage_index INTEGER NOT NULL,
        stage_entered INTEGER NOT NULL,
        stop_reason TEXT,
        abandon INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX codepipeline_executions_pipeline ON codepipeline_executions (account_id, region, pipeline, seq);
      CREATE TABLE codepipeline_stage_executions (
        execution_id TEXT NOT NULL REFERENCES codepipeline_executions (id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        status TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        floor INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (execution_id, stage)
      );
      CREATE TABLE codepipeline_action_executions (
        id TEXT PRIMARY KEY,
        execution_id TEXT NOT NULL REFERENCES codepipeline_executions (id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        action TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        status TEXT NOT NULL,
        input TEXT NOT NULL,
        output TEXT,
        state TEXT,
        token TEXT,
        external_id TEXT,
        external_url TEXT,
        summary TEXT,
        error_code TEXT,
        error_message TEXT,
        started_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX codepipeline_action_executions_execution ON codepipeline_action_executions (execution_id, stage, action, attempt);
      CREATE TABLE codepipeline_jobs (
        id TEXT PRIMARY KEY,
        action_execution_id TEXT NOT NULL,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        category TEXT NOT NULL,
        owner TEXT NOT NULL,
        provider TEXT NOT NULL,
        version TEXT NOT NULL,
        status TEXT NOT NULL,
        nonce TEXT,
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX codepipeline_jobs_queue ON codepipeline_jobs (account_id, region, owner, category, provider, version, status);
      CREATE TABLE codepipeline_custom_action_types (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        category TEXT NOT NULL,
        provider TEXT NOT NULL,
        version TEXT NOT NULL,
        definition TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, region, category, provider, version)
      );
      CREATE TABLE codepipeline_webhooks (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        definition TEXT NOT NULL,
        url TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
    `,
  },
];
