import { readFileSync } from 'node:fs';
import type { EventTypeSummary } from '@aws-sdk/client-codestar-notifications';
import { packageFile } from '../core/package-files.js';

let catalog: EventTypeSummary[] | undefined;

/** AWS's event types (data/codestar-notifications-event-types.json, its source beside it), read on first use. */
export function eventTypes(): EventTypeSummary[] {
  catalog ??= JSON.parse(readFileSync(packageFile('data/codestar-notifications-event-types.json'), 'utf8')) as EventTypeSummary[];
  return catalog;
}

export function eventType(id: string): EventTypeSummary | undefined {
  return eventTypes().find((t) => t.EventTypeId === id);
}

/** The service and resource type a resource ARN names, as the event types file them, if notifications support it. */
export function resourceKind(arn: string): { service: string; resourceType: string } | undefined {
  const [, , service, , , ...rest] = arn.split(':');
  const resource = rest.join(':');
  if (service === 'codecommit' && resource && !resource.includes('/')) return { service: 'CodeCommit', resourceType: 'Repository' };
  if (service === 'codebuild' && resource.startsWith('project/')) return { service: 'CodeBuild', resourceType: 'Project' };
  if (service === 'codedeploy' && resource.startsWith('application:')) return { service: 'CodeDeploy', resourceType: 'Application' };
  if (service === 'codepipeline' && resource && !resource.includes('/')) return { service: 'CodePipeline', resourceType: 'Pipeline' };
  return undefined;
}
