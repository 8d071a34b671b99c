import type { Db } from '../core/store/db.js';

export interface SecretRecord {
  id: number;
  accountId: string;
  region: string;
  name: string;
  arn: string;
  description: string | null;
  kmsKeyId: string | null;
  type: string | null;
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt: number | null;
  /** When DeleteSecret was called, while the secret waits out its recovery window. */
  deletedAt: number | null;
  /** When the secret is deleted for good. */
  deletionDate: number | null;
}

export type ValueKind = 'string' | 'binary';

/** One version; `value` is ciphertext. */
export interface VersionRecord {
  versionId: string;
  kind: ValueKind;
  value: Buffer;
  createdAt: number;
  lastAccessedAt: number | null;
}

interface SecretRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  arn: string;
  description: string | null;
  kms_key_id: string | null;
  type: string | null;
  created_at: number;
  last_changed_at: number;
  last_accessed_at: number | null;
  deleted_at: number | null;
  deletion_date: number | null;
}

interface VersionRow {
  version_id: string;
  kind: ValueKind;
  value: Buffer;
  created_at: number;
  last_accessed_at: number | null;
}

const secretOf = (r: SecretRow): SecretRecord => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  arn: r.arn,
  description: r.description,
  kmsKeyId: r.kms_key_id,
  type: r.type,
  createdAt: r.created_at,
  lastChangedAt: r.last_changed_at,
  lastAccessedAt: r.last_accessed_at,
  deletedAt: r.deleted_at,
  deletionDate: r.deletion_date,
});

const versionOf = (r: VersionRow): VersionRecord => ({
  versionId: r.version_id,
  kind: r.kind,
  value: r.value,
  createdAt: r.created_at,
  lastAccessedAt: r.last_accessed_at,
});

type SecretChanges = Partial<Pick<SecretRecord, 'description' | 'kmsKeyId' | 'type' | 'lastChangedAt' | 'lastAccessedAt' | 'deletedAt' | 'deletionDate'>>;

const COLUMNS: Record<keyof SecretChanges, string> = {
  description: 'description',
  kmsKeyId: 'kms_key_id',
  type: 'type',
  lastChangedAt: 'last_changed_at',
  lastAccessedAt: 'last_accessed_at',
  deletedAt: 'deleted_at',
  deletionDate: 'deletion_date',
};

