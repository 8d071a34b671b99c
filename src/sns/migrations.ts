import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sns_topics (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        sequence INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX sns_topics_scope ON sns_topics (account_id, region, arn);
      CREATE TABLE sns_subscriptions (
        arn TEXT PRIMARY KEY,
        topic_arn TEXT NOT NULL,
        owner TEXT NOT NULL,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        attributes TEXT NOT NULL,
        token TEXT,
        confirmed INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn, created_at);
      CREATE TABLE sns_fifo_dedup (
        topic_arn TEXT NOT NULL,
        dedup_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (topic_arn, dedup_id)
      );
      CREATE TABLE sns_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        topic_arn TEXT NOT NULL,
        subscription_arn TEXT NOT NULL,
        message_type TEXT NOT NULL,
        subject TEXT,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sns_signing_keys (
        id TEXT PRIMARY KEY,
        private_key TEXT NOT NULL,
        certificate TEXT NOT NULL
      );
    `,
  },
];
