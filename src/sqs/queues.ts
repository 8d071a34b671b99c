import type { Db } from '../core/store/db.js';
import { queueArn, type QueueAddress } from './names.js';
import { parseRedrivePolicy, type RedrivePolicy } from './queue-attributes.js';

interface QueueRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  arn: string;
  attributes: string;
  tags: string;
  created_at: number;
  modified_at: number;
  purged_at: number | null;
}

export interface Queue {
  id: number;
  accountId: string;
  region: string;
  name: string;
  arn: string;
  /** Every settable attribute with its value, defaults included. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  purgedAt: number | null;
  fifo: boolean;
}

const view = (row: QueueRow): Queue => {
  const attributes = JSON.parse(row.attributes) as Record<string, string>;
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    arn: row.arn,
    attributes,
    tags: JSON.parse(row.tags) as Record<string, string>,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    purgedAt: row.purged_at,
    fifo: attributes.FifoQueue === 'true',
  };
};

/** Seconds-valued attribute of a queue, as a number. */
export const seconds = (queue: Queue, name: string) => Number(queue.attributes[name] ?? 0);

export function redrivePolicy(queue: Queue): RedrivePolicy | undefined {
  const text = queue.attributes.RedrivePolicy;
  return text ? parseRedrivePolicy(text) : undefined;
}

/** The queues table: one row per queue, its attributes and tags as JSON. */
export class Queues {
  constructor(private readonly db: Db) {}

  find(address: QueueAddress): Queue | undefined {
    const row = this.db.prepare('SELECT * FROM sqs_queues WHERE account_id = ? AND region = ? AND name = ?').get(address.accountId, address.region, address.name) as
      | QueueRow
      | undefined;
    return row && view(row);
  }

  byArn(arn: string): Queue | undefined {
    const row = this.db.prepare('SELECT * FROM sqs_queues WHERE arn = ?').get(arn) as QueueRow | undefined;
    return row && view(row);
  }

  byId(id: number): Queue | undefined {
    const row = this.db.prepare('SELECT * FROM sqs_queues WHERE id = ?').get(id) as QueueRow | undefined;
    return row && view(row);
  }

  create(address: QueueAddress, attributes: Record<string, string>, tags: Record<string, string>, now: number): Queue {
    this.db
      .prepare('INSERT INTO sqs_queues (account_id, region, name, arn, attributes, tags, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(address.accountId, address.region, address.name, queueArn(address), JSON.stringify(attributes), JSON.stringify(tags), now, now);
    return this.find(address)!;
  }

  setAttributes(queue: Queue, attributes: Record<string, string>, now: number): void {
    this.db.prepare('UPDATE sqs_queues SET attributes = ?, modified_at = ? WHERE id = ?').run(JSON.stringify(attributes), now, queue.id);
  }

  setTags(queue: Queue, tags: Record<string, string>): void {
    this.db.prepare('UPDATE sqs_queues SET tags = ? WHERE id = ?').run(JSON.stringify(tags), queue.id);
  }

  markPurged(queue: Queue, now: number): void {
    this.db.prepare('UPDATE sqs_queues SET purged_at = ? WHERE id = ?').run(now, queue.id);
  }

  delete(queue: Queue): void {
    this.db.prepare('DELETE FROM sqs_queues WHERE id = ?').run(queue.id);
  }

  /** An account's queues in a region, by name, from `after` on. */
  list(accountId: string, region: string, prefix: string, after: string, limit: number): Queue[] {
    return (
      this.db
        .prepare('SELECT * FROM sqs_queues WHERE account_id = ? AND region = ? AND substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?')
        .all(accountId, region, prefix.length, prefix, after, limit) as QueueRow[]
    ).map(view);
  }

  /** Queues whose redrive policy names this one as their dead-letter queue. */
  deadLetterSources(dlqArn: string): Queue[] {
    return (this.db.prepare("SELECT * FROM sqs_queues WHERE attributes LIKE '%RedrivePolicy%' ORDER BY name").all() as QueueRow[])
      .map(view)
      .filter((q) => redrivePolicy(q)?.deadLetterTargetArn === dlqArn);
  }
}
