import type { Db } from '../core/store/db.js';

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type ParameterTier = 'Standard' | 'Advanced';

/** One version of a parameter; `value` is the ciphertext for a SecureString and UTF-8 text otherwise. */
export interface VersionRecord {
  version: number;
  type: ParameterType;
  keyId: string | null;
  value: Buffer;
  description: string | null;
  allowedPattern: string | null;
  tier: ParameterTier;
  policies: string | null;
  dataType: string;
  modifiedAt: number;
  modifiedBy: string;
}

/** A parameter with its latest version. */
export interface ParameterRecord extends VersionRecord {
  id: number;
  accountId: string;
  region: string;
  name: string;
}

interface VersionRow {
  version: number;
  type: ParameterType;
  key_id: string | null;
  value: Buffer;
  description: string | null;
  allowed_pattern: string | null;
  tier: ParameterTier;
  policies: string | null;
  data_type: string;
  modified_at: number;
  modified_by: string;
}

interface ParameterRow extends VersionRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
}

const versionOf = (r: VersionRow): VersionRecord => ({
  version: r.version,
  type: r.type,
  keyId: r.key_id,
  value: r.value,
  description: r.description,
  allowedPattern: r.allowed_pattern,
  tier: r.tier,
  policies: r.policies,
  dataType: r.data_type,
  modifiedAt: r.modified_at,
  modifiedBy: r.modified_by,
});

const parameterOf = (r: ParameterRow): ParameterRecord => ({ ...versionOf(r), id: r.id, accountId: r.account_id, region: r.region, name: r.name });

const CURRENT = `
  SELECT p.id, p.account_id, p.region, p.name, v.*
  FROM ssm_parameters p JOIN ssm_parameter_versions v ON v.parameter_id = p.id AND v.version = p.version`;

/** The parameter tables: each (account, region) pair is its own namespace of names. */
export class ParameterStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  find(accountId: string, region: string, name: string): ParameterRecord | undefined {
    const row = this.db.prepare(`${CURRENT} WHERE p.account_id = ? AND p.region = ? AND p.name = ?`).get(accountId, region, name) as ParameterRow | undefined;
    return row && parameterOf(row);
  }

  /** Parameters whose names start with `prefix`, in name order, after `after` when given. */
  listByPrefix(accountId: string, region: string, prefix: string, after?: string): ParameterRecord[] {
    // Names are ASCII, so every name that starts with the prefix sorts below prefix + DEL.
    const rows = this.db
      .prepare(`${CURRENT} WHERE p.account_id = ? AND p.region = ? AND p.name >= ? AND p.name < ? AND p.name > ? ORDER BY p.name`)
      .all(accountId, region, prefix, `${prefix}\x7f`, after ?? '') as ParameterRow[];
    return rows.map(parameterOf);
  }

  count(accountId: string, region: string, tier: ParameterTier): number {
    return this.db
      .prepare(`SELECT count(*) FROM ssm_parameters p JOIN ssm_parameter_versions v ON v.parameter_id = p.id AND v.version = p.version WHERE p.account_id = ? AND p.region = ? AND v.tier = ?`)
      .pluck()
      .get(accountId, region, tier) as number;
  }

  versions(parameterId: number): VersionRecord[] {
    const rows = this.db.prepare('SELECT * FROM ssm_parameter_versions WHERE parameter_id = ? ORDER BY version').all(parameterId) as VersionRow[];
    return rows.map(versionOf);
  }

  version(parameterId: number, version: number): VersionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM ssm_parameter_versions WHERE parameter_id = ? AND version = ?').get(parameterId, version) as VersionRow | undefined;
    return row && versionOf(row);
  }

  /** Creates the parameter with its first version, or adds a version to it; returns the parameter id. */
  putVersion(scope: { accountId: string; region: string; name: string }, existingId: number | undefined, v: VersionRecord, expiresAt: number | null): number {
    const id =
      existingId ??
      Number(
        this.db
          .prepare('INSERT INTO ssm_parameters (account_id, region, name, version, expires_at) VALUES (?, ?, ?, ?, ?)')
          .run(scope.accountId, scope.region, scope.name, v.version, expiresAt).lastInsertRowid,
      );
    this.db
      .prepare(
        `INSERT INTO ssm_parameter_versions (parameter_id, version, type, key_id, value, description, allowed_pattern, tier, policies, data_type, modified_at, modified_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, v.version, v.type, v.keyId, v.value, v.description, v.allowedPattern, v.tier, v.policies, v.dataType, v.modifiedAt, v.modifiedBy);
    if (existingId !== undefined) {
      this.db.prepare('UPDATE ssm_parameters SET version = ?, expires_at = ? WHERE id = ?').run(v.version, expiresAt, id);
    }
    return id;
  }

  deleteVersion(parameterId: number, version: number): void {
    this.db.prepare('DELETE FROM ssm_parameter_versions WHERE parameter_id = ? AND version = ?').run(parameterId, version);
  }

  delete(parameterId: number): void {
    this.db.prepare('DELETE FROM ssm_parameters WHERE id = ?').run(parameterId);
  }

  /** Removes parameters whose Expiration policy has passed. */
  deleteExpired(now: number): void {
    this.db.prepare('DELETE FROM ssm_parameters WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
  }

  /** Labels by version, each list in the order the labels were attached. */
  labels(parameterId: number): Map<number, string[]> {
    const rows = this.db.prepare('SELECT label, version FROM ssm_parameter_labels WHERE parameter_id = ? ORDER BY rowid').all(parameterId) as { label: string; version: number }[];
    const byVersion = new Map<number, string[]>();
    for (const r of rows) byVersion.set(r.version, [...(byVersion.get(r.version) ?? []), r.label]);
    return byVersion;
  }

  /** Attaches a label to a version, moving it off whichever version held it. */
  attachLabel(parameterId: number, label: string, version: number): void {
    this.db.prepare('DELETE FROM ssm_parameter_labels WHERE parameter_id = ? AND label = ?').run(parameterId, label);
    this.db.prepare('INSERT INTO ssm_parameter_labels (parameter_id, label, version) VALUES (?, ?, ?)').run(parameterId, label, version);
  }

  detachLabel(parameterId: number, label: string): void {
    this.db.prepare('DELETE FROM ssm_parameter_labels WHERE parameter_id = ? AND label = ?').run(parameterId, label);
  }

  tags(parameterId: number): { Key: string; Value: string }[] {
    const rows = this.db.prepare('SELECT key, value FROM ssm_parameter_tags WHERE parameter_id = ? ORDER BY key').all(parameterId) as { key: string; value: string }[];
    return rows.map((r) => ({ Key: r.key, Value: r.value }));
  }

  putTags(parameterId: number, tags: { Key: string; Value: string }[]): void {
    const put = this.db.prepare('INSERT INTO ssm_parameter_tags (parameter_id, key, value) VALUES (?, ?, ?) ON CONFLICT (parameter_id, key) DO UPDATE SET value = excluded.value');
    for (const t of tags) put.run(parameterId, t.Key, t.Value);
  }

  removeTags(parameterId: number, keys: string[]): void {
    const del = this.db.prepare('DELETE FROM ssm_parameter_tags WHERE parameter_id = ? AND key = ?');
    for (const k of keys) del.run(parameterId, k);
  }
}
