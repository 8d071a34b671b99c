import type { BusEvent } from '../core/events.js';

/**
 * Which notification event types a service's EventBridge event is, and the resource a rule names
 * to hear it (a repository, project, application or pipeline ARN). The detail types and their
 * fields are the ones each service documents for EventBridge; an event of a service codesuite does
 * not serve yet simply never arrives, and fires the rules once it does.
 */
export interface Match {
  resource: string;
  eventTypeIds: string[];
}

type Detail = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

const REFERENCE_EVENTS: Record<string, string> = { referenceCreated: 'created', referenceUpdated: 'updated', referenceDeleted: 'deleted' };
const PULL_REQUEST_EVENTS: Record<string, string> = {
  pullRequestCreated: 'pull-request-created',
  pullRequestSourceBranchUpdated: 'pull-request-source-updated',
  pullRequestStatusChanged: 'pull-request-status-changed',
  pullRequestApprovalStateChanged: 'approvals-status-changed',
  pullRequestApprovalRuleOverridden: 'approvals-rule-override',
};
const BUILD_STATES: Record<string, string> = { FAILED: 'failed', SUCCEEDED: 'succeeded', IN_PROGRESS: 'in-progress', STOPPED: 'stopped' };
/** A completed phase that did not succeed; a stopped build's phase is reported as the build's stop, not a failure. */
const FAILED_PHASE = new Set(['FAILED', 'FAULT', 'TIMED_OUT', 'CLIENT_ERROR']);
const DEPLOYMENT_STATES: Record<string, string> = { START: 'started', SUCCESS: 'succeeded', FAILURE: 'failed' };
const PIPELINE_STATES: Record<string, string> = { STARTED: 'started', SUCCEEDED: 'succeeded', RESUMED: 'resumed', CANCELED: 'canceled', FAILED: 'failed', SUPERSEDED: 'superseded' };
const APPROVAL_STATES: Record<string, string> = { STARTED: 'needed', SUCCEEDED: 'succeeded', FAILED: 'failed' };

function codecommit(event: BusEvent<Detail>): Match | undefined {
  const resource = event.resources[0];
  if (!resource) return undefined;
  const d = event.detail;
  const prefix = 'codecommit-repository-';
  switch (event['detail-type']) {
    case 'CodeCommit Repository State Change': {
      const kind = REFERENCE_EVENTS[str(d.event) ?? ''];
      return kind ? { resource, eventTypeIds: [`${prefix}branches-and-tags-${kind}`] } : undefined;
    }
    case 'CodeCommit Pull Request State Change': {
      const event = str(d.event) ?? '';
      if (event === 'pullRequestMergeStatusUpdated') return d.isMerged === 'True' || d.isMerged === true ? { resource, eventTypeIds: [`${prefix}pull-request-merged`] } : undefined;
      const kind = PULL_REQUEST_EVENTS[event];
      return kind ? { resource, eventTypeIds: [`${prefix}${kind}`] } : undefined;
    }
    case 'CodeCommit Comment on Pull Request':
      return { resource, eventTypeIds: [`${prefix}comments-on-pull-requests`] };
    case 'CodeCommit Comment on Commit':
      return { resource, eventTypeIds: [`${prefix}comments-on-commits`] };
    default:
      return undefined;
  }
}

function codebuild(event: BusEvent<Detail>): Match | undefined {
  const project = str(event.detail['project-name']);
  if (!project) return undefined;
  const resource = `arn:aws:codebuild:${event.region}:${event.account}:project/${project}`;
  const prefix = 'codebuild-project-';
  if (event['detail-type'] === 'CodeBuild Build State Change') {
    const state = BUILD_STATES[str(event.detail['build-status']) ?? ''];
    return state ? { resource, eventTypeIds: [`${prefix}build-state-${state}`] } : undefined;
  }
  if (event['detail-type'] === 'CodeBuild Build Phase Change') {
    const status = str(event.detail['completed-phase-status']) ?? '';
    if (status === 'SUCCEEDED') return { resource, eventTypeIds: [`${prefix}build-phase-success`] };
    return FAILED_PHASE.has(status) ? { resource, eventTypeIds: [`${prefix}build-phase-failure`] } : undefined;
  }
  return undefined;
}

function codedeploy(event: BusEvent<Detail>): Match | undefined {
  if (event['detail-type'] !== 'CodeDeploy Deployment State-change Notification') return undefined;
  const resource = event.resources.find((r) => r.includes(':application:'));
  const state = DEPLOYMENT_STATES[str(event.detail.state) ?? ''];
  return resource && state ? { resource, eventTypeIds: [`codedeploy-application-deployment-${state}`] } : undefined;
}

function codepipeline(event: BusEvent<Detail>): Match | undefined {
  const resource = event.resources[0];
  const state = str(event.detail.state) ?? '';
  if (!resource) return undefined;
  const prefix = 'codepipeline-pipeline-';
  const of = (kind: string, states: Record<string, string>) => (states[state] ? [`${prefix}${kind}-${states[state]}`] : []);
  let ids: string[];
  switch (event['detail-type']) {
    case 'CodePipeline Pipeline Execution State Change':
      ids = of('pipeline-execution', PIPELINE_STATES);
      break;
    case 'CodePipeline Stage Execution State Change':
      ids = of('stage-execution', PIPELINE_STATES);
      break;
    case 'CodePipeline Action Execution State Change': {
      const category = str((event.detail.type as Detail | undefined)?.category);
      // A manual approval is an action too: it is both an action execution and an approval event.
      ids = [...of('action-execution', PIPELINE_STATES), ...(category === 'Approval' ? of('manual-approval', APPROVAL_STATES) : [])];
      break;
    }
    default:
      ids = [];
  }
  return ids.length ? { resource, eventTypeIds: ids } : undefined;
}

const BY_SOURCE: Record<string, (event: BusEvent<Detail>) => Match | undefined> = {
  'aws.codecommit': codecommit,
  'aws.codebuild': codebuild,
  'aws.codedeploy': codedeploy,
  'aws.codepipeline': codepipeline,
};

export function matchEvent(event: BusEvent): Match | undefined {
  return BY_SOURCE[event.source]?.(event);
}
