import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sqs_queues (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL UNIQUE,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        purged_at INTEGER,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE sqs_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        queue_id INTEGER NOT NULL REFERENCES sqs_queues (id) ON DELETE CASCADE,
        message_id TEXT NOT NULL,
        body TEXT NOT NULL,
        md5_body TEXT NOT NULL,
        message_attributes TEXT,
        md5_attributes TEXT,
        trace_header TEXT,
        md5_system_attributes TEXT,
        group_id TEXT,
        dedup_id TEXT,
        sequence_number TEXT,
        sender_id TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        visible_at INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_receive_at INTEGER,
        receipt_handle TEXT,
        dead_letter_source_arn TEXT
      );
      CREATE INDEX sqs_messages_visible ON sqs_messages (queue_id, visible_at);
      CREATE UNIQUE INDEX sqs_messages_handle ON sqs_messages (receipt_handle) WHERE receipt_handle IS NOT NULL;
      CREATE TABLE sqs_dedup (
        queue_id INTEGER NOT NULL REFERENCES sqs_queues (id) ON DELETE CASCADE,
        scope TEXT NOT NULL,
        dedup_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (queue_id, scope, dedup_id)
      );
      CREATE TABLE sqs_receive_attempts (
        queue_id INTEGER NOT NULL REFERENCES sqs_queues (id) ON DELETE CASCADE,
        attempt_id TEXT NOT NULL,
        handles TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (queue_id, attempt_id)
      );
      CREATE TABLE sqs_move_tasks (
        task_id TEXT PRIMARY KEY,
        source_arn TEXT NOT NULL,
        destination_arn TEXT,
        max_per_second INTEGER,
        status TEXT NOT NULL,
        moved INTEGER NOT NULL DEFAULT 0,
        to_move INTEGER NOT NULL,
        failure_reason TEXT,
        started_at INTEGER NOT NULL
      );
      CREATE INDEX sqs_move_tasks_source ON sqs_move_tasks (source_arn, started_at);
    `,
  },
];
