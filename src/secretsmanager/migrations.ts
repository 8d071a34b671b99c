import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE secretsmanager_secrets (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL UNIQUE,
        description TEXT,
        kms_key_id TEXT,
        type TEXT,
        created_at INTEGER NOT NULL,
        last_changed_at INTEGER NOT NULL,
        last_accessed_at INTEGER,
        deleted_at INTEGER,
        deletion_date INTEGER,
        UNIQUE (account_id, region, name)
      );
      CREATE INDEX secretsmanager_secrets_deletion ON secretsmanager_secrets (deletion_date) WHERE deletion_date IS NOT NULL;
      CREATE TABLE secretsmanager_versions (
        secret_id INTEGER NOT NULL REFERENCES secretsmanager_secrets (id) ON DELETE CASCADE,
        version_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('string', 'binary')),
        value BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        last_accessed_at INTEGER,
        PRIMARY KEY (secret_id, version_id)
      );
      CREATE TABLE secretsmanager_stages (
        secret_id INTEGER NOT NULL REFERENCES secretsmanager_secrets (id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        version_id TEXT NOT NULL,
        PRIMARY KEY (secret_id, stage)
      );
      CREATE TABLE secretsmanager_tags (
        secret_id INTEGER NOT NULL REFERENCES secretsmanager_secrets (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (secret_id, key)
      );
    `,
  },
];
