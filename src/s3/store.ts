import type { Db } from '../core/store/db.js';
import type { Segment } from './blob-store.js';
import type { ChecksumAlgorithm, ChecksumType } from './checksums.js';

export interface Tag {
  Key: string;
  Value: string;
}

export type Versioning = 'Enabled' | 'Suspended';

export interface Bucket {
  name: string;
  accountId: string;
  region: string;
  createdAt: number;
  versioning?: Versioning;
  policy?: string;
  tags?: Tag[];
}

/** The representation headers S3 stores with an object and returns on GET and HEAD. */
export interface ObjectHeaders {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: string;
  WebsiteRedirectLocation?: string;
}

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  type: ChecksumType;
  value: string;
}

export interface PartLayout {
  size: number;
  checksum?: string;
}

/** What a write stores besides where the bytes are. */
export interface ObjectFields {
  size: number;
  etag: string;
  lastModified: number;
  storageClass?: string;
  headers: ObjectHeaders;
  metadata: Record<string, string>;
  tags: Tag[];
  checksum?: StoredChecksum;
  /** Multipart objects: each part's size (and checksum), for partNumber reads and parts counts. */
  parts?: PartLayout[];
  segments: Segment[];
  owner: string;
}

export interface ObjectVersion extends ObjectFields {
  id: number;
  bucket: string;
  key: string;
  versionId: string;
  isLatest: boolean;
  deleteMarker: boolean;
}

export interface Upload {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: number;
  owner: string;
  storageClass?: string;
  headers: ObjectHeaders;
  metadata: Record<string, string>;
  tags: Tag[];
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

export interface Part {
  partNumber: number;
  size: number;
  etag: string;
  lastModified: number;
  /** Every checksum computed for the part, by algorithm. */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  blob: string;
}

type Row = Record<string, unknown>;
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const parse = <T>(text: unknown, fallback: T): T => (typeof text === 'string' ? (JSON.parse(text) as T) : fallback);

function toBucket(row: Row): Bucket {
  return {
    name: row.name as string,
    accountId: row.account_id as string,
    region: row.region as string,
    createdAt: row.created_at as number,
    versioning: (row.versioning as Versioning | null) ?? undefined,
    policy: (row.policy as string | null) ?? undefined,
    tags: parse<Tag[] | undefined>(row.tags, undefined),
  };
}

function toVersion(row: Row): ObjectVersion {
  return {
    id: row.id as number,
    bucket: row.bucket as string,
    key: row.key as string,
    versionId: row.version_id as string,
    isLatest: row.is_latest === 1,
    deleteMarker: row.delete_marker === 1,
    lastModified: row.last_modified as number,
    size: row.size as number,
    etag: (row.etag as string | null) ?? '',
    storageClass: (row.storage_class as string | null) ?? undefined,
    headers: parse(row.headers, {}),
    metadata: parse(row.metadata, {}),
    tags: parse(row.tags, []),
    checksum: row.checksum
      ? { algorithm: row.checksum_algorithm as ChecksumAlgorithm, type: row.checksum_type as ChecksumType, value: row.checksum as string }
      : undefined,
    parts: parse<PartLayout[] | undefined>(row.parts, undefined),
    segments: parse(row.segments, []),
    owner: row.owner as string,
  };
}

function toUpload(row: Row): Upload {
  return {
    uploadId: row.upload_id as string,
    bucket: row.bucket as string,
    key: row.key as string,
    initiated: row.initiated as number,
    owner: row.owner as string,
    storageClass: (row.storage_class as string | null) ?? undefined,
    headers: parse(row.headers, {}),
    metadata: parse(row.metadata, {}),
    tags: parse(row.tags, []),
    checksumAlgorithm: (row.checksum_algorithm as ChecksumAlgorithm | null) ?? undefined,
    checksumType: (row.checksum_type as ChecksumType | null) ?? undefined,
  };
}

function toPart(row: Row): Part {
  return {
    partNumber: row.part_number as number,
    size: row.size as number,
    etag: row.etag as string,
    lastModified: row.last_modified as number,
    checksums: parse(row.checksums, {}),
    blob: row.blob as string,
  };
}

/** Blobs a removed version leaves behind, for the blob store to delete once the transaction committed. */
const blobsOf = (versions: ObjectVersion[]) => versions.flatMap((v) => v.segments.map((s) => s.blob));

/** Every read and write of S3's tables; each mutation is one transaction. */
export class S3Store {
  constructor(private readonly db: Db) {}

  // ------------------------------------------------------------ buckets

