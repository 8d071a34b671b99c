import type { Db } from '../core/store/db.js';

export interface CommentRecord {
  id: string;
  repositoryId: string;
  pullRequestId: number | null;
  beforeCommitId: string | null;
  afterCommitId: string;
  beforeBlobId: string | null;
  afterBlobId: string | null;
  filePath: string | null;
  filePosition: number | null;
  relativeFileVersion: string | null;
  inReplyTo: string | null;
  content: string;
  authorArn: string;
  clientRequestToken: string | null;
  requestHash: string;
  deleted: boolean;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  repository_id: string;
  pull_request_id: number | null;
  before_commit_id: string | null;
  after_commit_id: string;
  before_blob_id: string | null;
  after_blob_id: string | null;
  file_path: string | null;
  file_position: number | null;
  relative_file_version: string | null;
  in_reply_to: string | null;
  content: string;
  author_arn: string;
  client_request_token: string | null;
  request_hash: string;
  deleted: number;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): CommentRecord => ({
  id: r.id,
  repositoryId: r.repository_id,
  pullRequestId: r.pull_request_id,
  beforeCommitId: r.before_commit_id,
  afterCommitId: r.after_commit_id,
  beforeBlobId: r.before_blob_id,
  afterBlobId: r.after_blob_id,
  filePath: r.file_path,
  filePosition: r.file_position,
  relativeFileVersion: r.relative_file_version,
  inReplyTo: r.in_reply_to,
  content: r.content,
  authorArn: r.author_arn,
  clientRequestToken: r.client_request_token,
  requestHash: r.request_hash,
  deleted: r.deleted === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Comments on commits and pull requests, and the one reaction each user may give each comment. */
export class CommentStore {
  constructor(private readonly db: Db) {}

  get(id: string): CommentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codecommit_comments WHERE id = ?').get(id) as Row | undefined;
    return row && fromRow(row);
  }

  byToken(authorArn: string, token: string): CommentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codecommit_comments WHERE author_arn = ? AND client_request_token = ?').get(authorArn, token) as Row | undefined;
    return row && fromRow(row);
  }

  insert(c: CommentRecord): void {
    this.db
      .prepare(
        `INSERT INTO codecommit_comments (id, repository_id, pull_request_id, before_commit_id, after_commit_id, before_blob_id, after_blob_id, file_path,
           file_position, relative_file_version, in_reply_to, content, author_arn, client_request_token, request_hash, deleted, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      )
      .run(
        c.id,
        c.repositoryId,
        c.pullRequestId,
        c.beforeCommitId,
        c.afterCommitId,
        c.beforeBlobId,
        c.afterBlobId,
        c.filePath,
        c.filePosition,
        c.relativeFileVersion,
        c.inReplyTo,
        c.content,
        c.authorArn,
        c.clientRequestToken,
        c.requestHash,
        c.createdAt,
        c.updatedAt,
      );
  }

  setContent(id: string, content: string, deleted: boolean, now: number): void {
    this.db.prepare('UPDATE codecommit_comments SET content = ?, deleted = ?, updated_at = ? WHERE id = ?').run(content, deleted ? 1 : 0, now, id);
  }

  /** Comments on compared commits (not on pull requests), oldest first. */
  onCommits(repositoryId: string, afterCommitId: string, beforeCommitId: string | undefined): CommentRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM codecommit_comments WHERE repository_id = ? AND after_commit_id = ? AND pull_request_id IS NULL
         AND (? IS NULL OR before_commit_id = ?) ORDER BY created_at, rowid`,
      )
      .all(repositoryId, afterCommitId, beforeCommitId ?? null, beforeCommitId ?? null) as Row[];
    return rows.map(fromRow);
  }

  onPullRequest(pullRequestId: number, filter: { repositoryId?: string; beforeCommitId?: string; afterCommitId?: string }): CommentRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM codecommit_comments WHERE pull_request_id = ? AND (? IS NULL OR repository_id = ?)
         AND (? IS NULL OR before_commit_id = ?) AND (? IS NULL OR after_commit_id = ?) ORDER BY created_at, rowid`,
      )
      .all(
        pullRequestId,
        filter.repositoryId ?? null,
        filter.repositoryId ?? null,
        filter.beforeCommitId ?? null,
        filter.beforeCommitId ?? null,
        filter.afterCommitId ?? null,
        filter.afterCommitId ?? null,
      ) as Row[];
    return rows.map(fromRow);
  }

  reactions(commentId: string): { userArn: string; reaction: string }[] {
    return (
      this.db.prepare('SELECT user_arn, reaction FROM codecommit_comment_reactions WHERE comment_id = ? ORDER BY created_at, rowid').all(commentId) as {
        user_arn: string;
        reaction: string;
      }[]
    ).map((r) => ({ userArn: r.user_arn, reaction: r.reaction }));
  }

  /** One reaction per user and comment: a new one replaces the old; `null` removes it. */
  react(commentId: string, userArn: string, reaction: string | null, now: number): void {
    if (reaction === null) {
      this.db.prepare('DELETE FROM codecommit_comment_reactions WHERE comment_id = ? AND user_arn = ?').run(commentId, userArn);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO codecommit_comment_reactions (comment_id, user_arn, reaction, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (comment_id, user_arn) DO UPDATE SET reaction = excluded.reaction, created_at = excluded.created_at`,
      )
      .run(commentId, userArn, reaction, now);
  }
}
