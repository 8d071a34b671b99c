import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE events_buses (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        kms_key_identifier TEXT,
        dead_letter_arn TEXT,
        log_config TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE events_rules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bus_id INTEGER NOT NULL REFERENCES events_buses (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        arn TEXT NOT NULL,
        event_pattern TEXT,
        schedule_expression TEXT,
        state TEXT NOT NULL,
        description TEXT,
        role_arn TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (bus_id, name)
      );
      CREATE TABLE events_targets (
        rule_id INTEGER NOT NULL REFERENCES events_rules (id) ON DELETE CASCADE,
        target_id TEXT NOT NULL,
        arn TEXT NOT NULL,
        spec TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (rule_id, target_id)
      );
      CREATE INDEX events_targets_arn ON events_targets (arn);
      CREATE TABLE events_tags (
        resource_arn TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (resource_arn, key)
      );
      CREATE TABLE events_connections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        uuid TEXT NOT NULL,
        description TEXT,
        authorization_type TEXT NOT NULL,
        auth_parameters TEXT NOT NULL,
        state TEXT NOT NULL,
        state_reason TEXT,
        oauth_token TEXT,
        oauth_expires_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        authorized_at INTEGER,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE events_api_destinations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        uuid TEXT NOT NULL,
        description TEXT,
        connection_arn TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        http_method TEXT NOT NULL,
        rate_limit INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE events_received (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        bus_name TEXT NOT NULL,
        origin TEXT NOT NULL,
        envelope TEXT NOT NULL,
        matched_rules TEXT NOT NULL,
        note TEXT,
        received_at INTEGER NOT NULL
      );
      CREATE TABLE events_attempts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL,
        rule_arn TEXT NOT NULL,
        target_id TEXT NOT NULL,
        target_arn TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX events_attempts_event ON events_attempts (event_id);
    `,
  },
];