  bucket(name: string): Bucket | undefined {
    const row = this.db.prepare('SELECT * FROM s3_buckets WHERE name = ?').get(name) as Row | undefined;
    return row ? toBucket(row) : undefined;
  }

  createBucket(bucket: Bucket): void {
    this.db
      .prepare('INSERT INTO s3_buckets (name, account_id, region, created_at, tags) VALUES (?, ?, ?, ?, ?)')
      .run(bucket.name, bucket.accountId, bucket.region, bucket.createdAt, json(bucket.tags));
  }

  /** Deletes an empty bucket (and any multipart uploads left in it); false when it holds objects. */
  deleteBucket(name: string): { deleted: boolean; blobs: string[] } {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1').get(name)) return { deleted: false, blobs: [] };
      const blobs = this.db
        .prepare('SELECT p.blob FROM s3_parts p JOIN s3_uploads u ON u.upload_id = p.upload_id WHERE u.bucket = ?')
        .pluck()
        .all(name) as string[];
      this.db.prepare('DELETE FROM s3_uploads WHERE bucket = ?').run(name);
      this.db.prepare('DELETE FROM s3_buckets WHERE name = ?').run(name);
      return { deleted: true, blobs };
    })();
  }

  listBuckets(accountId: string, options: { prefix?: string; after?: string; region?: string; limit: number }): Bucket[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM s3_buckets WHERE account_id = ? AND name > ? AND (? IS NULL OR substr(name, 1, length(?)) = ?)
         AND (? IS NULL OR region = ?) ORDER BY name LIMIT ?`,
      )
      .all(accountId, options.after ?? '', options.prefix ?? null, options.prefix ?? '', options.prefix ?? '', options.region ?? null, options.region ?? null, options.limit) as Row[];
    return rows.map(toBucket);
  }

  setVersioning(name: string, status: Versioning): void {
    this.db.prepare('UPDATE s3_buckets SET versioning = ? WHERE name = ?').run(status, name);
  }

  setPolicy(name: string, policy: string | undefined): void {
    this.db.prepare('UPDATE s3_buckets SET policy = ? WHERE name = ?').run(policy ?? null, name);
  }

  setBucketTags(name: string, tags: Tag[] | undefined): void {
    this.db.prepare('UPDATE s3_buckets SET tags = ? WHERE name = ?').run(json(tags), name);
  }

  // ------------------------------------------------------------ objects

  latest(bucket: string, key: string): ObjectVersion | undefined {
    const row = this.db.prepare('SELECT * FROM s3_objects WHERE bucket = ? AND key = ? AND is_latest = 1').get(bucket, key) as Row | undefined;
    return row ? toVersion(row) : undefined;
  }

  version(bucket: string, key: string, versionId: string): ObjectVersion | undefined {
    const row = this.db.prepare('SELECT * FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?').get(bucket, key, versionId) as
      | Row
      | undefined;
    return row ? toVersion(row) : undefined;
  }

  private insertVersion(bucket: string, key: string, versionId: string, deleteMarker: boolean, fields: ObjectFields): number {
    this.db.prepare('UPDATE s3_objects SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1').run(bucket, key);
    const result = this.db
      .prepare(
        `INSERT INTO s3_objects (bucket, key, version_id, is_latest, delete_marker, last_modified, size, etag, storage_class, headers,
           metadata, tags, checksum_algorithm, checksum_type, checksum, parts, segments, owner)
         VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        bucket,
        key,
        versionId,
        deleteMarker ? 1 : 0,
        fields.lastModified,
        fields.size,
        deleteMarker ? null : fields.etag,
        fields.storageClass ?? null,
        json(fields.headers),
        json(fields.metadata),
        json(fields.tags),
        fields.checksum?.algorithm ?? null,
        fields.checksum?.type ?? null,
        fields.checksum?.value ?? null,
        json(fields.parts),
        json(fields.segments),
        fields.owner,
      );
    return Number(result.lastInsertRowid);
  }

  /** Removes a key's `null` version (the one unversioned and suspended buckets overwrite). */
  private removeNullVersion(bucket: string, key: string): ObjectVersion | undefined {
    const existing = this.version(bucket, key, 'null');
    if (existing) this.db.prepare('DELETE FROM s3_objects WHERE id = ?').run(existing.id);
    return existing;
  }

  /**
   * Stores a new current version: with versioning Enabled a new version id, otherwise the `null`
   * version, replacing the previous `null` one. `check` runs inside the transaction, against the
   * state the write replaces (conditional writes), and may throw to abort it.
   */
  putObject(
    bucket: string,
    key: string,
    fields: ObjectFields,
    newVersionId: () => string,
    check?: (current: ObjectVersion | undefined) => void,
  ): { version: ObjectVersion; removedBlobs: string[] } {
    return this.db.transaction(() => {
      const b = this.bucket(bucket);
      if (!b) throw new MissingBucket(bucket);
      check?.(this.latest(bucket, key));
      const versionId = b.versioning === 'Enabled' ? newVersionId() : 'null';
      const removed = versionId === 'null' ? this.removeNullVersion(bucket, key) : undefined;
      const id = this.insertVersion(bucket, key, versionId, false, fields);
      return { version: this.versionById(id), removedBlobs: removed ? blobsOf([removed]) : [] };
    })();
  }

  private versionById(id: number): ObjectVersion {
    return toVersion(this.db.prepare('SELECT * FROM s3_objects WHERE id = ?').get(id) as Row);
  }

  /**
   * DeleteObject without a version id: removes the object in an unversioned bucket, otherwise
   * adds a delete marker (the `null` one when versioning is suspended).
   */
  deleteObject(bucket: string, key: string, now: number, owner: string, newVersionId: () => string): { marker?: ObjectVersion; removedBlobs: string[] } {
    return this.db.transaction(() => {
      const b = this.bucket(bucket);
      if (!b) throw new MissingBucket(bucket);
      if (!b.versioning) {
        const removed = this.removeNullVersion(bucket, key);
        return { removedBlobs: removed ? blobsOf([removed]) : [] };
      }
      const versionId = b.versioning === 'Enabled' ? newVersionId() : 'null';
      const removed = versionId === 'null' ? this.removeNullVersion(bucket, key) : undefined;
      const id = this.insertVersion(bucket, key, versionId, true, { size: 0, etag: '', lastModified: now, headers: {}, metadata: {}, tags: [], segments: [], owner });
      return { marker: this.versionById(id), removedBlobs: removed ? blobsOf([removed]) : [] };
    })();
  }

  /** Permanently deletes one version; the next newest becomes current. */
  deleteVersion(bucket: string, key: string, versionId: string): { removed?: ObjectVersion; removedBlobs: string[] } {
    return this.db.transaction(() => {
      const existing = this.version(bucket, key, versionId);
      if (!existing) return { removedBlobs: [] };
      this.db.prepare('DELETE FROM s3_objects WHERE id = ?').run(existing.id);
      if (existing.isLatest) {
        this.db
          .prepare('UPDATE s3_objects SET is_latest = 1 WHERE id = (SELECT max(id) FROM s3_objects WHERE bucket = ? AND key = ?)')
          .run(bucket, key);
      }
      return { removed: existing, removedBlobs: blobsOf([existing]) };
    })();
  }

  setObjectTags(id: number, tags: Tag[]): void {
    this.db.prepare('UPDATE s3_objects SET tags = ? WHERE id = ?').run(JSON.stringify(tags), id);
  }

  /**
   * Current, non-deleted objects from a key on (`inclusive`) or after it, in key order: SQLite's
   * binary collation compares UTF-8 bytes, which is S3's listing order.
   */
  latestFrom(bucket: string, key: string, inclusive: boolean, limit: number): ObjectVersion[] {
    const op = inclusive ? '>=' : '>';
    return (
      this.db
        .prepare(`SELECT * FROM s3_objects WHERE bucket = ? AND is_latest = 1 AND delete_marker = 0 AND key ${op} ? ORDER BY key LIMIT ?`)
        .all(bucket, key, limit) as Row[]
    ).map(toVersion);
  }

  /** All versions from a position: keys ascending, newest version of each first; `afterId` resumes inside a key. */
  versionsFrom(bucket: string, key: string, inclusive: boolean, afterId: number | undefined, limit: number): ObjectVersion[] {
    const rows =
      afterId === undefined
        ? this.db.prepare(`SELECT * FROM s3_objects WHERE bucket = ? AND key ${inclusive ? '>=' : '>'} ? ORDER BY key, id DESC LIMIT ?`).all(bucket, key, limit)
        : this.db
            .prepare('SELECT * FROM s3_objects WHERE bucket = ? AND (key > ? OR (key = ? AND id < ?)) ORDER BY key, id DESC LIMIT ?')
            .all(bucket, key, key, afterId, limit);
    return (rows as Row[]).map(toVersion);
  }

  // ------------------------------------------------------------ multipart uploads

  createUpload(upload: Upload): void {
    this.db
      .prepare(
        `INSERT INTO s3_uploads (upload_id, bucket, key, initiated, owner, storage_class, headers, metadata, tags, checksum_algorithm, checksum_type)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        upload.uploadId,
        upload.bucket,
        upload.key,
        upload.initiated,
        upload.owner,
        upload.storageClass ?? null,
        json(upload.headers),
        json(upload.metadata),
        json(upload.tags),
        upload.checksumAlgorithm ?? null,
        upload.checksumType ?? null,
      );
  }

  upload(uploadId: string): Upload | undefined {
    const row = this.db.prepare('SELECT * FROM s3_uploads WHERE upload_id = ?').get(uploadId) as Row | undefined;
    return row ? toUpload(row) : undefined;
  }

  /** Stores a part, replacing an earlier upload of the same number; false when the upload is gone. */
  putPart(uploadId: string, part: Part): { stored: boolean; removedBlobs: string[] } {
    return this.db.transaction(() => {
      if (!this.upload(uploadId)) return { stored: false, removedBlobs: [] };
      const previous = this.db.prepare('SELECT blob FROM s3_parts WHERE upload_id = ? AND part_number = ?').pluck().get(uploadId, part.partNumber) as
        | string
        | undefined;
      this.db
        .prepare(
          `INSERT OR REPLACE INTO s3_parts (upload_id, part_number, size, etag, last_modified, checksums, blob) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(uploadId, part.partNumber, part.size, part.etag, part.lastModified, JSON.stringify(part.checksums), part.blob);
      return { stored: true, removedBlobs: previous ? [previous] : [] };
    })();
  }

  parts(uploadId: string, afterPart = 0, limit = 10001): Part[] {
    return (
      this.db.prepare('SELECT * FROM s3_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?').all(uploadId, afterPart, limit) as Row[]
    ).map(toPart);
  }

  /** Drops an upload and its parts, returning the parts' blobs. */
  deleteUpload(uploadId: string): string[] {
    return this.db.transaction(() => {
      const blobs = this.db.prepare('SELECT blob FROM s3_parts WHERE upload_id = ?').pluck().all(uploadId) as string[];
      this.db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?').run(uploadId);
      return blobs;
    })();
  }

  /**
   * Completes an upload: the object version is stored from the listed parts' blobs and the upload
   * disappears with its other parts, all in one transaction.
   */
  completeUpload(
    upload: Upload,
    usedParts: Set<number>,
    fields: ObjectFields,
    newVersionId: () => string,
    check?: (current: ObjectVersion | undefined) => void,
  ): { version: ObjectVersion; removedBlobs: string[] } {
    return this.db.transaction(() => {
      if (!this.upload(upload.uploadId)) throw new MissingUpload(upload.uploadId);
      const unused = this.parts(upload.uploadId)
        .filter((p) => !usedParts.has(p.partNumber))
        .map((p) => p.blob);
      this.db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?').run(upload.uploadId);
      const stored = this.putObject(upload.bucket, upload.key, fields, newVersionId, check);
      return { version: stored.version, removedBlobs: [...unused, ...stored.removedBlobs] };
    })();
  }

  /** Uploads from a position, ordered by key, then initiation time; `after` resumes inside a key. */
  uploadsFrom(bucket: string, key: string, inclusive: boolean, after: Upload | undefined, limit: number): Upload[] {
    const rows =
      after === undefined
        ? this.db
            .prepare(`SELECT * FROM s3_uploads WHERE bucket = ? AND key ${inclusive ? '>=' : '>'} ? ORDER BY key, initiated, upload_id LIMIT ?`)
            .all(bucket, key, limit)
        : this.db
            .prepare(
              `SELECT * FROM s3_uploads WHERE bucket = ? AND (key > ? OR (key = ? AND (initiated > ? OR (initiated = ? AND upload_id > ?))))
               ORDER BY key, initiated, upload_id LIMIT ?`,
            )
            .all(bucket, key, key, after.initiated, after.initiated, after.uploadId, limit);
    return (rows as Row[]).map(toUpload);
  }

  /** Every blob the tables reference, for the start-up sweep. */
  referencedBlobs(): Set<string> {
    const set = new Set<string>();
    for (const text of this.db.prepare('SELECT segments FROM s3_objects WHERE segments IS NOT NULL').pluck().iterate() as Iterable<string>) {
      for (const s of JSON.parse(text) as Segment[]) set.add(s.blob);
    }
    for (const blob of this.db.prepare('SELECT blob FROM s3_parts').pluck().iterate() as Iterable<string>) set.add(blob);
    return set;
  }
}

/** The bucket went away between the handler's check and its write. */
export class MissingBucket extends Error {
  constructor(readonly bucket: string) {
    super(`bucket ${bucket} does not exist`);
  }
}

export class MissingUpload extends Error {
  constructor(readonly uploadId: string) {
    super(`upload ${uploadId} does not exist`);
  }
}
