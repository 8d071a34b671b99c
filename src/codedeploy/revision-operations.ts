import type {
  BatchGetApplicationRevisionsInput,
  BatchGetApplicationRevisionsOutput,
  GetApplicationRevisionInput,
  GetApplicationRevisionOutput,
  ListApplicationRevisionsInput,
  ListApplicationRevisionsOutput,
  RegisterApplicationRevisionInput,
  RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { applicationArn } from './arns.js';
import { iam, requireApplication, scopeOf, type CodeDeployContext } from './context.js';
import { cdError } from './errors.js';
import { page } from './pagination.js';
import type { RevisionRecord, Scope } from './records.js';
import { resolveRevision, revisionKey } from './revisions.js';
import { revisionInfoView } from './views.js';

const resource = (input: { applicationName?: string }, ctx: RequestContext) => applicationArn(scopeOf(ctx), input.applicationName ?? '*');

const notFound = () => cdError('RevisionDoesNotExistException', 'The named revision does not exist with the user or Amazon Web Services account.');

/** Registers a revision (or refreshes its description); deployments register theirs this way too. */
export function registerRevision(c: CodeDeployContext, scope: Scope, application: string, revision: RevisionLocation, update: Partial<RevisionRecord>): void {
  const key = revisionKey(revision);
  const existing = c.store.revision(scope, application, key);
  c.store.putRevision(scope, application, key, {
    revisionLocation: revision,
    deploymentGroups: [],
    registerTime: c.now(),
    ...existing,
    ...update,
    ...(update.deploymentGroups ? { deploymentGroups: [...new Set([...(existing?.deploymentGroups ?? []), ...update.deploymentGroups])] } : {}),
    ...(update.lastUsedTime !== undefined ? { firstUsedTime: existing?.firstUsedTime ?? update.lastUsedTime } : {}),
  });
}

export function revisionOperations(c: CodeDeployContext): Record<string, OperationSpec> {
  return {
    RegisterApplicationRevision: operation<RegisterApplicationRevisionInput, Record<string, never>>({
      iam: iam('RegisterApplicationRevision', resource),
      handler: async (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        const revision = await resolveRevision(c, ctx, scope, input.revision, app.computePlatform);
        registerRevision(c, scope, app.applicationName, revision, input.description !== undefined ? { description: input.description } : {});
        return {};
      },
    }),

    GetApplicationRevision: operation<GetApplicationRevisionInput, GetApplicationRevisionOutput>({
      iam: iam('GetApplicationRevision', resource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        if (!input.revision?.revisionType) throw cdError('RevisionRequiredException', 'The revision ID was not specified.');
        const found = c.store.revision(scope, app.applicationName, revisionKey(input.revision));
        if (!found) throw notFound();
        return { applicationName: app.applicationName, revision: found.revisionLocation, revisionInfo: revisionInfoView(found) };
      },
    }),

    BatchGetApplicationRevisions: operation<BatchGetApplicationRevisionsInput, BatchGetApplicationRevisionsOutput>({
      iam: iam('BatchGetApplicationRevisions', resource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        const revisions = input.revisions ?? [];
        if (revisions.length === 0) throw cdError('RevisionRequiredException', 'The revision ID was not specified.');
        if (revisions.length > 25) throw cdError('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (25) was exceeded.');
        const found = revisions.map((r) => c.store.revision(scope, app.applicationName, revisionKey(r)));
        return {
          applicationName: app.applicationName,
          revisions: found.flatMap((r) => (r ? [{ revisionLocation: r.revisionLocation, genericRevisionInfo: revisionInfoView(r) }] : [])),
          ...(found.some((r) => !r) ? { errorMessage: 'Some of the revisions were not found.' } : {}),
        };
      },
    }),

    ListApplicationRevisions: operation<ListApplicationRevisionsInput, ListApplicationRevisionsOutput>({
      iam: iam('ListApplicationRevisions', resource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        if (input.s3KeyPrefix && !input.s3Bucket) throw cdError('InvalidBucketNameFilterException', 'The bucket name either doesn\'t exist or was specified in an invalid format.');
        const sortBy = input.sortBy ?? 'registerTime';
        const field = (r: RevisionRecord) => (sortBy === 'registerTime' ? r.registerTime : sortBy === 'firstUsedTime' ? r.firstUsedTime : r.lastUsedTime) ?? 0;
        const order = input.sortOrder === 'descending' ? -1 : 1;
        const revisions = c.store
          .revisions(scope, app.applicationName)
          .filter((r) => !input.s3Bucket || (r.revisionLocation.s3Location?.bucket === input.s3Bucket && (r.revisionLocation.s3Location.key ?? '').startsWith(input.s3KeyPrefix ?? '')))
          .filter((r) => input.deployed !== 'include' || r.lastUsedTime !== undefined)
          .filter((r) => input.deployed !== 'exclude' || r.lastUsedTime === undefined)
          .sort((a, b) => order * (field(a) - field(b)));
        const { items, nextToken } = page(revisions.map((r) => r.revisionLocation), input.nextToken);
        return { revisions: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),
  };
}
