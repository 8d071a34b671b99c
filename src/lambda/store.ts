import type { AliasConfiguration, FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { Db } from '../core/store/db.js';

/** A function's configuration as stored: what GetFunctionConfiguration shows, plus where its code is. */
export interface StoredConfig extends FunctionConfiguration {
  FunctionName: string;
  Version: string;
  RevisionId: string;
  /** Hex SHA-256 of the zip (its file under code/), or empty for an image. */
  codeKey: string;
  /** The image of a function of PackageType Image (GetFunction shows it under Code). */
  imageUri?: string;
}

export interface FunctionRecord {
  id: number;
  accountId: string;
  region: string;
  name: string;
  latest: StoredConfig;
  /** The CodeSha256 and configuration revision last published, so an unchanged $LATEST publishes nothing new. */
  lastPublished?: string;
  reservedConcurrency?: number;
  tags: Record<string, string>;
}

interface FunctionRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  latest: string;
  last_published: string | null;
  reserved_concurrency: number | null;
  tags: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: Record<string, string> | string;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface EventInvokeConfig {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
  LastModified: number;
}

const toRecord = (row: FunctionRow): FunctionRecord => ({
  id: row.id,
  accountId: row.account_id,
  region: row.region,
  name: row.name,
  latest: JSON.parse(row.latest) as StoredConfig,
  lastPublished: row.last_published ?? undefined,
  reservedConcurrency: row.reserved_concurrency ?? undefined,
  tags: JSON.parse(row.tags) as Record<string, string>,
});

/** Lambda's tables: functions with their $LATEST, published versions, aliases, policies, event invoke configs. */
export class FunctionStore {
  constructor(readonly db: Db) {}

  find(accountId: string, region: string, name: string): FunctionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ?').get(accountId, region, name) as FunctionRow | undefined;
    return row && toRecord(row);
  }

  list(accountId: string, region: string): FunctionRecord[] {
    return (this.db.prepare('SELECT * FROM lambda_functions WHERE account_id = ? AND region = ? ORDER BY name').all(accountId, region) as FunctionRow[]).map(toRecord);
  }

  insert(accountId: string, region: string, latest: StoredConfig, tags: Record<string, string>): FunctionRecord {
    const id = Number(
      this.db
        .prepare('INSERT INTO lambda_functions (account_id, region, name, latest, tags) VALUES (?, ?, ?, ?, ?)')
        .run(accountId, region, latest.FunctionName, JSON.stringify(latest), JSON.stringify(tags)).lastInsertRowid,
    );
    return this.find(accountId, region, latest.FunctionName) ?? ({ id } as FunctionRecord);
  }

  saveLatest(id: number, latest: StoredConfig): void {
    this.db.prepare('UPDATE lambda_functions SET latest = ? WHERE id = ?').run(JSON.stringify(latest), id);
  }

  setLastPublished(id: number, marker: string): void {
    this.db.prepare('UPDATE lambda_functions SET last_published = ? WHERE id = ?').run(marker, id);
  }

  setReservedConcurrency(id: number, value: number | undefined): void {
    this.db.prepare('UPDATE lambda_functions SET reserved_concurrency = ? WHERE id = ?').run(value ?? null, id);
  }

  setTags(id: number, tags: Record<string, string>): void {
    this.db.prepare('UPDATE lambda_functions SET tags = ? WHERE id = ?').run(JSON.stringify(tags), id);
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM lambda_functions WHERE id = ?').run(id);
  }

  /** Every function's zip in use, so code files no version points at any more can go. */
  codeKeysInUse(): Set<string> {
    const keys = new Set<string>();
    for (const r of this.db.prepare('SELECT latest AS c FROM lambda_functions UNION ALL SELECT config AS c FROM lambda_versions').all() as { c: string }[]) {
      keys.add((JSON.parse(r.c) as StoredConfig).codeKey);
    }
    return keys;
  }

  versions(functionId: number): StoredConfig[] {
    return (this.db.prepare('SELECT config FROM lambda_versions WHERE function_id = ? ORDER BY version').all(functionId) as { config: string }[]).map(
      (r) => JSON.parse(r.config) as StoredConfig,
    );
  }

  version(functionId: number, version: string): StoredConfig | undefined {
    if (!/^\d+$/.test(version)) return undefined;
    const row = this.db.prepare('SELECT config FROM lambda_versions WHERE function_id = ? AND version = ?').get(functionId, Number(version)) as { config: string } | undefined;
    return row && (JSON.parse(row.config) as StoredConfig);
  }

  nextVersion(functionId: number): number {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM lambda_versions WHERE function_id = ?').get(functionId) as { v: number | null };
    return (row.v ?? 0) + 1;
  }

  insertVersion(functionId: number, config: StoredConfig): void {
    this.db.prepare('INSERT INTO lambda_versions (function_id, version, config) VALUES (?, ?, ?)').run(functionId, Number(config.Version), JSON.stringify(config));
  }

  deleteVersion(functionId: number, version: string): void {
    this.db.prepare('DELETE FROM lambda_versions WHERE function_id = ? AND version = ?').run(functionId, Number(version));
    this.db.prepare('DELETE FROM lambda_policies WHERE function_id = ? AND qualifier = ?').run(functionId, version);
    this.db.prepare('DELETE FROM lambda_event_invoke_configs WHERE function_id = ? AND qualifier = ?').run(functionId, version);
  }

  aliases(functionId: number): AliasConfiguration[] {
    return (this.db.prepare('SELECT alias FROM lambda_aliases WHERE function_id = ? ORDER BY name').all(functionId) as { alias: string }[]).map(
      (r) => JSON.parse(r.alias) as AliasConfiguration,
    );
  }

  alias(functionId: number, name: string): AliasConfiguration | undefined {
    const row = this.db.prepare('SELECT alias FROM lambda_aliases WHERE function_id = ? AND name = ?').get(functionId, name) as { alias: string } | undefined;
    return row && (JSON.parse(row.alias) as AliasConfiguration);
  }

  saveAlias(functionId: number, alias: AliasConfiguration): void {
    this.db.prepare('INSERT OR REPLACE INTO lambda_aliases (function_id, name, alias) VALUES (?, ?, ?)').run(functionId, alias.Name, JSON.stringify(alias));
  }

  deleteAlias(functionId: number, name: string): void {
    this.db.prepare('DELETE FROM lambda_aliases WHERE function_id = ? AND name = ?').run(functionId, name);
    this.db.prepare('DELETE FROM lambda_policies WHERE function_id = ? AND qualifier = ?').run(functionId, name);
    this.db.prepare('DELETE FROM lambda_event_invoke_configs WHERE function_id = ? AND qualifier = ?').run(functionId, name);
  }

  policy(functionId: number, qualifier: string): { statements: PolicyStatement[]; revisionId: string } | undefined {
    const row = this.db.prepare('SELECT statements, revision_id FROM lambda_policies WHERE function_id = ? AND qualifier = ?').get(functionId, qualifier) as
      | { statements: string; revision_id: string }
      | undefined;
    return row && { statements: JSON.parse(row.statements) as PolicyStatement[], revisionId: row.revision_id };
  }

  savePolicy(functionId: number, qualifier: string, statements: PolicyStatement[], revisionId: string): void {
    if (statements.length === 0) {
      this.db.prepare('DELETE FROM lambda_policies WHERE function_id = ? AND qualifier = ?').run(functionId, qualifier);
      return;
    }
    this.db
      .prepare('INSERT OR REPLACE INTO lambda_policies (function_id, qualifier, statements, revision_id) VALUES (?, ?, ?, ?)')
      .run(functionId, qualifier, JSON.stringify(statements), revisionId);
  }

  eventInvokeConfig(functionId: number, qualifier: string): EventInvokeConfig | undefined {
    const row = this.db.prepare('SELECT config FROM lambda_event_invoke_configs WHERE function_id = ? AND qualifier = ?').get(functionId, qualifier) as
      | { config: string }
      | undefined;
    return row && (JSON.parse(row.config) as EventInvokeConfig);
  }

  eventInvokeConfigs(functionId: number): { qualifier: string; config: EventInvokeConfig }[] {
    return (this.db.prepare('SELECT qualifier, config FROM lambda_event_invoke_configs WHERE function_id = ? ORDER BY qualifier').all(functionId) as { qualifier: string; config: string }[]).map(
      (r) => ({ qualifier: r.qualifier, config: JSON.parse(r.config) as EventInvokeConfig }),
    );
  }

  saveEventInvokeConfig(functionId: number, qualifier: string, config: EventInvokeConfig | undefined): void {
    if (!config) this.db.prepare('DELETE FROM lambda_event_invoke_configs WHERE function_id = ? AND qualifier = ?').run(functionId, qualifier);
    else this.db.prepare('INSERT OR REPLACE INTO lambda_event_invoke_configs (function_id, qualifier, config) VALUES (?, ?, ?)').run(functionId, qualifier, JSON.stringify(config));
  }
}
