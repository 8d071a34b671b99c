import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE cw_metrics (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        dimensions TEXT NOT NULL,
        last_put INTEGER NOT NULL,
        UNIQUE (account_id, region, namespace, name, dimensions)
      );
      CREATE TABLE cw_datapoints (
        metric_id INTEGER NOT NULL REFERENCES cw_metrics (id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        unit TEXT NOT NULL,
        sample_count REAL NOT NULL,
        sum REAL NOT NULL,
        minimum REAL NOT NULL,
        maximum REAL NOT NULL,
        distribution TEXT
      );
      CREATE INDEX cw_datapoints_metric_ts ON cw_datapoints (metric_id, ts);
      CREATE TABLE cw_alarms (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('MetricAlarm', 'CompositeAlarm')),
        config TEXT NOT NULL,
        actions_enabled INTEGER NOT NULL,
        state TEXT NOT NULL,
        state_reason TEXT NOT NULL,
        state_reason_data TEXT,
        state_updated INTEGER NOT NULL,
        state_transitioned INTEGER NOT NULL,
        config_updated INTEGER NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE cw_alarm_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        alarm_name TEXT NOT NULL,
        alarm_type TEXT NOT NULL,
        ts INTEGER NOT NULL,
        item_type TEXT NOT NULL,
        summary TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX cw_alarm_history_alarm ON cw_alarm_history (account_id, region, alarm_name, ts);
      CREATE TABLE cw_tags (
        arn TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (arn, key)
      );
    `,
  },
];
