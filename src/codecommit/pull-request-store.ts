import type { PullRequestEventType } from '@aws-sdk/client-codecommit';
import type { Db } from '../core/store/db.js';
import { inputError } from './errors.js';

export interface PullRequestTargetRecord {
  position: number;
  repositoryId: string;
  repositoryName: string;
  sourceReference: string;
  destinationReference: string;
  sourceCommit: string;
  destinationCommit: string;
  mergeBase: string;
  mergedBy: string | null;
  mergeCommitId: string | null;
  mergeOption: string | null;
}

export interface PullRequestRecord {
  id: number;
  accountId: string;
  region: string;
  title: string;
  description: string | null;
  status: 'OPEN' | 'CLOSED';
  authorArn: string;
  clientRequestToken: string | null;
  requestHash: string;
  revisionId: string;
  overrideArn: string | null;
  createdAt: number;
  lastActivityAt: number;
  targets: PullRequestTargetRecord[];
}

export interface PullRequestEventRecord {
  id: number;
  pullRequestId: number;
  type: PullRequestEventType;
  actorArn: string;
  createdAt: number;
  metadata: Record<string, unknown>;
}

interface PrRow {
  id: number;
  account_id: string;
  region: string;
  title: string;
  description: string | null;
  status: 'OPEN' | 'CLOSED';
  author_arn: string;
  client_request_token: string | null;
  request_hash: string;
  revision_id: string;
  override_arn: string | null;
  created_at: number;
  last_activity_at: number;
}

interface TargetRow {
  position: number;
  repository_id: string;
  repository_name: string;
  source_reference: string;
  destination_reference: string;
  source_commit: string;
  destination_commit: string;
  merge_base: string;
  merged_by: string | null;
  merge_commit_id: string | null;
  merge_option: string | null;
}

/** The pull-request tables: requests, their targets and their event history. */
export class PullRequestStore {
  constructor(private readonly db: Db) {}

