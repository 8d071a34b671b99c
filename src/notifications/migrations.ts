import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE notifications_rules (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        resource TEXT NOT NULL,
        event_type_ids TEXT NOT NULL,
        detail_type TEXT NOT NULL,
        status TEXT NOT NULL,
        created_by TEXT NOT NULL,
        client_token TEXT,
        tags TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE INDEX notifications_rules_resource ON notifications_rules (resource);
      CREATE TABLE notifications_targets (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        address TEXT NOT NULL,
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (account_id, region, address)
      );
      CREATE TABLE notifications_rule_targets (
        rule_arn TEXT NOT NULL REFERENCES notifications_rules (arn) ON DELETE CASCADE,
        address TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (rule_arn, address)
      );
      CREATE INDEX notifications_rule_targets_address ON notifications_rule_targets (address);
    `,
  },
];
