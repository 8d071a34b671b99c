import type {
  CreatePullRequestInput,
  CreatePullRequestOutput,
  DescribePullRequestEventsInput,
  DescribePullRequestEventsOutput,
  GetPullRequestInput,
  GetPullRequestOutput,
  ListPullRequestsInput,
  ListPullRequestsOutput,
  PullRequestEvent,
  Target,
  UpdatePullRequestDescriptionInput,
  UpdatePullRequestDescriptionOutput,
  UpdatePullRequestStatusInput,
  UpdatePullRequestStatusOutput,
  UpdatePullRequestTitleInput,
  UpdatePullRequestTitleOutput,
} from '@aws-sdk/client-codecommit';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { parseRuleContent, templateApplies } from './approval-rules.js';
import { isValidBranchName } from './branch-names.js';
import { readRef } from './commit-specifiers.js';
import { repositoryResource } from './content-iam.js';
import { inputError } from './errors.js';
import { page } from './pagination.js';
import type { PullRequestEventRecord, PullRequestRecord } from './pull-request-store.js';
import type { PullRequests } from './pull-requests.js';
import type { RepositoryRecord } from './repository-store.js';
import { publishPullRequestEvent } from './review-events.js';
import { pullRequestResource } from './review-iam.js';
import type { TemplateStore } from './template-store.js';

/** CodeCommit's limit on open pull requests per repository. */
const MAX_OPEN_PULL_REQUESTS = 1000;
const MAX_EVENTS_PER_PAGE = 100;
const MAX_IDS_PER_PAGE = 1000;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/;

const METADATA_MEMBER: Record<string, keyof PullRequestEvent> = {
  PULL_REQUEST_CREATED: 'pullRequestCreatedEventMetadata',
  PULL_REQUEST_STATUS_CHANGED: 'pullRequestStatusChangedEventMetadata',
  PULL_REQUEST_SOURCE_REFERENCE_UPDATED: 'pullRequestSourceReferenceUpdatedEventMetadata',
  PULL_REQUEST_MERGE_STATE_CHANGED: 'pullRequestMergedStateChangedEventMetadata',
  PULL_REQUEST_APPROVAL_RULE_CREATED: 'approvalRuleEventMetadata',
  PULL_REQUEST_APPROVAL_RULE_UPDATED: 'approvalRuleEventMetadata',
  PULL_REQUEST_APPROVAL_RULE_DELETED: 'approvalRuleEventMetadata',
  PULL_REQUEST_APPROVAL_RULE_OVERRIDDEN: 'approvalRuleOverriddenEventMetadata',
  PULL_REQUEST_APPROVAL_STATE_CHANGED: 'approvalStateChangedEventMetadata',
};

