import type {
  DisableStageTransitionInput,
  EnableStageTransitionInput,
  GetPipelineExecutionInput,
  GetPipelineExecutionOutput,
  GetPipelineStateInput,
  GetPipelineStateOutput,
  ListActionExecutionsInput,
  ListActionExecutionsOutput,
  ListPipelineExecutionsInput,
  ListPipelineExecutionsOutput,
  PutApprovalResultInput,
  PutApprovalResultOutput,
  RetryStageExecutionInput,
  RetryStageExecutionOutput,
  StartPipelineExecutionInput,
  StartPipelineExecutionOutput,
  StopPipelineExecutionInput,
  StopPipelineExecutionOutput,
} from '@aws-sdk/client-codepipeline';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { pipelineArn } from './arns.js';
import type { PipelineContext } from './context.js';
import {
  actionNotFound,
  approvalAlreadyCompleted,
  conflict,
  duplicatedStop,
  executionNotFound,
  invalidApprovalToken,
  notLatestExecution,
  notStoppable,
  stageNotFound,
  stageNotRetryable,
  validation,
} from './errors.js';
import { actionExecutionDetail, executionSummary, executionView, stageStates } from './execution-views.js';
import { decodeToken, encodeToken, findPipeline } from './pipeline-operations.js';
import type { PipelineRecord } from './store.js';

/** Set by codesuite's own callers (an EventBridge target) to say what started an execution. */
export const TRIGGER = Symbol('trigger');

function findStage(p: PipelineRecord, stageName: string | undefined) {
  const stage = p.declaration.stages!.find((s) => s.name === stageName);
  if (!stage) throw stageNotFound(stageName ?? '', p.name);
  return stage;
}

