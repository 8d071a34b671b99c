import type { Migration } from '../core/store/db.js';

/**
 * CodeDeploy's tables. Records whose shape follows the API closely are kept as JSON beside the
 * columns listings filter and sort on; deployments, their targets and the agent commands are
 * rows of their own so the state machine can move one of them in one statement.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE codedeploy_applications (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
      CREATE TABLE codedeploy_instances (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        host_id TEXT NOT NULL,
        registered INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
      CREATE INDEX codedeploy_instances_host ON codedeploy_instances (host_id);
      CREATE TABLE codedeploy_groups (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        application TEXT NOT NULL,
        name TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, region, application, name)
      );
      CREATE TABLE codedeploy_configs (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
      CREATE TABLE codedeploy_revisions (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        application TEXT NOT NULL,
        revision_key TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, region, application, revision_key)
      );
      CREATE TABLE codedeploy_deployments (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        application TEXT NOT NULL,
        group_name TEXT NOT NULL,
        group_id TEXT NOT NULL,
        status TEXT NOT NULL,
        create_time INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX codedeploy_deployments_group ON codedeploy_deployments (group_id, status);
      CREATE TABLE codedeploy_targets (
        deployment_id TEXT NOT NULL REFERENCES codedeploy_deployments (id) ON DELETE CASCADE,
        target_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        host_id TEXT NOT NULL,
        status TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (deployment_id, target_id)
      );
      CREATE TABLE codedeploy_commands (
        id TEXT PRIMARY KEY,
        deployment_id TEXT NOT NULL REFERENCES codedeploy_deployments (id) ON DELETE CASCADE,
        target_id TEXT NOT NULL,
        host_id TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        nonce INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        dispatched_at INTEGER,
        acked_at INTEGER
      );
      CREATE INDEX codedeploy_commands_host ON codedeploy_commands (host_id, status);
      CREATE TABLE codedeploy_installs (
        group_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        deployment_id TEXT NOT NULL,
        PRIMARY KEY (group_id, target_id)
      );
      CREATE TABLE codedeploy_tags (
        arn TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (arn, key)
      );
    `,
  },
];
