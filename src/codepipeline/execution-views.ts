import type { ActionExecutionDetail, ActionTypeId, ExecutionTrigger, PipelineExecution, PipelineExecutionSummary, StageState } from '@aws-sdk/client-codepipeline';
import type { ActionExecutionRecord, ExecutionRecord, PipelineRecord, PipelineStore } from './store.js';

const trigger = (e: ExecutionRecord): ExecutionTrigger => ({ triggerType: e.triggerType as ExecutionTrigger['triggerType'], triggerDetail: e.triggerDetail ?? '' });

/** The revisions the source actions of an execution took. */
function sourceRevisions(store: PipelineStore, e: ExecutionRecord) {
  return store
    .actions(e.id)
    .filter((a) => a.input.actionTypeId.category === 'Source' && a.output?.revision)
    .map((a) => ({ actionName: a.action, revisionId: a.output!.revision!.revisionId, ...(a.output!.revision!.revisionSummary ? { revisionSummary: a.output!.revision!.revisionSummary } : {}) }));
}

export function executionSummary(store: PipelineStore, e: ExecutionRecord): PipelineExecutionSummary {
  return {
    pipelineExecutionId: e.id,
    status: e.status,
    ...(e.statusSummary ? { statusSummary: e.statusSummary } : {}),
    startTime: new Date(e.startedAt),
    lastUpdateTime: new Date(e.updatedAt),
    sourceRevisions: sourceRevisions(store, e),
    trigger: trigger(e),
    ...(e.stopReason !== null || e.status === 'Stopped' || e.status === 'Stopping' ? { stopTrigger: { reason: e.stopReason ?? '' } } : {}),
    executionMode: e.executionMode as PipelineExecutionSummary['executionMode'],
    executionType: 'STANDARD',
  };
}

export function executionView(store: PipelineStore, e: ExecutionRecord): PipelineExecution {
  const sources = store.actions(e.id).filter((a) => a.input.actionTypeId.category === 'Source' && a.output?.revision);
  return {
    pipelineName: e.pipeline,
    pipelineVersion: e.pipelineVersion,
    pipelineExecutionId: e.id,
    status: e.status,
    ...(e.statusSummary ? { statusSummary: e.statusSummary } : {}),
    artifactRevisions: sources.flatMap((a) =>
      a.input.outputArtifacts.map((o) => ({
        name: o.name,
        revisionId: a.output!.revision!.revisionId,
        ...(a.output!.revision!.revisionSummary ? { revisionSummary: a.output!.revision!.revisionSummary } : {}),
        ...(a.output!.revision!.created ? { created: new Date(a.output!.revision!.created) } : {}),
      })),
    ),
    variables: Object.entries(e.variables).map(([name, resolvedValue]) => ({ name, resolvedValue })),
    trigger: trigger(e),
    executionMode: e.executionMode as PipelineExecution['executionMode'],
    executionType: 'STANDARD',
  };
}

function latestExecution(a: ActionExecutionRecord) {
  return {
    actionExecutionId: a.id,
    status: a.status,
    ...(a.summary ? { summary: a.summary } : {}),
    lastStatusChange: new Date(a.updatedAt),
    ...(a.token && a.status === 'InProgress' ? { token: a.token } : {}),
    ...(a.externalId ? { externalExecutionId: a.externalId } : {}),
    ...(a.externalUrl ? { externalExecutionUrl: a.externalUrl } : {}),
    ...(a.errorMessage ? { errorDetails: { code: a.errorCode ?? 'JobFailed', message: a.errorMessage } } : {}),
  };
}

/** GetPipelineState: per stage, the latest execution that entered it, the one waiting in front of it, and each action's latest run. */
export function stageStates(store: PipelineStore, p: PipelineRecord): StageState[] {
  const executions = store.executions(p, p.name);
  const disabled = store.disabledTransitions(p, p.name);
  return p.declaration.stages!.map((stage, index) => {
    const entered = executions.filter((e) => store.stageRun(e.id, stage.name!) !== undefined);
    const latest = entered.sort((a, b) => b.seq - a.seq)[0];
    const waiting = executions.filter((e) => e.stageIndex === index && !e.stageEntered && e.status === 'InProgress');
    const run = latest && store.stageRun(latest.id, stage.name!);
    const actions = latest ? store.latestActions(latest.id, stage.name!) : new Map<string, ActionExecutionRecord>();
    const transition = disabled.get(stage.name!);
    return {
      stageName: stage.name,
      ...(waiting.length ? { inboundExecution: { pipelineExecutionId: waiting[0].id, status: 'InProgress', type: 'STANDARD' }, inboundExecutions: waiting.map((w) => ({ pipelineExecutionId: w.id, status: 'InProgress', type: 'STANDARD' })) } : {}),
      inboundTransitionState: transition
        ? { enabled: false, lastChangedBy: transition.changedBy, lastChangedAt: new Date(transition.changedAt), disabledReason: transition.reason }
        : { enabled: true },
      actionStates: stage.actions!.map((declared) => {
        const a = actions.get(declared.name!);
        return {
          actionName: declared.name,
          ...(a?.output?.revision ? { currentRevision: { revisionId: a.output.revision.revisionId, revisionChangeId: a.output.revision.revisionId, ...(a.output.revision.created ? { created: new Date(a.output.revision.created) } : {}) } } : {}),
          ...(a ? { latestExecution: latestExecution(a) } : {}),
        };
      }),
      ...(latest && run ? { latestExecution: { pipelineExecutionId: latest.id, status: run.status, type: 'STANDARD' } } : {}),
    } as StageState;
  });
}

export function actionExecutionDetail(e: ExecutionRecord, a: ActionExecutionRecord): ActionExecutionDetail {
  const artifact = (x: { name: string; bucket: string; key: string }) => ({ name: x.name, s3location: { bucket: x.bucket, key: x.key } });
  return {
    pipelineExecutionId: e.id,
    actionExecutionId: a.id,
    pipelineVersion: e.pipelineVersion,
    stageName: a.stage,
    actionName: a.action,
    startTime: new Date(a.startedAt),
    lastUpdateTime: new Date(a.updatedAt),
    status: a.status,
    input: {
      actionTypeId: a.input.actionTypeId as ActionTypeId,
      configuration: a.input.configuration,
      resolvedConfiguration: a.input.resolvedConfiguration,
      ...(a.input.roleArn ? { roleArn: a.input.roleArn } : {}),
      region: a.input.region,
      inputArtifacts: a.input.inputArtifacts.map(artifact),
      ...(a.input.namespace ? { namespace: a.input.namespace } : {}),
    },
    output: {
      outputArtifacts: a.status === 'Succeeded' ? a.input.outputArtifacts.map(artifact) : [],
      executionResult: {
        ...(a.externalId ? { externalExecutionId: a.externalId } : {}),
        ...(a.summary ? { externalExecutionSummary: a.summary } : {}),
        ...(a.externalUrl ? { externalExecutionUrl: a.externalUrl } : {}),
        ...(a.errorMessage ? { errorDetails: { code: a.errorCode ?? 'JobFailed', message: a.errorMessage } } : {}),
      },
      ...(a.output?.outputVariables ? { outputVariables: a.output.outputVariables } : {}),
    },
  };
}
