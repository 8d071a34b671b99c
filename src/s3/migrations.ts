import type { Migration } from '../core/store/db.js';

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      -- Bucket names are global, as in S3's partition.
      CREATE TABLE s3_buckets (
        name TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        versioning TEXT,
        policy TEXT,
        tags TEXT
      );
      -- Every version of every object, delete markers included; the newest of a key is_latest.
      CREATE TABLE s3_objects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bucket TEXT NOT NULL REFERENCES s3_buckets (name),
        key TEXT NOT NULL,
        version_id TEXT NOT NULL,
        is_latest INTEGER NOT NULL,
        delete_marker INTEGER NOT NULL,
        last_modified INTEGER NOT NULL,
        size INTEGER NOT NULL DEFAULT 0,
        etag TEXT,
        storage_class TEXT,
        headers TEXT,
        metadata TEXT,
        tags TEXT,
        checksum_algorithm TEXT,
        checksum_type TEXT,
        checksum TEXT,
        parts TEXT,
        segments TEXT,
        owner TEXT NOT NULL,
        UNIQUE (bucket, key, version_id)
      );
      CREATE INDEX s3_objects_latest ON s3_objects (bucket, is_latest, key);
      CREATE INDEX s3_objects_versions ON s3_objects (bucket, key, id);
      CREATE TABLE s3_uploads (
        upload_id TEXT PRIMARY KEY,
        bucket TEXT NOT NULL REFERENCES s3_buckets (name),
        key TEXT NOT NULL,
        initiated INTEGER NOT NULL,
        owner TEXT NOT NULL,
        storage_class TEXT,
        headers TEXT,
        metadata TEXT,
        tags TEXT,
        checksum_algorithm TEXT,
        checksum_type TEXT
      );
      CREATE INDEX s3_uploads_key ON s3_uploads (bucket, key, initiated);
      CREATE TABLE s3_parts (
        upload_id TEXT NOT NULL REFERENCES s3_uploads (upload_id) ON DELETE CASCADE,
        part_number INTEGER NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        last_modified INTEGER NOT NULL,
        checksums TEXT NOT NULL,
        blob TEXT NOT NULL,
        PRIMARY KEY (upload_id, part_number)
      );
    `,
  },
];
