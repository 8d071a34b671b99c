import type { Db } from '../core/store/db.js';

export interface RepositoryRecord {
  id: string;
  accountId: string;
  region: string;
  name: string;
  description: string | null;
  defaultBranch: string | null;
  kmsKeyId: string;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  default_branch: string | null;
  kms_key_id: string;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): RepositoryRecord => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  description: r.description,
  defaultBranch: r.default_branch,
  kmsKeyId: r.kms_key_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The repositories table: each (account, region) pair is its own namespace of names. */
export class RepositoryStore {
  constructor(private readonly db: Db) {}

  find(accountId: string, region: string, name: string): RepositoryRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM codecommit_repositories WHERE account_id = ? AND region = ? AND name = ?')
      .get(accountId, region, name) as Row | undefined;
    return row && fromRow(row);
  }

  byId(id: string): RepositoryRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codecommit_repositories WHERE id = ?').get(id) as Row | undefined;
    return row && fromRow(row);
  }

  list(accountId: string, region: string): RepositoryRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM codecommit_repositories WHERE account_id = ? AND region = ?')
      .all(accountId, region) as Row[];
    return rows.map(fromRow);
  }

  /** Every repository id, and those without a default branch (empty, or a push not yet recorded). */
  ids(): { id: string; defaultBranch: string | null }[] {
    return this.db.prepare('SELECT id, default_branch AS defaultBranch FROM codecommit_repositories').all() as { id: string; defaultBranch: string | null }[];
  }

  insert(r: RepositoryRecord, tags: Record<string, string>): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO codecommit_repositories (id, account_id, region, name, description, default_branch, kms_key_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(r.id, r.accountId, r.region, r.name, r.description, r.defaultBranch, r.kmsKeyId, r.createdAt, r.updatedAt);
      this.putTags(r.id, tags);
    })();
  }

  update(id: string, changes: Partial<Pick<RepositoryRecord, 'name' | 'description' | 'defaultBranch' | 'kmsKeyId'>>, now: number): void {
    const columns: Record<string, string> = { name: 'name', description: 'description', defaultBranch: 'default_branch', kmsKeyId: 'kms_key_id' };
    const sets = Object.keys(changes).map((k) => `${columns[k]} = @${k}`);
    this.db.prepare(`UPDATE codecommit_repositories SET ${[...sets, 'updated_at = @now'].join(', ')} WHERE id = @id`).run({ ...changes, now, id });
  }

  touch(id: string, now: number): void {
    this.db.prepare('UPDATE codecommit_repositories SET updated_at = ? WHERE id = ?').run(now, id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM codecommit_repositories WHERE id = ?').run(id);
  }

  tags(id: string): Record<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM codecommit_tags WHERE repository_id = ? ORDER BY key').all(id) as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  putTags(id: string, tags: Record<string, string>): void {
    const put = this.db.prepare('INSERT INTO codecommit_tags (repository_id, key, value) VALUES (?, ?, ?) ON CONFLICT (repository_id, key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(tags)) put.run(id, k, v);
    })();
  }

  removeTags(id: string, keys: string[]): void {
    const del = this.db.prepare('DELETE FROM codecommit_tags WHERE repository_id = ? AND key = ?');
    this.db.transaction(() => {
      for (const k of keys) del.run(id, k);
    })();
  }
}
