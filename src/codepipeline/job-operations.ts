import type {
  AcknowledgeJobInput,
  AcknowledgeJobOutput,
  CreateCustomActionTypeInput,
  CreateCustomActionTypeOutput,
  DeleteCustomActionTypeInput,
  GetJobDetailsInput,
  GetJobDetailsOutput,
  ListActionTypesInput,
  ListActionTypesOutput,
  PollForJobsInput,
  PollForJobsOutput,
  PutJobFailureResultInput,
  PutJobSuccessResultInput,
} from '@aws-sdk/client-codepipeline';
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { AWS_ACTION_TYPES } from './action-types.js';
import { actionTypeArn } from './arns.js';
import type { PipelineContext } from './context.js';
import { customActionType } from './custom-action-types.js';
import { actionTypeNotFound, invalidJobState, invalidNonce, jobNotFound, limitExceeded, validation } from './errors.js';
import type { JobRecord, Jobs } from './jobs.js';

const MAX_CUSTOM_TYPES = 50;

export function jobOperations(c: PipelineContext, jobs: Jobs): Record<string, OperationSpec> {
  const findJob = (ctx: RequestContext, id: string | undefined): JobRecord => {
    const job = jobs.get(id ?? '');
    if (!job || job.accountId !== ctx.accountId || job.region !== ctx.region) throw jobNotFound(id ?? '');
    return job;
  };
  const roleOf = (job: JobRecord) => {
    const a = c.store.action(job.actionExecutionId);
    const e = a && c.store.execution(a.executionId);
    return a?.input.roleArn ?? e?.declaration.roleArn ?? '';
  };
  /** The action a job belongs to, while it still waits for this job. */
  const pending = (job: JobRecord) => {
    const a = c.store.action(job.actionExecutionId);
    const e = a && c.store.execution(a.executionId);
    if (!a || !e || a.status !== 'InProgress' || (a.state as { jobId?: string } | null)?.jobId !== job.id) {
      throw invalidJobState(`Job ${job.id} is no longer in progress; its status is ${job.status}.`);
    }
    if (job.status === 'Succeeded' || job.status === 'Failed' || job.status === 'TimedOut') throw invalidJobState(`Job ${job.id} is already ${job.status}.`);
    return { a, e };
  };
  const typeArn = (ctx: RequestContext, i: { category?: string; provider?: string; version?: string }) =>
    actionTypeArn(ctx, { category: i.category ?? '*', provider: i.provider ?? '*', version: i.version ?? '*' });

  return {
    CreateCustomActionType: operation<CreateCustomActionTypeInput, CreateCustomActionTypeOutput>({
      iam: { action: 'codepipeline:CreateCustomActionType', resource: (i, ctx) => typeArn(ctx, i) },
      handler: (input, ctx) => {
        const props = input.configurationProperties ?? [];
        const queryable = props.filter((p) => p.queryable);
        if (queryable.length > 1) throw validation('An action type can have at most one queryable configuration property.');
        if (queryable.some((p) => !p.required || p.secret)) throw validation('A queryable configuration property must be required and must not be secret.');
        const existing = c.deps.db
          .prepare('SELECT deleted FROM codepipeline_custom_action_types WHERE account_id = ? AND region = ? AND category = ? AND provider = ? AND version = ?')
          .get(ctx.accountId, ctx.region, input.category, input.provider, input.version) as { deleted: number } | undefined;
        if (existing) throw validation(`An action type with category ${input.category}, provider ${input.provider} and version ${input.version} ${existing.deleted ? 'was deleted; create it with a new version' : 'already exists'}.`);
        const count = c.deps.db.prepare('SELECT COUNT(*) AS n FROM codepipeline_custom_action_types WHERE account_id = ? AND region = ? AND deleted = 0').get(ctx.accountId, ctx.region) as { n: number };
        if (count.n >= MAX_CUSTOM_TYPES) throw limitExceeded(`The number of custom action types in this Region would exceed ${MAX_CUSTOM_TYPES}.`);
        c.deps.db
          .prepare('INSERT INTO codepipeline_custom_action_types (account_id, region, category, provider, version, definition) VALUES (?, ?, ?, ?, ?, ?)')
          .run(ctx.accountId, ctx.region, input.category, input.provider, input.version, JSON.stringify(input));
        return {
          actionType: {
            id: { category: input.category, owner: 'Custom', provider: input.provider, version: input.version },
            ...(input.settings ? { settings: input.settings } : {}),
            actionConfigurationProperties: props,
            inputArtifactDetails: input.inputArtifactDetails,
            outputArtifactDetails: input.outputArtifactDetails,
          },
          ...(input.tags ? { tags: input.tags } : {}),
        };
      },
    }),

    DeleteCustomActionType: operation<DeleteCustomActionTypeInput, object>({
      iam: { action: 'codepipeline:DeleteCustomActionType', resource: (i, ctx) => typeArn(ctx, i) },
      handler: (input, ctx) => {
        c.deps.db
          .prepare('UPDATE codepipeline_custom_action_types SET deleted = 1 WHERE account_id = ? AND region = ? AND category = ? AND provider = ? AND version = ?')
          .run(ctx.accountId, ctx.region, input.category, input.provider, input.version);
        return {};
      },
    }),

    ListActionTypes: operation<ListActionTypesInput, ListActionTypesOutput>({
      iam: { action: 'codepipeline:ListActionTypes', resource: () => '*' },
      handler: (input, ctx) => {
        const custom = (
          c.deps.db.prepare('SELECT definition FROM codepipeline_custom_action_types WHERE account_id = ? AND region = ? AND deleted = 0').all(ctx.accountId, ctx.region) as {
            definition: string;
          }[]
        ).map((r) => JSON.parse(r.definition) as CreateCustomActionTypeInput);
        const all = [
          ...AWS_ACTION_TYPES.map((t) => ({
            id: { category: t.category, owner: t.owner, provider: t.provider, version: t.version },
            inputArtifactDetails: { minimumCount: t.inputs[0], maximumCount: t.inputs[1] },
            outputArtifactDetails: { minimumCount: t.outputs[0], maximumCount: t.outputs[1] },
            actionConfigurationProperties: [...t.required.map((name) => ({ name, required: true, key: true, secret: false })), ...t.optional.map((name) => ({ name, required: false, key: false, secret: false }))],
          })),
          ...custom.map((d) => ({
            id: { category: d.category, owner: 'Custom', provider: d.provider, version: d.version },
            ...(d.settings ? { settings: d.settings } : {}),
            actionConfigurationProperties: d.configurationProperties ?? [],
            inputArtifactDetails: d.inputArtifactDetails,
            outputArtifactDetails: d.outputArtifactDetails,
          })),
        ].filter((t) => !input.actionOwnerFilter || t.id.owner === input.actionOwnerFilter);
        return { actionTypes: all } as ListActionTypesOutput;
      },
    }),

    PollForJobs: operation<PollForJobsInput, PollForJobsOutput>({
      iam: { action: 'codepipeline:PollForJobs', resource: (i, ctx) => typeArn(ctx, i.actionTypeId ?? {}) },
      handler: (input, ctx) => {
        const t = input.actionTypeId!;
        const known = t.owner === 'Custom' ? customActionType(c, ctx, t) : undefined;
        if (!known) throw actionTypeNotFound(t);
        const query = Object.entries(input.queryParam ?? {});
        const queryable = c.deps.db
          .prepare('SELECT definition FROM codepipeline_custom_action_types WHERE account_id = ? AND region = ? AND category = ? AND provider = ? AND version = ?')
          .get(ctx.accountId, ctx.region, t.category, t.provider, t.version) as { definition: string };
        const queryName = (JSON.parse(queryable.definition) as CreateCustomActionTypeInput).configurationProperties?.find((p) => p.queryable)?.name;
        if (query.length > 0 && !queryName) throw validation('queryParam must be empty: the action type has no queryable property.');
        const matching = jobs
          .queued(ctx, { category: t.category!, owner: t.owner!, provider: t.provider!, version: t.version! })
          .filter((j) => query.every(([k, v]) => k === queryName && j.data.actionConfiguration?.configuration?.[k] === v))
          .slice(0, input.maxBatchSize ?? 1);
        return {
          jobs: matching.map((j) => {
            const nonce = randomUUID();
            jobs.setStatus(j.id, 'Dispatched', nonce);
            return jobs.view({ ...j, nonce, status: 'Dispatched' }, roleOf(j));
          }),
        };
      },
    }),

    AcknowledgeJob: operation<AcknowledgeJobInput, AcknowledgeJobOutput>({
      iam: { action: 'codepipeline:AcknowledgeJob', resource: () => '*' },
      handler: (input, ctx) => {
        const job = findJob(ctx, input.jobId);
        if (job.nonce !== input.nonce) throw invalidNonce();
        if (job.status === 'Dispatched') {
          jobs.setStatus(job.id, 'InProgress');
          return { status: 'InProgress' };
        }
        return { status: job.status };
      },
    }),

    GetJobDetails: operation<GetJobDetailsInput, GetJobDetailsOutput>({
      iam: { action: 'codepipeline:GetJobDetails', resource: () => '*' },
      handler: (input, ctx) => {
        const job = findJob(ctx, input.jobId);
        const view = jobs.view(job, roleOf(job));
        return { jobDetails: { id: view.id, data: view.data, accountId: view.accountId } };
      },
    }),

    PutJobSuccessResult: operation<PutJobSuccessResultInput, object>({
      iam: { action: 'codepipeline:PutJobSuccessResult', resource: () => '*' },
      handler: (input, ctx) => {
        const job = findJob(ctx, input.jobId);
        const { a, e } = pending(job);
        if (input.continuationToken && input.outputVariables) throw validation('outputVariables can only be set when the job has no continuation token.');
        const details = input.executionDetails;
        jobs.setStatus(job.id, 'Succeeded');
        if (input.continuationToken) {
          // The action goes on: its next turn is a new job carrying the token.
          const next = jobs.create(e, a, input.continuationToken);
          a.state = { ...(a.state ?? {}), jobId: next.id };
          a.summary = details?.summary ?? a.summary;
          a.externalId = details?.externalExecutionId ?? a.externalId;
          a.updatedAt = c.deps.clock.now().getTime();
          c.store.saveAction(a);
          return {};
        }
        c.engine.complete(e, a, {
          status: 'Succeeded',
          ...(details?.summary ? { summary: details.summary } : {}),
          ...(details?.externalExecutionId ? { externalId: details.externalExecutionId } : {}),
          ...(input.outputVariables ? { outputVariables: input.outputVariables } : {}),
          ...(input.currentRevision?.revision ? { revision: { revisionId: input.currentRevision.revision, revisionChangeId: input.currentRevision.changeIdentifier } } : {}),
        });
        return {};
      },
    }),

    PutJobFailureResult: operation<PutJobFailureResultInput, object>({
      iam: { action: 'codepipeline:PutJobFailureResult', resource: () => '*' },
      handler: (input, ctx) => {
        const job = findJob(ctx, input.jobId);
        const { a, e } = pending(job);
        jobs.setStatus(job.id, 'Failed');
        const f = input.failureDetails!;
        c.engine.complete(e, a, { status: 'Failed', code: f.type!, message: f.message!, ...(f.externalExecutionId ? { externalId: f.externalExecutionId } : {}) });
        return {};
      },
    }),
  };
}