/** The secret tables: each (account, region) pair is its own namespace of names. */
export class SecretStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  byName(accountId: string, region: string, name: string): SecretRecord | undefined {
    const row = this.db.prepare('SELECT * FROM secretsmanager_secrets WHERE account_id = ? AND region = ? AND name = ?').get(accountId, region, name) as SecretRow | undefined;
    return row && secretOf(row);
  }

  byArn(arn: string): SecretRecord | undefined {
    const row = this.db.prepare('SELECT * FROM secretsmanager_secrets WHERE arn = ?').get(arn) as SecretRow | undefined;
    return row && secretOf(row);
  }

  list(accountId: string, region: string): SecretRecord[] {
    const rows = this.db.prepare('SELECT * FROM secretsmanager_secrets WHERE account_id = ? AND region = ? ORDER BY id').all(accountId, region) as SecretRow[];
    return rows.map(secretOf);
  }

  insert(s: Omit<SecretRecord, 'id'>): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO secretsmanager_secrets (account_id, region, name, arn, description, kms_key_id, type, created_at, last_changed_at, last_accessed_at, deleted_at, deletion_date)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.accountId, s.region, s.name, s.arn, s.description, s.kmsKeyId, s.type, s.createdAt, s.lastChangedAt, s.lastAccessedAt, s.deletedAt, s.deletionDate)
        .lastInsertRowid,
    );
  }

  update(id: number, changes: SecretChanges): void {
    const keys = Object.keys(changes) as (keyof SecretChanges)[];
    if (keys.length === 0) return;
    this.db.prepare(`UPDATE secretsmanager_secrets SET ${keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ')} WHERE id = @id`).run({ ...changes, id });
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM secretsmanager_secrets WHERE id = ?').run(id);
  }

  /** Secrets whose recovery window has ended are deleted for good. */
  deleteExpired(now: number): void {
    this.db.prepare('DELETE FROM secretsmanager_secrets WHERE deletion_date IS NOT NULL AND deletion_date <= ?').run(now);
  }

  /** Versions in the order they were created. */
  versions(secretId: number): VersionRecord[] {
    const rows = this.db.prepare('SELECT * FROM secretsmanager_versions WHERE secret_id = ? ORDER BY rowid').all(secretId) as VersionRow[];
    return rows.map(versionOf);
  }

  version(secretId: number, versionId: string): VersionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM secretsmanager_versions WHERE secret_id = ? AND version_id = ?').get(secretId, versionId) as VersionRow | undefined;
    return row && versionOf(row);
  }

  insertVersion(secretId: number, v: VersionRecord): void {
    this.db
      .prepare('INSERT INTO secretsmanager_versions (secret_id, version_id, kind, value, created_at, last_accessed_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(secretId, v.versionId, v.kind, v.value, v.createdAt, v.lastAccessedAt);
  }

  touchVersion(secretId: number, versionId: string, at: number): void {
    this.db.prepare('UPDATE secretsmanager_versions SET last_accessed_at = ? WHERE secret_id = ? AND version_id = ?').run(at, secretId, versionId);
  }

  deleteVersion(secretId: number, versionId: string): void {
    this.db.prepare('DELETE FROM secretsmanager_versions WHERE secret_id = ? AND version_id = ?').run(secretId, versionId);
  }

  /** Staging labels by version id, each list in the order the labels were attached. */
  stages(secretId: number): Map<string, string[]> {
    const rows = this.db.prepare('SELECT stage, version_id FROM secretsmanager_stages WHERE secret_id = ? ORDER BY rowid').all(secretId) as { stage: string; version_id: string }[];
    const byVersion = new Map<string, string[]>();
    for (const r of rows) byVersion.set(r.version_id, [...(byVersion.get(r.version_id) ?? []), r.stage]);
    return byVersion;
  }

  stageHolder(secretId: number, stage: string): string | undefined {
    return this.db.prepare('SELECT version_id FROM secretsmanager_stages WHERE secret_id = ? AND stage = ?').pluck().get(secretId, stage) as string | undefined;
  }

  /** Attaches a label to a version, taking it off whichever version held it. */
  attachStage(secretId: number, stage: string, versionId: string): void {
    this.detachStage(secretId, stage);
    this.db.prepare('INSERT INTO secretsmanager_stages (secret_id, stage, version_id) VALUES (?, ?, ?)').run(secretId, stage, versionId);
  }

  detachStage(secretId: number, stage: string): void {
    this.db.prepare('DELETE FROM secretsmanager_stages WHERE secret_id = ? AND stage = ?').run(secretId, stage);
  }

  tags(secretId: number): { Key: string; Value: string }[] {
    const rows = this.db.prepare('SELECT key, value FROM secretsmanager_tags WHERE secret_id = ? ORDER BY rowid').all(secretId) as { key: string; value: string }[];
    return rows.map((r) => ({ Key: r.key, Value: r.value }));
  }

  putTags(secretId: number, tags: { Key: string; Value: string }[]): void {
    const put = this.db.prepare('INSERT INTO secretsmanager_tags (secret_id, key, value) VALUES (?, ?, ?) ON CONFLICT (secret_id, key) DO UPDATE SET value = excluded.value');
    for (const t of tags) put.run(secretId, t.Key, t.Value);
  }

  removeTags(secretId: number, keys: string[]): void {
    const del = this.db.prepare('DELETE FROM secretsmanager_tags WHERE secret_id = ? AND key = ?');
    for (const k of keys) del.run(secretId, k);
  }
}