  get(id: number): PullRequestRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codecommit_pull_requests WHERE id = ?').get(id) as PrRow | undefined;
    if (!row) return undefined;
    const targets = (
      this.db
        .prepare(
          `SELECT t.*, r.name AS repository_name FROM codecommit_pull_request_targets t JOIN codecommit_repositories r ON r.id = t.repository_id
           WHERE t.pull_request_id = ? ORDER BY t.position`,
        )
        .all(id) as TargetRow[]
    ).map((t) => ({
      position: t.position,
      repositoryId: t.repository_id,
      repositoryName: t.repository_name,
      sourceReference: t.source_reference,
      destinationReference: t.destination_reference,
      sourceCommit: t.source_commit,
      destinationCommit: t.destination_commit,
      mergeBase: t.merge_base,
      mergedBy: t.merged_by,
      mergeCommitId: t.merge_commit_id,
      mergeOption: t.merge_option,
    }));
    return {
      id: row.id,
      accountId: row.account_id,
      region: row.region,
      title: row.title,
      description: row.description,
      status: row.status,
      authorArn: row.author_arn,
      clientRequestToken: row.client_request_token,
      requestHash: row.request_hash,
      revisionId: row.revision_id,
      overrideArn: row.override_arn,
      createdAt: row.created_at,
      lastActivityAt: row.last_activity_at,
      targets,
    };
  }

  /**
   * The pull request a caller names, in the caller's account and region. One whose repository was
   * deleted has lost its targets and no longer exists.
   */
  require(where: { accountId: string; region: string }, pullRequestId: string | undefined): PullRequestRecord {
    if (pullRequestId === undefined || pullRequestId === '') throw inputError('PullRequestIdRequiredException');
    if (!/^[1-9]\d{0,15}$/.test(pullRequestId)) throw inputError('InvalidPullRequestIdException');
    const pr = this.get(Number(pullRequestId));
    if (!pr || pr.accountId !== where.accountId || pr.region !== where.region || pr.targets.length === 0) {
      throw inputError('PullRequestDoesNotExistException');
    }
    return pr;
  }

  /** The repository of a pull request, for IAM, without the checks `require` makes. */
  repositoryNameOf(pullRequestId: string | undefined): string | undefined {
    if (!pullRequestId || !/^[1-9]\d{0,15}$/.test(pullRequestId)) return undefined;
    const row = this.db
      .prepare(
        `SELECT r.name FROM codecommit_pull_request_targets t JOIN codecommit_repositories r ON r.id = t.repository_id
         WHERE t.pull_request_id = ? ORDER BY t.position LIMIT 1`,
      )
      .get(Number(pullRequestId)) as { name: string } | undefined;
    return row?.name;
  }

  byToken(accountId: string, region: string, token: string): PullRequestRecord | undefined {
    const row = this.db
      .prepare('SELECT id FROM codecommit_pull_requests WHERE account_id = ? AND region = ? AND client_request_token = ?')
      .get(accountId, region, token) as { id: number } | undefined;
    return row && this.get(row.id);
  }

  openCount(repositoryId: string): number {
    return (
      this.db
        .prepare(
          `SELECT COUNT(DISTINCT p.id) AS n FROM codecommit_pull_requests p JOIN codecommit_pull_request_targets t ON t.pull_request_id = p.id
           WHERE t.repository_id = ? AND p.status = 'OPEN'`,
        )
        .get(repositoryId) as { n: number }
    ).n;
  }

  /** Open pull requests with a target in the repository, for reference updates. */
  openIn(repositoryId: string): number[] {
    return (
      this.db
        .prepare(
          `SELECT DISTINCT p.id FROM codecommit_pull_requests p JOIN codecommit_pull_request_targets t ON t.pull_request_id = p.id
           WHERE t.repository_id = ? AND p.status = 'OPEN' ORDER BY p.id`,
        )
        .all(repositoryId) as { id: number }[]
    ).map((r) => r.id);
  }

  /** Ids newest first, filtered as ListPullRequests filters. */
  list(repositoryId: string, filter: { authorArn?: string; status?: string }): string[] {
    const where = ['t.repository_id = ?'];
    const args: unknown[] = [repositoryId];
    if (filter.authorArn) (where.push('p.author_arn = ?'), args.push(filter.authorArn));
    if (filter.status) (where.push('p.status = ?'), args.push(filter.status));
    return (
      this.db
        .prepare(
          `SELECT DISTINCT p.id FROM codecommit_pull_requests p JOIN codecommit_pull_request_targets t ON t.pull_request_id = p.id
           WHERE ${where.join(' AND ')} ORDER BY p.id DESC`,
        )
        .all(...args) as { id: number }[]
    ).map((r) => String(r.id));
  }

  insert(pr: Omit<PullRequestRecord, 'id' | 'targets' | 'overrideArn'>, targets: Omit<PullRequestTargetRecord, 'repositoryName' | 'mergedBy' | 'mergeCommitId' | 'mergeOption'>[]): number {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO codecommit_pull_requests (account_id, region, title, description, status, author_arn, client_request_token, request_hash, revision_id, created_at, last_activity_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(pr.accountId, pr.region, pr.title, pr.description, pr.status, pr.authorArn, pr.clientRequestToken, pr.requestHash, pr.revisionId, pr.createdAt, pr.lastActivityAt)
        .lastInsertRowid,
    );
    const add = this.db.prepare(
      `INSERT INTO codecommit_pull_request_targets (pull_request_id, position, repository_id, source_reference, destination_reference, source_commit, destination_commit, merge_base)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const t of targets) add.run(id, t.position, t.repositoryId, t.sourceReference, t.destinationReference, t.sourceCommit, t.destinationCommit, t.mergeBase);
    return id;
  }

  update(id: number, changes: Partial<Pick<PullRequestRecord, 'title' | 'description' | 'status' | 'revisionId' | 'overrideArn'>>, now: number): void {
    const columns: Record<string, string> = { title: 'title', description: 'description', status: 'status', revisionId: 'revision_id', overrideArn: 'override_arn' };
    const sets = Object.keys(changes).map((k) => `${columns[k]} = ?`);
    this.db
      .prepare(`UPDATE codecommit_pull_requests SET ${[...sets, 'last_activity_at = ?'].join(', ')} WHERE id = ?`)
      .run(...Object.values(changes), now, id);
  }

  /** Moves a target's commits, only from the source commit the caller read (so concurrent refreshes apply once). */
  moveTarget(id: number, position: number, expectedSource: string, commits: { sourceCommit: string; destinationCommit: string; mergeBase: string }): boolean {
    return (
      this.db
        .prepare(
          `UPDATE codecommit_pull_request_targets SET source_commit = ?, destination_commit = ?, merge_base = ?
           WHERE pull_request_id = ? AND position = ? AND source_commit = ? AND merged_by IS NULL`,
        )
        .run(commits.sourceCommit, commits.destinationCommit, commits.mergeBase, id, position, expectedSource).changes === 1
    );
  }

  markMerged(id: number, position: number, merge: { mergedBy: string; mergeCommitId: string | null; mergeOption: string | null }): boolean {
    return (
      this.db
        .prepare(
          'UPDATE codecommit_pull_request_targets SET merged_by = ?, merge_commit_id = ?, merge_option = ? WHERE pull_request_id = ? AND position = ? AND merged_by IS NULL',
        )
        .run(merge.mergedBy, merge.mergeCommitId, merge.mergeOption, id, position).changes === 1
    );
  }

  addEvent(pullRequestId: number, type: PullRequestEventType, actorArn: string, now: number, metadata: Record<string, unknown>): void {
    this.db
      .prepare('INSERT INTO codecommit_pull_request_events (pull_request_id, type, actor_arn, created_at, metadata) VALUES (?, ?, ?, ?, ?)')
      .run(pullRequestId, type, actorArn, now, JSON.stringify(metadata));
  }

  events(pullRequestId: number, filter: { type?: string; actorArn?: string }): PullRequestEventRecord[] {
    const where = ['pull_request_id = ?'];
    const args: unknown[] = [pullRequestId];
    if (filter.type) (where.push('type = ?'), args.push(filter.type));
    if (filter.actorArn) (where.push('actor_arn = ?'), args.push(filter.actorArn));
    return (
      this.db.prepare(`SELECT * FROM codecommit_pull_request_events WHERE ${where.join(' AND ')} ORDER BY id`).all(...args) as {
        id: number;
        pull_request_id: number;
        type: PullRequestEventType;
        actor_arn: string;
        created_at: number;
        metadata: string;
      }[]
    ).map((r) => ({ id: r.id, pullRequestId: r.pull_request_id, type: r.type, actorArn: r.actor_arn, createdAt: r.created_at, metadata: JSON.parse(r.metadata) }));
  }
}
