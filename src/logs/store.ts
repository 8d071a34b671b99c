import type { Db } from '../core/store/db.js';

export interface GroupRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  created_at: number;
  retention_days: number | null;
  kms_key_id: string | null;
  log_group_class: string;
  deletion_protection: number;
  stored_bytes: number;
}

export interface StreamRow {
  id: number;
  group_id: number;
  name: string;
  created_at: number;
  first_event_at: number | null;
  last_event_at: number | null;
  last_ingestion_at: number | null;
  stored_bytes: number;
  uploads: number;
}

export interface EventRow {
  seq: number;
  stream_id: number;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

/** Where an event sits in time order: by timestamp, then by the order it was stored. */
export interface EventKey {
  timestamp: number;
  seq: number;
}

/** Before every event a stream can hold. */
export const START: EventKey = { timestamp: 0, seq: 0 };

/** CloudWatch Logs counts 26 bytes of overhead for every event besides its UTF-8 message. */
export const EVENT_OVERHEAD = 26;

export const eventBytes = (message: string) => Buffer.byteLength(message, 'utf8') + EVENT_OVERHEAD;

/** The logs tables, and the only code that touches them (the API and the internal writer share it). */
export class LogStore {
  constructor(readonly db: Db) {}

  findGroup(accountId: string, region: string, name: string): GroupRow | undefined {
    return this.db.prepare('SELECT * FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?').get(accountId, region, name) as
      | GroupRow
      | undefined;
  }

  listGroups(accountId: string, region: string): GroupRow[] {
    return this.db.prepare('SELECT * FROM logs_groups WHERE account_id = ? AND region = ? ORDER BY name').all(accountId, region) as GroupRow[];
  }

