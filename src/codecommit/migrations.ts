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
];
