import type { Evaluation, PullRequest, PullRequestEventType } from '@aws-sdk/client-codecommit';
import { createHash } from 'node:crypto';
import type { BusEvent } from '../core/events.js';
import { approvalRuleView, ApprovalStore } from './approval-store.js';
import { parseRuleContent, ruleSatisfied } from './approval-rules.js';
import { readRef } from './commit-specifiers.js';
import { inputError, repositoryDoesNotExist } from './errors.js';
import { PullRequestStore, type PullRequestRecord, type PullRequestTargetRecord } from './pull-request-store.js';
import type { Repositories } from './repositories.js';
import type { RepositoryRecord } from './repository-store.js';
import { publishPullRequestEvent } from './review-events.js';

/** What the history and the bus say about one change to a pull request. */
export interface PullRequestChange {
  type: PullRequestEventType;
  metadata: Record<string, unknown>;
  busEvent: Parameters<typeof publishPullRequestEvent>[3];
  busExtra?: Record<string, unknown>;
}

/**
 * Pull requests over the repositories: their stores, the view the API returns, approval
 * evaluation, and keeping each open request's commits in step with its branches.
 */
export class PullRequests {
  readonly store: PullRequestStore;
  readonly approvals: ApprovalStore;
  /** Per repository, the tail of the work that reads and moves its pull requests, run one at a time. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(readonly repos: Repositories) {
    this.store = new PullRequestStore(repos.deps.db);
    this.approvals = new ApprovalStore(repos.deps.db);
  }

  get deps() {
    return this.repos.deps;
  }

  now(): number {
    return this.repos.now();
  }

  newRevisionId(): string {
    return createHash('sha256').update(this.deps.ids.uuid()).digest('hex');
  }

  /**
   * Runs `work` after everything queued for the repository, so reference updates, merges and reads
   * of a pull request never interleave their read-then-write steps.
   */
  serialized<T>(repositoryId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(repositoryId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.queues.set(repositoryId, tail);
    void tail.then(() => {
      if (this.queues.get(repositoryId) === tail) this.queues.delete(repositoryId);
    });
    return next;
  }

  repositoryOf(target: PullRequestTargetRecord): RepositoryRecord {
    const repo = this.repos.store.byId(target.repositoryId);
    if (!repo) throw repositoryDoesNotExist(target.repositoryName);
    return repo;
  }

  /** The pull request the caller names, brought up to date with its branches first. */
  async current(where: { accountId: string; region: string }, pullRequestId: string | undefined): Promise<PullRequestRecord> {
    const pr = this.store.require(where, pullRequestId);
    if (pr.status === 'CLOSED') return pr;
    const repositoryId = pr.targets[0].repositoryId;
    return this.serialized(repositoryId, async () => {
      await this.refresh(pr.id, pr.authorArn);
      return this.store.require(where, pullRequestId);
    });
  }

  /** Records a change in the history and publishes it, inside one transaction with `write`. */
  change(pr: PullRequestRecord, actorArn: string, change: PullRequestChange, write: () => void = () => undefined): PullRequestRecord {
    const now = this.now();
    this.deps.db.transaction(() => {
      write();
      this.store.addEvent(pr.id, change.type, actorArn, now, change.metadata);
      this.store.update(pr.id, {}, now);
    })();
    const after = this.store.get(pr.id)!;
    publishPullRequestEvent(this.deps, this.repositoryOf(after.targets[0]), after, change.busEvent, actorArn, change.busExtra);
    return after;
  }

  /**
   * Brings an open pull request's targets in step with their branches: a moved source is a new
   * revision (approvals start over); a moved destination changes the merge base; a source already
   * contained in its destination (merged outside the pull request) is merged, and the pull request
   * closes once every target is.
   */
  async refresh(pullRequestId: number, actorArn: string): Promise<void> {
    let pr = this.store.get(pullRequestId);
    if (!pr || pr.status !== 'OPEN') return;
    for (const target of pr.targets) {
      if (target.mergedBy) continue;
      const repo = this.repos.store.byId(target.repositoryId);
      if (!repo) continue;
      const source = await readRef(this.repos, repo, target.sourceReference);
      const destination = await readRef(this.repos, repo, target.destinationReference);
      if (!source || !destination) continue;
      const objects = this.repos.git.objects(repo.id);
      const mergeBase = (await objects.mergeBase(source, destination)) ?? target.mergeBase;
      const moved = source !== target.sourceCommit || destination !== target.destinationCommit;
      if (source !== target.sourceCommit) {
        const revisionId = this.newRevisionId();
        pr = this.change(
          pr,
          actorArn,
          {
            type: 'PULL_REQUEST_SOURCE_REFERENCE_UPDATED',
            metadata: { repositoryName: repo.name, beforeCommitId: target.sourceCommit, afterCommitId: source, mergeBase },
            busEvent: 'pullRequestSourceBranchUpdated',
          },
          () => {
            if (this.store.moveTarget(pr!.id, target.position, target.sourceCommit, { sourceCommit: source, destinationCommit: destination, mergeBase })) {
              this.store.update(pr!.id, { revisionId, overrideArn: null }, this.now());
            }
          },
        );
      } else if (destination !== target.destinationCommit || mergeBase !== target.mergeBase) {
        this.store.moveTarget(pr.id, target.position, source, { sourceCommit: source, destinationCommit: destination, mergeBase });
        pr = this.store.get(pr.id)!;
      }
      if (moved && mergeBase === source) pr = this.merged(pr, target.position, actorArn, { mergeCommitId: null, mergeOption: null });
    }
  }

  /** Marks one target merged; closes the pull request when it was the last one. */
  merged(pr: PullRequestRecord, position: number, actorArn: string, merge: { mergeCommitId: string | null; mergeOption: string | null }): PullRequestRecord {
    const target = pr.targets.find((t) => t.position === position)!;
    const repo = this.repositoryOf(target);
    let marked = false;
    const mergeMetadata = { isMerged: true, mergedBy: actorArn, mergeCommitId: merge.mergeCommitId ?? undefined, mergeOption: merge.mergeOption ?? undefined };
    let after = this.change(
      pr,
      actorArn,
      {
        type: 'PULL_REQUEST_MERGE_STATE_CHANGED',
        metadata: { repositoryName: repo.name, destinationReference: target.destinationReference, mergeMetadata },
        busEvent: 'pullRequestMergeStatusUpdated',
      },
      () => {
        marked = this.store.markMerged(pr.id, position, { mergedBy: actorArn, ...merge });
        if (!marked) throw inputError('PullRequestAlreadyClosedException');
      },
    );
    if (after.targets.every((t) => t.mergedBy)) after = this.close(after, actorArn);
    return after;
  }

  close(pr: PullRequestRecord, actorArn: string): PullRequestRecord {
    return this.change(
      pr,
      actorArn,
      { type: 'PULL_REQUEST_STATUS_CHANGED', metadata: { pullRequestStatus: 'CLOSED' }, busEvent: 'pullRequestStatusChanged' },
      () => this.store.update(pr.id, { status: 'CLOSED' }, this.now()),
    );
  }

  /** Keeps open pull requests in step as soon as a push or an API call moves one of their branches. */
  onReferenceChange(event: BusEvent): void {
    if (event.source !== 'aws.codecommit' || event['detail-type'] !== 'CodeCommit Repository State Change') return;
    const detail = event.detail as { repositoryId?: string; callerUserArn?: string };
    if (!detail.repositoryId) return;
    const repositoryId = detail.repositoryId;
    const actor = detail.callerUserArn ?? '';
    void this.serialized(repositoryId, async () => {
      for (const id of this.store.openIn(repositoryId)) await this.refresh(id, actor);
    }).catch((err) => this.deps.logger.error({ err, repositoryId }, 'could not bring pull requests up to date'));
  }

  evaluate(pr: PullRequestRecord): Evaluation {
    const approvers = this.approvals.approvers(pr.id, pr.revisionId);
    const satisfied: string[] = [];
    const notSatisfied: string[] = [];
    for (const rule of this.approvals.rules(pr.id)) {
      const ok = ruleSatisfied(parseRuleContent(rule.content, 'InvalidApprovalRuleContentException'), approvers);
      (ok ? satisfied : notSatisfied).push(rule.name);
    }
    const overridden = pr.overrideArn !== null;
    return { approved: overridden || notSatisfied.length === 0, overridden, approvalRulesSatisfied: satisfied, approvalRulesNotSatisfied: notSatisfied };
  }

  view(pr: PullRequestRecord): PullRequest {
    return {
      pullRequestId: String(pr.id),
      title: pr.title,
      description: pr.description ?? undefined,
      lastActivityDate: new Date(pr.lastActivityAt),
      creationDate: new Date(pr.createdAt),
      pullRequestStatus: pr.status,
      authorArn: pr.authorArn,
      clientRequestToken: pr.clientRequestToken ?? undefined,
      revisionId: pr.revisionId,
      approvalRules: this.approvals.rules(pr.id).map(approvalRuleView),
      pullRequestTargets: pr.targets.map((t) => ({
        repositoryName: t.repositoryName,
        sourceReference: t.sourceReference,
        destinationReference: t.destinationReference,
        destinationCommit: t.destinationCommit,
        sourceCommit: t.sourceCommit,
        mergeBase: t.mergeBase,
        mergeMetadata: {
          isMerged: t.mergedBy !== null,
          mergedBy: t.mergedBy ?? undefined,
          mergeCommitId: t.mergeCommitId ?? undefined,
          mergeOption: (t.mergeOption ?? undefined) as never,
        },
      })),
    };
  }
}
