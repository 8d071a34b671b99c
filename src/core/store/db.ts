import Database from 'better-sqlite3';
import { join } from 'node:path';

export type Db = Database.Database;

/** One numbered, forward-only schema change of one service. */
export interface Migration {
  version: number;
  sql: string;
}

/** Opens the one database of a data directory in WAL mode, or an in-memory one (empty, or loaded from a database file's bytes). */
export function openDatabase(dataDir: string | undefined, image?: Buffer): Db {
  const db = new Database(dataDir ? join(dataDir, 'codesuite.db') : (image ?? ':memory:'));
  db.pragma('journal_mode = WAL');
  // WAL with NORMAL survives a process crash without losing a committed transaction.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (service TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (service, version))');
  return db;
}

/** Applies a service's migrations that this database has not seen yet, each in its own transaction. */
export function migrate(db: Db, service: string, migrations: Migration[]): void {
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations WHERE service = ?').pluck().all(service) as number[],
  );
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (service, version) VALUES (?, ?)').run(service, m.version);
    })();
  }
}
