import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE ssm_parameters (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        expires_at INTEGER,
        UNIQUE (account_id, region, name)
      );
      CREATE INDEX ssm_parameters_expiry ON ssm_parameters (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE ssm_parameter_versions (
        parameter_id INTEGER NOT NULL REFERENCES ssm_parameters (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        type TEXT NOT NULL,
        key_id TEXT,
        value BLOB NOT NULL,
        description TEXT,
        allowed_pattern TEXT,
        tier TEXT NOT NULL,
        policies TEXT,
        data_type TEXT NOT NULL,
        modified_at INTEGER NOT NULL,
        modified_by TEXT NOT NULL,
        PRIMARY KEY (parameter_id, version)
      );
      CREATE TABLE ssm_parameter_labels (
        parameter_id INTEGER NOT NULL REFERENCES ssm_parameters (id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (parameter_id, label)
      );
      CREATE TABLE ssm_parameter_tags (
        parameter_id INTEGER NOT NULL REFERENCES ssm_parameters (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (parameter_id, key)
      );
    `,
  },
];
