import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE codecommit_repositories (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        default_branch TEXT,
        kms_key_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE codecommit_tags (
        repository_id TEXT NOT NULL REFERENCES codecommit_repositories (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (repository_id, key)
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- Merge commits made through the API, so GetMergeCommit can name the commit a merge of two
      -- commits produced, including unreferenced ones no branch points at.
      CREATE TABLE codecommit_merge_commits (
        repository_id TEXT NOT NULL REFERENCES codecommit_repositories (id) ON DELETE CASCADE,
        source_commit_id TEXT NOT NULL,
        destination_commit_id TEXT NOT NULL,
        merge_commit_id TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX codecommit_merge_commits_by_pair ON codecommit_merge_commits (repository_id, source_commit_id, destination_commit_id);
    `,
  },
  {
    version: 3,
    sql: `
      -- Pull requests: ids are numbers, as CodeCommit's are, unique across accounts and regions.
      CREATE TABLE codecommit_pull_requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT,
        status TEXT NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
        author_arn TEXT NOT NULL,
        client_request_token TEXT,
        request_hash TEXT NOT NULL,
        revision_id TEXT NOT NULL,
        override_arn TEXT,
        created_at INTEGER NOT NULL,
        last_activity_at INTEGER NOT NULL
      );
      CREATE INDEX codecommit_pull_requests_by_token ON codecommit_pull_requests (account_id, region, client_request_token);
      CREATE TABLE codecommit_pull_request_targets (
        pull_request_id INTEGER NOT NULL REFERENCES codecommit_pull_requests (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        repository_id TEXT NOT NULL REFERENCES codecommit_repositories (id) ON DELETE CASCADE,
        source_reference TEXT NOT NULL,
        destination_reference TEXT NOT NULL,
        source_commit TEXT NOT NULL,
        destination_commit TEXT NOT NULL,
        merge_base TEXT NOT NULL,
        merged_by TEXT,
        merge_commit_id TEXT,
        merge_option TEXT,
        PRIMARY KEY (pull_request_id, position)
      );
      CREATE INDEX codecommit_pull_request_targets_by_repository ON codecommit_pull_request_targets (repository_id, pull_request_id);
      CREATE TABLE codecommit_pull_request_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pull_request_id INTEGER NOT NULL REFERENCES codecommit_pull_requests (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        actor_arn TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        metadata TEXT NOT NULL
      );
      CREATE INDEX codecommit_pull_request_events_by_pr ON codecommit_pull_request_events (pull_request_id, id);
      CREATE TABLE codecommit_approval_rules (
        id TEXT PRIMARY KEY,
        pull_request_id INTEGER NOT NULL REFERENCES codecommit_pull_requests (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        content TEXT NOT NULL,
        template_id TEXT,
        template_name TEXT,
        last_modified_user TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (pull_request_id, name)
      );
      -- One state per user and revision: approvals are for the code as it stood.
      CREATE TABLE codecommit_approvals (
        pull_request_id INTEGER NOT NULL REFERENCES codecommit_pull_requests (id) ON DELETE CASCADE,
        revision_id TEXT NOT NULL,
        user_arn TEXT NOT NULL,
        PRIMARY KEY (pull_request_id, revision_id, user_arn)
      );
      CREATE TABLE codecommit_approval_rule_templates (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        content TEXT NOT NULL,
        last_modified_user TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE codecommit_template_associations (
        template_id TEXT NOT NULL REFERENCES codecommit_approval_rule_templates (id) ON DELETE CASCADE,
        repository_id TEXT NOT NULL REFERENCES codecommit_repositories (id) ON DELETE CASCADE,
        PRIMARY KEY (template_id, repository_id)
      );
      CREATE TABLE codecommit_comments (
        id TEXT PRIMARY KEY,
        repository_id TEXT NOT NULL REFERENCES codecommit_repositories (id) ON DELETE CASCADE,
        pull_request_id INTEGER REFERENCES codecommit_pull_requests (id) ON DELETE CASCADE,
        before_commit_id TEXT,
        after_commit_id TEXT NOT NULL,
        before_blob_id TEXT,
        after_blob_id TEXT,
        file_path TEXT,
        file_position INTEGER,
        relative_file_version TEXT,
        in_reply_to TEXT,
        content TEXT NOT NULL,
        author_arn TEXT NOT NULL,
        client_request_token TEXT,
        request_hash TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX codecommit_comments_by_commits ON codecommit_comments (repository_id, after_commit_id, created_at);
      CREATE INDEX codecommit_comments_by_pr ON codecommit_comments (pull_request_id, created_at);
      CREATE INDEX codecommit_comments_by_token ON codecommit_comments (author_arn, client_request_token);
      CREATE TABLE codecommit_comment_reactions (
        comment_id TEXT NOT NULL REFERENCES codecommit_comments (id) ON DELETE CASCADE,
        user_arn TEXT NOT NULL,
        reaction TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (comment_id, user_arn)
      );
      CREATE TABLE codecommit_triggers (
        repository_id TEXT PRIMARY KEY REFERENCES codecommit_repositories (id) ON DELETE CASCADE,
        configuration_id TEXT NOT NULL,
        triggers TEXT NOT NULL
      );
    `,
  },
];
