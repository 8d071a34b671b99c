import type { Db } from '../core/store/db.js';

export interface TopicRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  /** The settable attributes as set (Policy, DisplayName, DeliveryPolicy, FifoTopic...), JSON. */
  attributes: string;
  tags: string;
  sequence: number;
  created_at: number;
}

export interface SubscriptionRow {
  arn: string;
  topic_arn: string;
  owner: string;
  protocol: string;
  endpoint: string;
  attributes: string;
  token: string | null;
  confirmed: number;
  created_at: number;
}

export interface OutboxRow {
  id: number;
  account_id: string;
  region: string;
  protocol: string;
  endpoint: string;
  topic_arn: string;
  subscription_arn: string;
  message_type: string;
  subject: string | null;
  body: string;
  created_at: number;
}

const KEEP_OUTBOX = 10_000;

export const attributesOf = (row: { attributes: string }) => JSON.parse(row.attributes) as Record<string, string>;

/** SNS's tables: topics, subscriptions, FIFO deduplication ids, the outbox and the signing key. */
export class SnsStore {
  constructor(readonly db: Db) {}

  topic(arn: string): TopicRow | undefined {
    return this.db.prepare('SELECT * FROM sns_topics WHERE arn = ?').get(arn) as TopicRow | undefined;
  }

  topics(accountId: string, region: string, after: string, limit: number): TopicRow[] {
    return this.db
      .prepare('SELECT * FROM sns_topics WHERE account_id = ? AND region = ? AND arn > ? ORDER BY arn LIMIT ?')
      .all(accountId, region, after, limit) as TopicRow[];
  }

  insertTopic(row: Omit<TopicRow, 'sequence'>): void {
    this.db
      .prepare('INSERT INTO sns_topics (arn, account_id, region, name, attributes, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.arn, row.account_id, row.region, row.name, row.attributes, row.tags, row.created_at);
  }

  setTopicAttributes(arn: string, attributes: Record<string, string>): void {
    this.db.prepare('UPDATE sns_topics SET attributes = ? WHERE arn = ?').run(JSON.stringify(attributes), arn);
  }

  setTags(arn: string, tags: Record<string, string>): void {
    this.db.prepare('UPDATE sns_topics SET tags = ? WHERE arn = ?').run(JSON.stringify(tags), arn);
  }

  /** The next FIFO sequence number of a topic. */
  nextSequence(arn: string): number {
    return (this.db.prepare('UPDATE sns_topics SET sequence = sequence + 1 WHERE arn = ? RETURNING sequence').get(arn) as { sequence: number }).sequence;
  }

  deleteTopic(arn: string): void {
    this.db.prepare('DELETE FROM sns_subscriptions WHERE topic_arn = ?').run(arn);
    this.db.prepare('DELETE FROM sns_fifo_dedup WHERE topic_arn = ?').run(arn);
    this.db.prepare('DELETE FROM sns_topics WHERE arn = ?').run(arn);
  }

  subscription(arn: string): SubscriptionRow | undefined {
    return this.db.prepare('SELECT * FROM sns_subscriptions WHERE arn = ?').get(arn) as SubscriptionRow | undefined;
  }

  findSubscription(topicArn: string, protocol: string, endpoint: string): SubscriptionRow | undefined {
    return this.db
      .prepare('SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND protocol = ? AND endpoint = ?')
      .get(topicArn, protocol, endpoint) as SubscriptionRow | undefined;
  }

  subscriptionByToken(topicArn: string, token: string): SubscriptionRow | undefined {
    return this.db.prepare('SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND token = ?').get(topicArn, token) as SubscriptionRow | undefined;
  }

  subscriptionsOf(topicArn: string): SubscriptionRow[] {
    return this.db.prepare('SELECT * FROM sns_subscriptions WHERE topic_arn = ? ORDER BY created_at, arn').all(topicArn) as SubscriptionRow[];
  }

  /** Subscriptions of an account's topics in a region, paged by ARN. */
  subscriptions(accountId: string, region: string, topicArn: string | undefined, after: string, limit: number): SubscriptionRow[] {
    const prefix = `arn:aws:sns:${region}:${accountId}:`;
    return this.db
      .prepare(
        `SELECT * FROM sns_subscriptions WHERE topic_arn >= ? AND topic_arn < ? ${topicArn ? 'AND topic_arn = ?' : ''} AND arn > ? ORDER BY arn LIMIT ?`,
      )
      .all(prefix, `${prefix}\uffff`, ...(topicArn ? [topicArn] : []), after, limit) as SubscriptionRow[];
  }

  insertSubscription(row: SubscriptionRow): void {
    this.db
      .prepare('INSERT INTO sns_subscriptions (arn, topic_arn, owner, protocol, endpoint, attributes, token, confirmed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.arn, row.topic_arn, row.owner, row.protocol, row.endpoint, row.attributes, row.token, row.confirmed, row.created_at);
  }

  setSubscriptionAttributes(arn: string, attributes: Record<string, string>): void {
    this.db.prepare('UPDATE sns_subscriptions SET attributes = ? WHERE arn = ?').run(JSON.stringify(attributes), arn);
  }

  confirm(arn: string): void {
    this.db.prepare('UPDATE sns_subscriptions SET confirmed = 1 WHERE arn = ?').run(arn);
  }

  deleteSubscription(arn: string): void {
    this.db.prepare('DELETE FROM sns_subscriptions WHERE arn = ?').run(arn);
  }

  /** A message id and sequence number already published with this deduplication id, within the window. */
  duplicate(topicArn: string, dedupId: string, now: number): { message_id: string; sequence_number: string } | undefined {
    this.db.prepare('DELETE FROM sns_fifo_dedup WHERE expires_at <= ?').run(now);
    return this.db.prepare('SELECT message_id, sequence_number FROM sns_fifo_dedup WHERE topic_arn = ? AND dedup_id = ?').get(topicArn, dedupId) as
      | { message_id: string; sequence_number: string }
      | undefined;
  }

  rememberDedup(topicArn: string, dedupId: string, messageId: string, sequenceNumber: string, expiresAt: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO sns_fifo_dedup (topic_arn, dedup_id, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(topicArn, dedupId, messageId, sequenceNumber, expiresAt);
  }

  /** Keeps the newest messages: a lab reads the latest, and the outbox must not grow without end. */
  addToOutbox(row: Omit<OutboxRow, 'id'>): number {
    const id = Number(
      this.db
        .prepare(
          'INSERT INTO sns_outbox (account_id, region, protocol, endpoint, topic_arn, subscription_arn, message_type, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(row.account_id, row.region, row.protocol, row.endpoint, row.topic_arn, row.subscription_arn, row.message_type, row.subject, row.body, row.created_at)
        .lastInsertRowid,
    );
    this.db.prepare('DELETE FROM sns_outbox WHERE id <= ?').run(id - KEEP_OUTBOX);
    return id;
  }

  outbox(filter: { endpoint?: string; topicArn?: string; limit: number }): OutboxRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.endpoint) (where.push('endpoint = ?'), args.push(filter.endpoint));
    if (filter.topicArn) (where.push('topic_arn = ?'), args.push(filter.topicArn));
    return this.db
      .prepare(`SELECT * FROM sns_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
      .all(...args, filter.limit) as OutboxRow[];
  }
}
