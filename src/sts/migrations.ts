import type { Migration } from '../core/store/db.js';

/**
 * Temporary credentials STS issued, one row per access key id (ASIA…). The identity a session
 * acts as is stored whole, so resolving a request's key never reaches into IAM's tables.
 * Lists (policy ARNs, tags, transitive tag keys) are JSON text.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sts_sessions (
        access_key_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        secret TEXT NOT NULL,
        token TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('AssumeRole', 'GetSessionToken')),
        principal_type TEXT NOT NULL CHECK (principal_type IN ('root', 'user', 'role-session')),
        principal_arn TEXT NOT NULL,
        principal_id TEXT NOT NULL,
        user_name TEXT,
        role_arn TEXT,
        session_name TEXT,
        source_arn TEXT NOT NULL,
        policy TEXT,
        policy_arns TEXT NOT NULL,
        tags TEXT NOT NULL,
        transitive_tag_keys TEXT NOT NULL,
        source_identity TEXT,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sts_sessions_expires ON sts_sessions (expires_at);
    `,
  },
];
