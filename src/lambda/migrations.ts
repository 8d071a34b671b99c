import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE lambda_functions (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        latest TEXT NOT NULL,
        last_published TEXT,
        reserved_concurrency INTEGER,
        tags TEXT NOT NULL DEFAULT '{}',
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE lambda_versions (
        function_id INTEGER NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (function_id, version)
      );
      CREATE TABLE lambda_aliases (
        function_id INTEGER NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        alias TEXT NOT NULL,
        PRIMARY KEY (function_id, name)
      );
      CREATE TABLE lambda_policies (
        function_id INTEGER NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        statements TEXT NOT NULL,
        revision_id TEXT NOT NULL,
        PRIMARY KEY (function_id, qualifier)
      );
      CREATE TABLE lambda_event_invoke_configs (
        function_id INTEGER NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (function_id, qualifier)
      );
      CREATE TABLE lambda_async_invocations (
        request_id TEXT PRIMARY KEY,
        function_arn TEXT NOT NULL,
        payload BLOB NOT NULL,
        source TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
];
