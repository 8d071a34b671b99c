import type { Migration } from '../../core/store/db.js';

/**
 * IAM is global per account: no region column anywhere. Names of users, groups, roles and
 * policies are unique per account without regard to case, as IAM treats them.
 * Policies, tags and attachments point at entities by their unique id (AIDA…, AGPA…, AROA…, ANPA…),
 * so a renamed user keeps them.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE iam_accounts (
        account_id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE iam_users (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        permissions_boundary TEXT,
        password_last_used INTEGER,
        UNIQUE (account_id, name COLLATE NOCASE)
      );
      CREATE TABLE iam_groups (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (account_id, name COLLATE NOCASE)
      );
      CREATE TABLE iam_group_members (
        group_id TEXT NOT NULL REFERENCES iam_groups (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES iam_users (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      );
      CREATE INDEX iam_group_members_user ON iam_group_members (user_id);
      CREATE TABLE iam_roles (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        trust_policy TEXT NOT NULL,
        description TEXT,
        max_session_duration INTEGER NOT NULL,
        permissions_boundary TEXT,
        last_used_at INTEGER,
        last_used_region TEXT,
        UNIQUE (account_id, name COLLATE NOCASE)
      );
      CREATE TABLE iam_inline_policies (
        owner_id TEXT NOT NULL,
        name TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (owner_id, name COLLATE NOCASE)
      );
      CREATE TABLE iam_policies (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        description TEXT,
        default_version TEXT NOT NULL,
        next_version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (account_id, name COLLATE NOCASE)
      );
      CREATE TABLE iam_policy_versions (
        policy_id TEXT NOT NULL REFERENCES iam_policies (id) ON DELETE CASCADE,
        version_id TEXT NOT NULL,
        document TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (policy_id, version_id)
      );
      CREATE TABLE iam_attachments (
        entity_id TEXT NOT NULL,
        policy_arn TEXT NOT NULL,
        PRIMARY KEY (entity_id, policy_arn)
      );
      CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);
      CREATE TABLE iam_tags (
        entity_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (entity_id, key COLLATE NOCASE)
      );
      CREATE TABLE iam_access_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        user_id TEXT REFERENCES iam_users (id),
        secret TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        last_used_service TEXT,
        last_used_region TEXT
      );
      CREATE INDEX iam_access_keys_user ON iam_access_keys (account_id, user_id);
      CREATE TABLE iam_service_credentials (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES iam_users (id),
        service_name TEXT NOT NULL,
        service_user_name TEXT NOT NULL UNIQUE,
        password TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX iam_service_credentials_user ON iam_service_credentials (user_id);
    `,
  },
];
