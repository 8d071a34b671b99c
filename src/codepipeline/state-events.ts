import type { ServiceDeps } from '../core/deps.js';
import { pipelineArn } from './arns.js';
import type { ActionExecutionRecord, ExecutionRecord } from './store.js';

/** The event states AWS publishes (upper case, unlike the API's statuses). */
export type EventState = 'STARTED' | 'SUCCEEDED' | 'RESUMED' | 'FAILED' | 'CANCELED' | 'SUPERSEDED' | 'STOPPING' | 'STOPPED' | 'ABANDONED';

/** "CodePipeline Pipeline/Stage/Action Execution State Change" on the bus, as EventBridge shows them. */
export class StateEvents {
  constructor(private readonly deps: ServiceDeps) {}

  private publish(e: ExecutionRecord, detailType: string, detail: Record<string, unknown>): void {
    this.deps.events.publish({
      version: '0',
      id: this.deps.ids.uuid(),
      'detail-type': detailType,
      source: 'aws.codepipeline',
      account: e.accountId,
      time: this.deps.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: e.region,
      resources: [pipelineArn(e, e.pipeline)],
      detail: { pipeline: e.pipeline, 'execution-id': e.id, ...detail, version: e.pipelineVersion },
    });
  }

  pipeline(e: ExecutionRecord, state: EventState): void {
    this.publish(e, 'CodePipeline Pipeline Execution State Change', {
      'execution-trigger': { 'trigger-type': e.triggerType, 'trigger-detail': e.triggerDetail ?? '' },
      state,
    });
  }

  stage(e: ExecutionRecord, stage: string, state: EventState): void {
    this.publish(e, 'CodePipeline Stage Execution State Change', { stage, state });
  }

  action(e: ExecutionRecord, a: ActionExecutionRecord, state: EventState): void {
    const t = a.input.actionTypeId;
    this.publish(e, 'CodePipeline Action Execution State Change', {
      stage: a.stage,
      'action-execution-id': a.id,
      action: a.action,
      state,
      region: a.input.region,
      type: { owner: t.owner, provider: t.provider, category: t.category, version: t.version },
      'input-artifacts': a.input.inputArtifacts.map((x) => ({ name: x.name, s3location: { bucket: x.bucket, key: x.key } })),
      ...(a.externalId ? { 'execution-result': { 'external-execution-id': a.externalId, 'external-execution-summary': a.summary ?? '' } } : {}),
    });
  }
}
