import type { ServiceDeps } from '../core/deps.js';
import { repositoryArn } from './arns.js';
import type { PullRequestRecord } from './pull-request-store.js';
import type { RepositoryRecord } from './repository-store.js';

/** EventBridge's `time`: seconds precision, UTC. */
const eventTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The date form CodeCommit's pull request events carry (`Tue Feb 25 19:09:13 UTC 2020`). */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const day = d.toUTCString().slice(0, 3);
  const month = d.toUTCString().slice(8, 11);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** An event in EventBridge's envelope about a repository. */
function publish(deps: ServiceDeps, repo: RepositoryRecord, detailType: string, detail: Record<string, unknown>): void {
  deps.events.publish({
    version: '0',
    id: deps.ids.uuid(),
    'detail-type': detailType,
    source: 'aws.codecommit',
    account: repo.accountId,
    time: eventTime(deps.clock.now()),
    region: repo.region,
    resources: [repositoryArn(repo)],
    detail,
  });
}

/** The words CodeCommit's notification bodies use for each pull request event. */
const EVENT_WORDS: Record<string, string> = {
  pullRequestCreated: 'Created',
  pullRequestSourceBranchUpdated: 'Updated',
  pullRequestStatusChanged: 'Updated',
  pullRequestMergeStatusUpdated: 'Merged',
  pullRequestApprovalRuleCreated: 'Approval rule created',
  pullRequestApprovalRuleUpdated: 'Approval rule updated',
  pullRequestApprovalRuleDeleted: 'Approval rule deleted',
  pullRequestApprovalRuleOverridden: 'Approval rules overridden',
  pullRequestApprovalStateChanged: 'Approval state changed',
};

/**
 * Publishes "CodeCommit Pull Request State Change" with the detail fields CodeCommit sends; `extra`
 * carries what only some events have (approvalStatus, overrideStatus, mergeOption, the rule's name).
 */
export function publishPullRequestEvent(
  deps: ServiceDeps,
  repo: RepositoryRecord,
  pr: PullRequestRecord,
  event: keyof typeof EVENT_WORDS,
  callerArn: string,
  extra: Record<string, unknown> = {},
): void {
  const target = pr.targets.find((t) => t.repositoryId === repo.id) ?? pr.targets[0];
  const merged = target.mergedBy !== null;
  const status = pr.status === 'OPEN' ? 'Open' : 'Closed';
  publish(deps, repo, 'CodeCommit Pull Request State Change', {
      author: pr.authorArn,
      callerUserArn: callerArn,
      creationDate: javaDate(pr.createdAt),
      ...(pr.description ? { description: pr.description } : {}),
      destinationCommit: target.destinationCommit,
      destinationReference: target.destinationReference,
      event,
      isMerged: merged ? 'True' : 'False',
      lastModifiedDate: javaDate(pr.lastActivityAt),
      ...(target.mergeOption ? { mergeOption: target.mergeOption } : {}),
      notificationBody:
        `A pull request event occurred in the following AWS CodeCommit repository: ${repo.name}. User: ${callerArn}. ` +
        `Event: ${EVENT_WORDS[event]}. Pull request name: ${pr.id}. Additional information: The title of the pull request is: ${pr.title}.`,
      pullRequestId: String(pr.id),
      pullRequestStatus: status,
      repositoryNames: [repo.name],
      revisionId: pr.revisionId,
      sourceCommit: target.sourceCommit,
      sourceReference: target.sourceReference,
      title: pr.title,
      ...extra,
  });
}

/** "CodeCommit Comment on Pull Request" or "... on Commit", as CodeCommit publishes them. */
export function publishCommentEvent(
  deps: ServiceDeps,
  repo: RepositoryRecord,
  comment: { commentId: string; beforeCommitId?: string | null; afterCommitId: string; inReplyTo?: string | null; pullRequestId?: number | null },
  event: 'Created' | 'Updated',
  callerArn: string,
): void {
  const onPullRequest = comment.pullRequestId !== null && comment.pullRequestId !== undefined;
  publish(deps, repo, onPullRequest ? 'CodeCommit Comment on Pull Request' : 'CodeCommit Comment on Commit', {
      afterCommitId: comment.afterCommitId,
      ...(comment.beforeCommitId ? { beforeCommitId: comment.beforeCommitId } : {}),
      callerUserArn: callerArn,
      commentId: comment.commentId,
      event: onPullRequest ? `commentOnPullRequest${event}` : `commentOnCommit${event}`,
      ...(comment.inReplyTo ? { inReplyTo: comment.inReplyTo } : {}),
      notificationBody:
        `A comment event occurred in the following AWS CodeCommit repository: ${repo.name}. The user: ${callerArn} made a comment or replied to a comment. ` +
        `The comment was made on the following ${onPullRequest ? `Pull Request: ${comment.pullRequestId}` : `commit: ${comment.afterCommitId}`}.`,
      ...(onPullRequest ? { pullRequestId: String(comment.pullRequestId) } : {}),
      repositoryId: repo.id,
      repositoryName: repo.name,
  });
}