/** A branch reference as pull requests store it: always the full `refs/heads/` name. */
async function branchReference(prs: PullRequests, repo: RepositoryRecord, name: string | undefined): Promise<{ ref: string; commit: string }> {
  if (name === undefined || name === '') throw inputError('ReferenceNameRequiredException');
  if (name.startsWith('refs/') && !name.startsWith('refs/heads/')) {
    if (await readRef(prs.repos, repo, name)) throw inputError('ReferenceTypeNotSupportedException');
    throw inputError('InvalidReferenceNameException');
  }
  const branch = name.replace(/^refs\/heads\//, '');
  if (!isValidBranchName(branch)) throw inputError('InvalidReferenceNameException');
  const ref = `refs/heads/${branch}`;
  const commit = await readRef(prs.repos, repo, ref);
  if (!commit) {
    if (await readRef(prs.repos, repo, `refs/tags/${branch}`)) throw inputError('ReferenceTypeNotSupportedException');
    throw inputError('ReferenceDoesNotExistException');
  }
  return { ref, commit };
}

function eventView(e: PullRequestEventRecord): PullRequestEvent {
  return {
    pullRequestId: String(e.pullRequestId),
    eventDate: new Date(e.createdAt),
    pullRequestEventType: e.type,
    actorArn: e.actorArn,
    [METADATA_MEMBER[e.type]]: e.metadata,
  };
}

export function pullRequestOperations(prs: PullRequests, templates: TemplateStore): Record<string, OperationSpec> {
  const { store, repos } = prs;

  function requestHash(input: CreatePullRequestInput): string {
    return createHash('sha256').update(JSON.stringify([input.title, input.description ?? null, input.targets])).digest('hex');
  }

  /** Approval rules from the templates associated with the repository that apply to the destination. */
  function applyTemplates(pullRequestId: number, repo: RepositoryRecord, destinations: string[], ctx: RequestContext, now: number): void {
    for (const template of templates.associatedWith(repo.id)) {
      const content = parseRuleContent(template.content, 'InvalidApprovalRuleTemplateContentException');
      if (!destinations.some((d) => templateApplies(content, d))) continue;
      prs.approvals.insertRule({
        id: prs.deps.ids.uuid(),
        pullRequestId,
        name: template.name,
        content: template.content,
        templateId: template.id,
        templateName: template.name,
        lastModifiedUser: ctx.principalArn,
        createdAt: now,
        updatedAt: now,
      });
    }
  }

  async function create(input: CreatePullRequestInput, ctx: RequestContext): Promise<CreatePullRequestOutput> {
    if (!input.title || input.title.trim() === '') throw inputError('TitleRequiredException');
    const targets: Target[] = input.targets ?? [];
    if (targets.length === 0) throw inputError('TargetsRequiredException');
    const hash = requestHash(input);
    if (input.clientRequestToken !== undefined) {
      if (input.clientRequestToken === '') throw inputError('ClientRequestTokenRequiredException');
      const earlier = store.byToken(ctx.accountId, ctx.region, input.clientRequestToken);
      if (earlier) {
        if (earlier.requestHash !== hash) throw inputError('IdempotencyParameterMismatchException');
        return { pullRequest: prs.view(earlier) };
      }
    }
    const names = new Set(targets.map((t) => t.repositoryName));
    if (names.size > 1) throw inputError('MultipleRepositoriesInPullRequestException');
    const repo = repos.require(ctx, targets[0].repositoryName!);
    const objects = repos.git.objects(repo.id);
    const resolved: Parameters<typeof store.insert>[1] = [];
    for (const [position, target] of targets.entries()) {
      const source = await branchReference(prs, repo, target.sourceReference);
      const destinationName = target.destinationReference ?? repo.defaultBranch ?? undefined;
      const destination = await branchReference(prs, repo, destinationName);
      if (source.ref === destination.ref) throw inputError('SourceAndDestinationAreSameException');
      const mergeBase = (await objects.mergeBase(source.commit, destination.commit)) ?? '';
      resolved.push({
        position,
        repositoryId: repo.id,
        sourceReference: source.ref,
        destinationReference: destination.ref,
        sourceCommit: source.commit,
        destinationCommit: destination.commit,
        mergeBase,
      });
    }
    const now = prs.now();
    let id = 0;
    prs.deps.db.transaction(() => {
      if (store.openCount(repo.id) >= MAX_OPEN_PULL_REQUESTS) throw inputError('MaximumOpenPullRequestsExceededException');
      id = store.insert(
        {
          accountId: ctx.accountId,
          region: ctx.region,
          title: input.title!,
          description: input.description ?? null,
          status: 'OPEN',
          authorArn: ctx.principalArn,
          clientRequestToken: input.clientRequestToken ?? null,
          requestHash: hash,
          revisionId: prs.newRevisionId(),
          createdAt: now,
          lastActivityAt: now,
        },
        resolved,
      );
      applyTemplates(
        id,
        repo,
        resolved.map((t) => t.destinationReference),
        ctx,
        now,
      );
      const first = resolved[0];
      store.addEvent(id, 'PULL_REQUEST_CREATED', ctx.principalArn, now, {
        repositoryName: repo.name,
        sourceCommitId: first.sourceCommit,
        destinationCommitId: first.destinationCommit,
        mergeBase: first.mergeBase || undefined,
      });
    })();
    const pr = store.get(id)!;
    publishPullRequestEvent(prs.deps, repo, pr, 'pullRequestCreated', ctx.principalArn);
    return { pullRequest: prs.view(pr) };
  }

  /** An open pull request, for the operations that only change an open one. */
  async function open(ctx: RequestContext, pullRequestId: string | undefined): Promise<PullRequestRecord> {
    const pr = await prs.current(ctx, pullRequestId);
    if (pr.status === 'CLOSED') throw inputError('PullRequestAlreadyClosedException');
    return pr;
  }

  return {
    CreatePullRequest: operation<CreatePullRequestInput, CreatePullRequestOutput>({
      iam: { action: 'codecommit:CreatePullRequest', resource: (i, ctx) => repositoryResource({ repositoryName: i.targets?.[0]?.repositoryName }, ctx) },
      handler: create,
    }),

    GetPullRequest: operation<GetPullRequestInput, GetPullRequestOutput>({
      iam: { action: 'codecommit:GetPullRequest', resource: pullRequestResource(store) },
      handler: async (input, ctx) => ({ pullRequest: prs.view(await prs.current(ctx, input.pullRequestId)) }),
    }),

    ListPullRequests: operation<ListPullRequestsInput, ListPullRequestsOutput>({
      iam: { action: 'codecommit:ListPullRequests', resource: repositoryResource },
      handler: async (input, ctx) => {
        if (input.authorArn !== undefined && !ARN.test(input.authorArn)) throw inputError('InvalidAuthorArnException');
        const max = input.maxResults ?? MAX_IDS_PER_PAGE;
        if (!Number.isInteger(max) || max < 1 || max > MAX_IDS_PER_PAGE) throw inputError('InvalidMaxResultsException');
        const repo = repos.require(ctx, input.repositoryName!);
        // Open ones are brought up to date first, so one merged by a push is listed as closed.
        for (const id of store.openIn(repo.id)) await prs.current(ctx, String(id));
        const { items, nextToken } = page(store.list(repo.id, { authorArn: input.authorArn, status: input.pullRequestStatus }), input.nextToken, max);
        return { pullRequestIds: items, nextToken };
      },
    }),

    UpdatePullRequestTitle: operation<UpdatePullRequestTitleInput, UpdatePullRequestTitleOutput>({
      iam: { action: 'codecommit:UpdatePullRequestTitle', resource: pullRequestResource(store) },
      handler: async (input, ctx) => {
        if (!input.title || input.title.trim() === '') throw inputError('TitleRequiredException');
        const pr = await open(ctx, input.pullRequestId);
        store.update(pr.id, { title: input.title }, prs.now());
        return { pullRequest: prs.view(store.get(pr.id)!) };
      },
    }),

    UpdatePullRequestDescription: operation<UpdatePullRequestDescriptionInput, UpdatePullRequestDescriptionOutput>({
      iam: { action: 'codecommit:UpdatePullRequestDescription', resource: pullRequestResource(store) },
      handler: async (input, ctx) => {
        const pr = await open(ctx, input.pullRequestId);
        store.update(pr.id, { description: input.description ?? '' }, prs.now());
        return { pullRequest: prs.view(store.get(pr.id)!) };
      },
    }),

    UpdatePullRequestStatus: operation<UpdatePullRequestStatusInput, UpdatePullRequestStatusOutput>({
      iam: { action: 'codecommit:UpdatePullRequestStatus', resource: pullRequestResource(store) },
      handler: async (input, ctx) => {
        const pr = await prs.current(ctx, input.pullRequestId);
        if (pr.status === 'CLOSED' || input.pullRequestStatus !== 'CLOSED') throw inputError('InvalidPullRequestStatusUpdateException');
        return { pullRequest: prs.view(prs.close(pr, ctx.principalArn)) };
      },
    }),

    DescribePullRequestEvents: operation<DescribePullRequestEventsInput, DescribePullRequestEventsOutput>({
      iam: { action: 'codecommit:DescribePullRequestEvents', resource: pullRequestResource(store) },
      handler: async (input, ctx) => {
        if (input.actorArn !== undefined && !ARN.test(input.actorArn)) throw inputError('InvalidActorArnException');
        const max = input.maxResults ?? MAX_EVENTS_PER_PAGE;
        if (!Number.isInteger(max) || max < 1 || max > MAX_EVENTS_PER_PAGE) throw inputError('InvalidMaxResultsException');
        const pr = await prs.current(ctx, input.pullRequestId);
        const events = store.events(pr.id, { type: input.pullRequestEventType, actorArn: input.actorArn });
        const { items, nextToken } = page(events, input.nextToken, max);
        return { pullRequestEvents: items.map(eventView), nextToken };
      },
    }),
  };
}