  insertGroup(row: Omit<GroupRow, 'id' | 'stored_bytes'>, tags: Record<string, string>): GroupRow {
    return this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare(
            'INSERT INTO logs_groups (account_id, region, name, created_at, retention_days, kms_key_id, log_group_class, deletion_protection) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(row.account_id, row.region, row.name, row.created_at, row.retention_days, row.kms_key_id, row.log_group_class, row.deletion_protection)
          .lastInsertRowid,
      );
      this.putTags(id, tags);
      return { ...row, id, stored_bytes: 0 };
    })();
  }

  deleteGroup(id: number): void {
    this.db.prepare('DELETE FROM logs_groups WHERE id = ?').run(id);
  }

  setRetention(id: number, days: number | null): void {
    this.db.prepare('UPDATE logs_groups SET retention_days = ? WHERE id = ?').run(days, id);
  }

  tags(groupId: number): Record<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM logs_group_tags WHERE group_id = ? ORDER BY key').all(groupId) as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  putTags(groupId: number, tags: Record<string, string>): void {
    const put = this.db.prepare('INSERT INTO logs_group_tags (group_id, key, value) VALUES (?, ?, ?) ON CONFLICT (group_id, key) DO UPDATE SET value = excluded.value');
    for (const [key, value] of Object.entries(tags)) put.run(groupId, key, value);
  }

  removeTags(groupId: number, keys: string[]): void {
    const del = this.db.prepare('DELETE FROM logs_group_tags WHERE group_id = ? AND key = ?');
    for (const key of keys) del.run(groupId, key);
  }

  findStream(groupId: number, name: string): StreamRow | undefined {
    return this.db.prepare('SELECT * FROM logs_streams WHERE group_id = ? AND name = ?').get(groupId, name) as StreamRow | undefined;
  }

  listStreams(groupId: number): StreamRow[] {
    return this.db.prepare('SELECT * FROM logs_streams WHERE group_id = ? ORDER BY name').all(groupId) as StreamRow[];
  }

  streamsById(groupId: number): Map<number, StreamRow> {
    return new Map(this.listStreams(groupId).map((s) => [s.id, s]));
  }

  insertStream(groupId: number, name: string, createdAt: number): StreamRow {
    const id = Number(this.db.prepare('INSERT INTO logs_streams (group_id, name, created_at) VALUES (?, ?, ?)').run(groupId, name, createdAt).lastInsertRowid);
    return { id, group_id: groupId, name, created_at: createdAt, first_event_at: null, last_event_at: null, last_ingestion_at: null, stored_bytes: 0, uploads: 0 };
  }

  deleteStream(stream: StreamRow): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE logs_groups SET stored_bytes = MAX(0, stored_bytes - ?) WHERE id = ?').run(stream.stored_bytes, stream.group_id);
      this.db.prepare('DELETE FROM logs_streams WHERE id = ?').run(stream.id);
    })();
  }

  /** Stores events (already validated) in one transaction; returns the stream's upload count. */
  append(stream: StreamRow, events: { timestamp: number; message: string }[], ingestionTime: number): number {
    return this.db.transaction(() => {
      const insert = this.db.prepare('INSERT INTO logs_events (group_id, stream_id, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)');
      let bytes = 0;
      let first: number | null = null;
      let last: number | null = null;
      for (const e of events) {
        insert.run(stream.group_id, stream.id, e.timestamp, ingestionTime, e.message);
        bytes += Buffer.byteLength(e.message, 'utf8');
        first = first === null ? e.timestamp : Math.min(first, e.timestamp);
        last = last === null ? e.timestamp : Math.max(last, e.timestamp);
      }
      this.db
        .prepare(
          `UPDATE logs_streams SET
             first_event_at = CASE WHEN ? IS NULL THEN first_event_at WHEN first_event_at IS NULL OR ? < first_event_at THEN ? ELSE first_event_at END,
             last_event_at = CASE WHEN ? IS NULL THEN last_event_at WHEN last_event_at IS NULL OR ? > last_event_at THEN ? ELSE last_event_at END,
             last_ingestion_at = CASE WHEN ? > 0 THEN ? ELSE last_ingestion_at END,
             stored_bytes = stored_bytes + ?,
             uploads = uploads + 1
           WHERE id = ?`,
        )
        .run(first, first, first, last, last, last, events.length, ingestionTime, bytes, stream.id);
      this.db.prepare('UPDATE logs_groups SET stored_bytes = stored_bytes + ? WHERE id = ?').run(bytes, stream.group_id);
      return (this.db.prepare('SELECT uploads FROM logs_streams WHERE id = ?').pluck().get(stream.id) as number) ?? 0;
    })();
  }

  /** Events of one stream after `after` (ascending), within [start, end). */
  forward(streamId: number, after: EventKey, start: number, end: number, limit: number): EventRow[] {
    return this.db
      .prepare(
        `SELECT seq, stream_id, timestamp, ingestion_time, message FROM logs_events
         WHERE stream_id = ? AND (timestamp > ? OR (timestamp = ? AND seq > ?)) AND timestamp >= ? AND timestamp < ?
         ORDER BY timestamp, seq LIMIT ?`,
      )
      .all(streamId, after.timestamp, after.timestamp, after.seq, start, end, limit) as EventRow[];
  }

  /** Events of one stream before `before`, the latest `limit` of them, returned ascending. */
  backward(streamId: number, before: EventKey | undefined, start: number, end: number, limit: number): EventRow[] {
    const rows = (
      before
        ? this.db
            .prepare(
              `SELECT seq, stream_id, timestamp, ingestion_time, message FROM logs_events
               WHERE stream_id = ? AND (timestamp < ? OR (timestamp = ? AND seq < ?)) AND timestamp >= ? AND timestamp < ?
               ORDER BY timestamp DESC, seq DESC LIMIT ?`,
            )
            .all(streamId, before.timestamp, before.timestamp, before.seq, start, end, limit)
        : this.db
            .prepare(
              `SELECT seq, stream_id, timestamp, ingestion_time, message FROM logs_events
               WHERE stream_id = ? AND timestamp >= ? AND timestamp < ? ORDER BY timestamp DESC, seq DESC LIMIT ?`,
            )
            .all(streamId, start, end, limit)
    ) as EventRow[];
    return rows.reverse();
  }

  /** Events of a group after `after` in time order, from the given streams, within [start, end]. */
  groupForward(groupId: number, streamIds: number[] | undefined, after: EventKey, start: number, end: number, limit: number): EventRow[] {
    const streamFilter = streamIds ? `AND stream_id IN (${streamIds.map(() => '?').join(', ')})` : '';
    return this.db
      .prepare(
        `SELECT seq, stream_id, timestamp, ingestion_time, message FROM logs_events
         WHERE group_id = ? ${streamFilter} AND (timestamp > ? OR (timestamp = ? AND seq > ?)) AND timestamp >= ? AND timestamp <= ?
         ORDER BY timestamp, seq LIMIT ?`,
      )
      .all(groupId, ...(streamIds ?? []), after.timestamp, after.timestamp, after.seq, start, end, limit) as EventRow[];
  }

  /** Deletes the events older than each group's retention; returns how many went. */
  purgeExpired(now: number): number {
    const groups = this.db.prepare('SELECT id, retention_days FROM logs_groups WHERE retention_days IS NOT NULL').all() as {
      id: number;
      retention_days: number;
    }[];
    let removed = 0;
    for (const g of groups) {
      const cutoff = now - g.retention_days * 86_400_000;
      removed += this.db.transaction(() => {
        const perStream = this.db
          .prepare('SELECT stream_id, SUM(LENGTH(CAST(message AS BLOB))) AS bytes FROM logs_events WHERE group_id = ? AND timestamp < ? GROUP BY stream_id')
          .all(g.id, cutoff) as { stream_id: number; bytes: number }[];
        if (perStream.length === 0) return 0;
        const changes = this.db.prepare('DELETE FROM logs_events WHERE group_id = ? AND timestamp < ?').run(g.id, cutoff).changes;
        let total = 0;
        for (const s of perStream) {
          total += s.bytes;
          const bounds = this.db.prepare('SELECT MIN(timestamp) AS first, MAX(timestamp) AS last FROM logs_events WHERE stream_id = ?').get(s.stream_id) as {
            first: number | null;
            last: number | null;
          };
          this.db
            .prepare('UPDATE logs_streams SET stored_bytes = MAX(0, stored_bytes - ?), first_event_at = ?, last_event_at = COALESCE(?, last_event_at) WHERE id = ?')
            .run(s.bytes, bounds.first, bounds.last, s.stream_id);
        }
        this.db.prepare('UPDATE logs_groups SET stored_bytes = MAX(0, stored_bytes - ?) WHERE id = ?').run(total, g.id);
        return changes;
      })();
    }
    return removed;
  }
}
