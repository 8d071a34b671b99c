import type { Db } from '../core/store/db.js';
import { VERSION } from '../version.js';

/** The first entry of every snapshot archive: what made it, so a reader can refuse what it cannot hold. */
export const MANIFEST_NAME = 'codesuite-snapshot.json';
/** The data directory's files sit under this folder of the archive, the database as `data/codesuite.db`. */
export const DATA_PREFIX = 'data/';
export const DATABASE_FILE = 'codesuite.db';
/** The archive's own layout; raised only when an older reader would misread a newer archive. */
export const SNAPSHOT_FORMAT = 1;

export interface Manifest {
  format: number;
  codesuiteVersion: string;
  createdAt: string;
  accountId: string;
  /** Per service, the highest migration applied to the database in the archive. */
  schema: Record<string, number>;
}

/** A snapshot that cannot be made or restored, for a reason the user can act on. */
export class SnapshotError extends Error {}

/** Per service, the highest migration a database has applied. */
export function schemaOf(db: Db): Record<string, number> {
  const rows = db.prepare('SELECT service, MAX(version) AS version FROM schema_migrations GROUP BY service').all() as { service: string; version: number }[];
  return Object.fromEntries(rows.map((r) => [r.service, r.version]));
}

export function makeManifest(db: Db, accountId: string, now: Date): Manifest {
  return { format: SNAPSHOT_FORMAT, codesuiteVersion: VERSION, createdAt: now.toISOString(), accountId, schema: schemaOf(db) };
}

/** Reads the manifest and refuses, before anything is written, what this codesuite cannot restore. */
export function checkManifest(text: string, file: string, known: Record<string, number>, accountId: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new SnapshotError(`${file} is not a codesuite snapshot: its ${MANIFEST_NAME} is not JSON`);
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.format !== 'number' || typeof manifest.schema !== 'object' || manifest.schema === null) {
    throw new SnapshotError(`${file} is not a codesuite snapshot: its ${MANIFEST_NAME} lacks format and schema`);
  }
  const maker = `codesuite ${String(manifest.codesuiteVersion)}`;
  const upgrade = `restore it with ${maker} or later (this is codesuite ${VERSION})`;
  if (manifest.format > SNAPSHOT_FORMAT) {
    throw new SnapshotError(`${file} was made by ${maker} in snapshot format ${manifest.format}, newer than this codesuite reads (${SNAPSHOT_FORMAT}): ${upgrade}`);
  }
  const newer = Object.entries(manifest.schema).filter(([service, version]) => !(service in known) || Number(version) > known[service]);
  if (newer.length > 0) {
    const what = newer.map(([service, version]) => (service in known ? `${service} at migration ${version}, this codesuite knows up to ${known[service]}` : `${service} at migration ${version}, unknown to this codesuite`)).join('; ');
    throw new SnapshotError(`${file} was made by ${maker} with a newer database schema (${what}): ${upgrade}`);
  }
  if (manifest.accountId !== accountId) {
    throw new SnapshotError(`${file} holds account ${String(manifest.accountId)}; start with --account-id ${String(manifest.accountId)} to restore it`);
  }
  return manifest;
}