export function executionOperations(c: PipelineContext): Record<string, OperationSpec> {
  const arnOf = (ctx: RequestContext, name: string | undefined) => pipelineArn(ctx, name ?? '*');
  const stageArn = (ctx: RequestContext, name: string | undefined, stage: string | undefined) => `${arnOf(ctx, name)}/${stage ?? '*'}`;
  const findExecution = (p: PipelineRecord, id: string | undefined) => {
    const e = c.store.execution(id ?? '');
    if (!e || e.pipeline !== p.name || e.accountId !== p.accountId || e.region !== p.region) throw executionNotFound(id ?? '', p.name);
    return e;
  };
  return {
    StartPipelineExecution: operation<StartPipelineExecutionInput, StartPipelineExecutionOutput>({
      iam: { action: 'codepipeline:StartPipelineExecution', resource: (i, ctx) => arnOf(ctx, i.name) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.name);
        const declared = new Set((p.declaration.variables ?? []).map((v) => v.name));
        const variables: Record<string, string> = {};
        for (const v of input.variables ?? []) {
          if (!declared.has(v.name)) throw validation(`Pipeline variable ${v.name} is not declared in the pipeline.`);
          variables[v.name!] = v.value!;
        }
        for (const v of p.declaration.variables ?? []) {
          if (v.defaultValue === undefined && variables[v.name!] === undefined) throw validation(`A value for the pipeline variable ${v.name} is required: it has no default value.`);
        }
        const sources = new Set(p.declaration.stages![0].actions!.map((a) => a.name));
        const sourceOverrides: Record<string, { revisionType: string; revisionValue: string }> = {};
        for (const o of input.sourceRevisions ?? []) {
          if (!sources.has(o.actionName)) throw validation(`The source revision override names action ${o.actionName}, which is not a source action of the pipeline.`);
          sourceOverrides[o.actionName!] = { revisionType: o.revisionType!, revisionValue: o.revisionValue! };
        }
        const trigger = (input as unknown as Record<symbol, { triggerType: string; triggerDetail: string } | undefined>)[TRIGGER];
        const e = c.engine.start(p, { triggerType: 'StartPipelineExecution', triggerDetail: ctx.principalArn, ...trigger, variables, sourceOverrides });
        return { pipelineExecutionId: e.id };
      },
    }),

    StopPipelineExecution: operation<StopPipelineExecutionInput, StopPipelineExecutionOutput>({
      iam: { action: 'codepipeline:StopPipelineExecution', resource: (i, ctx) => arnOf(ctx, i.pipelineName) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.pipelineName);
        const e = findExecution(p, input.pipelineExecutionId);
        if (e.status === 'Stopping' && !input.abandon) throw duplicatedStop(e.id);
        if (e.status !== 'InProgress' && e.status !== 'Stopping') {
          throw notStoppable(`Pipeline execution ${e.id} is not stoppable because its status is ${e.status}.`);
        }
        c.engine.stop(e, input.abandon ?? false, input.reason);
        return { pipelineExecutionId: e.id };
      },
    }),

    GetPipelineExecution: operation<GetPipelineExecutionInput, GetPipelineExecutionOutput>({
      iam: { action: 'codepipeline:GetPipelineExecution', resource: (i, ctx) => arnOf(ctx, i.pipelineName) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.pipelineName);
        return { pipelineExecution: executionView(c.store, findExecution(p, input.pipelineExecutionId)) };
      },
    }),

    ListPipelineExecutions: operation<ListPipelineExecutionsInput, ListPipelineExecutionsOutput>({
      iam: { action: 'codepipeline:ListPipelineExecutions', resource: (i, ctx) => arnOf(ctx, i.pipelineName) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.pipelineName);
        const all = c.store.executions(ctx, p.name);
        const start = input.nextToken === undefined ? 0 : all.findIndex((e) => e.id === decodeToken(input.nextToken!)) + 1;
        const size = input.maxResults ?? 100;
        const page = all.slice(start, start + size);
        return {
          pipelineExecutionSummaries: page.map((e) => executionSummary(c.store, e)),
          ...(start + size < all.length ? { nextToken: encodeToken(page[page.length - 1].id) } : {}),
        };
      },
    }),

    GetPipelineState: operation<GetPipelineStateInput, GetPipelineStateOutput>({
      iam: { action: 'codepipeline:GetPipelineState', resource: (i, ctx) => arnOf(ctx, i.name) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.name);
        return { pipelineName: p.name, pipelineVersion: p.version, stageStates: stageStates(c.store, p), created: new Date(p.createdAt), updated: new Date(p.updatedAt) };
      },
    }),

    ListActionExecutions: operation<ListActionExecutionsInput, ListActionExecutionsOutput>({
      iam: { action: 'codepipeline:ListActionExecutions', resource: (i, ctx) => arnOf(ctx, i.pipelineName) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.pipelineName);
        const executions = input.filter?.pipelineExecutionId ? [findExecution(p, input.filter.pipelineExecutionId)] : c.store.executions(ctx, p.name);
        const all = executions.flatMap((e) => c.store.actions(e.id).reverse().map((a) => actionExecutionDetail(e, a)));
        const start = input.nextToken === undefined ? 0 : all.findIndex((a) => a.actionExecutionId === decodeToken(input.nextToken!)) + 1;
        const size = input.maxResults ?? 100;
        const page = all.slice(start, start + size);
        return { actionExecutionDetails: page, ...(start + size < all.length ? { nextToken: encodeToken(page[page.length - 1].actionExecutionId!) } : {}) };
      },
    }),

    RetryStageExecution: operation<RetryStageExecutionInput, RetryStageExecutionOutput>({
      iam: { action: 'codepipeline:RetryStageExecution', resource: (i, ctx) => stageArn(ctx, i.pipelineName, i.stageName) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.pipelineName);
        const e = findExecution(p, input.pipelineExecutionId);
        const stage = findStage(p, input.stageName);
        if (e.pipelineVersion !== p.version) throw stageNotRetryable('The pipeline structure changed since the execution ran: the stage cannot be retried.');
        const run = c.store.stageRun(e.id, stage.name!);
        if (!run || e.declaration.stages![e.stageIndex].name !== stage.name || !e.stageEntered) {
          throw stageNotRetryable(`Stage ${stage.name} of execution ${e.id} has not run, so it cannot be retried.`);
        }
        const newer = c.store.executions(p, p.name).find((o) => o.seq > e.seq && c.store.stageRun(o.id, stage.name!) !== undefined);
        if (newer) throw notLatestExecution(e.id, stage.name!);
        if (run.status === 'InProgress' || e.status === 'InProgress' || e.status === 'Stopping') throw conflict(`Stage ${stage.name} is still in progress: it cannot be retried now.`);
        if (run.status !== 'Failed' && run.status !== 'Stopped') throw stageNotRetryable(`Stage ${stage.name} has status ${run.status}: only failed or stopped stages can be retried.`);
        c.engine.retry(e, stage, input.retryMode as 'FAILED_ACTIONS' | 'ALL_ACTIONS');
        return { pipelineExecutionId: e.id };
      },
    }),

    DisableStageTransition: operation<DisableStageTransitionInput, object>({
      iam: { action: 'codepipeline:DisableStageTransition', resource: (i, ctx) => stageArn(ctx, i.pipelineName, i.stageName) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.pipelineName);
        findStage(p, input.stageName);
        if (input.transitionType === 'Outbound') {
          const index = p.declaration.stages!.findIndex((s) => s.name === input.stageName);
          const next = p.declaration.stages![index + 1];
          if (!next) throw validation(`Stage ${input.stageName} is the last stage: it has no outbound transition.`);
          c.store.setTransition(ctx, p.name, next.name!, { reason: input.reason!, changedBy: ctx.principalArn, changedAt: c.deps.clock.now().getTime() });
        } else {
          c.store.setTransition(ctx, p.name, input.stageName!, { reason: input.reason!, changedBy: ctx.principalArn, changedAt: c.deps.clock.now().getTime() });
        }
        return {};
      },
    }),

    EnableStageTransition: operation<EnableStageTransitionInput, object>({
      iam: { action: 'codepipeline:EnableStageTransition', resource: (i, ctx) => stageArn(ctx, i.pipelineName, i.stageName) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.pipelineName);
        findStage(p, input.stageName);
        const index = p.declaration.stages!.findIndex((s) => s.name === input.stageName);
        const target = input.transitionType === 'Outbound' ? p.declaration.stages![index + 1]?.name : input.stageName;
        if (target) c.store.setTransition(ctx, p.name, target, undefined);
        c.engine.kickPipeline(ctx, p.name);
        return {};
      },
    }),

    PutApprovalResult: operation<PutApprovalResultInput, PutApprovalResultOutput>({
      iam: { action: 'codepipeline:PutApprovalResult', resource: (i, ctx) => `${stageArn(ctx, i.pipelineName, i.stageName)}/${i.actionName ?? '*'}` },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.pipelineName);
        const stage = findStage(p, input.stageName);
        if (!stage.actions!.some((a) => a.name === input.actionName)) throw actionNotFound(input.actionName ?? '', stage.name!);
        const a = c.store.actionByToken(input.token!);
        if (!a || a.stage !== stage.name || a.action !== input.actionName) throw invalidApprovalToken();
        const e = c.store.execution(a.executionId);
        if (!e || e.pipeline !== p.name) throw invalidApprovalToken();
        if (a.status !== 'InProgress') throw approvalAlreadyCompleted();
        const approvedAt = c.deps.clock.now();
        const summary = input.result!.summary;
        a.summary = summary ?? null;
        if (input.result!.status === 'Approved') {
          c.engine.complete(e, a, { status: 'Succeeded', summary: summary ?? 'Approved' });
        } else {
          c.engine.complete(e, a, { status: 'Failed', code: 'JobFailed', message: `Rejected${summary ? `: ${summary}` : ''}` });
        }
        return { approvedAt };
      },
    }),
  };
}
