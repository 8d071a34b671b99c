import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE logs_groups (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        retention_days INTEGER,
        kms_key_id TEXT,
        log_group_class TEXT NOT NULL,
        deletion_protection INTEGER NOT NULL DEFAULT 0,
        stored_bytes INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE logs_group_tags (
        group_id INTEGER NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (group_id, key)
      );
      CREATE TABLE logs_streams (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        group_id INTEGER NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        first_event_at INTEGER,
        last_event_at INTEGER,
        last_ingestion_at INTEGER,
        stored_bytes INTEGER NOT NULL DEFAULT 0,
        uploads INTEGER NOT NULL DEFAULT 0,
        UNIQUE (group_id, name)
      );
      CREATE TABLE logs_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        group_id INTEGER NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        stream_id INTEGER NOT NULL REFERENCES logs_streams (id) ON DELETE CASCADE,
        timestamp INTEGER NOT NULL,
        ingestion_time INTEGER NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX logs_events_stream ON logs_events (stream_id, timestamp, seq);
      CREATE INDEX logs_events_group ON logs_events (group_id, timestamp, seq);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE logs_metric_filters (
        group_id INTEGER NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        pattern TEXT NOT NULL,
        transformations TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (group_id, name)
      );
    `,
  },
];
