import type { ActionDeclaration, PipelineDeclaration, StageDeclaration } from '@aws-sdk/client-codepipeline';
import type { ServiceDeps } from '../core/deps.js';
import { isAwsError } from '../core/errors.js';
import { RetryJobAt } from '../core/scheduler.js';
import { artifactKey, type ArtifactStore } from './artifacts.js';
import type { Scope } from './arns.js';
import type { ActionOutcome, Provider } from './providers/provider.js';
import { roleSession } from './roles.js';
import { StateEvents, type EventState } from './state-events.js';
import type { ActionExecutionRecord, ArtifactRef, ExecutionRecord, PipelineRecord, PipelineStore } from './store.js';
import { resolveConfiguration, VariableError } from './variables.js';

const ADVANCE_JOB = 'codepipeline.advance';
const ACTION_JOB = 'codepipeline.action';

const TERMINAL = new Set(['Stopped', 'Succeeded', 'Superseded', 'Failed', 'Cancelled']);

export interface StartRequest {
  triggerType: string;
  triggerDetail?: string;
  variables?: Record<string, string>;
  sourceOverrides?: ExecutionRecord['sourceOverrides'];
}

const groupsOf = (stage: StageDeclaration): ActionDeclaration[][] => {
  const orders = [...new Set(stage.actions!.map((a) => a.runOrder ?? 1))].sort((a, b) => a - b);
  return orders.map((o) => stage.actions!.filter((a) => (a.runOrder ?? 1) === o));
};

/**
 * The execution state machine. Every change is written before anything acts on it, and all
 * progress happens in scheduler jobs: `advance` moves an execution through its stages and runOrder
 * groups, `action` gives a provider its turn. After a restart the pending jobs run again and
 * each reads where its execution stands from the database.
 */
export class Engine {
  readonly events: StateEvents;
  private providers = new Map<string, Provider>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly store: PipelineStore,
    private readonly artifacts: ArtifactStore,
  ) {
    this.events = new StateEvents(deps);
    deps.scheduler.register<{ executionId: string }>(ADVANCE_JOB, (job) => this.advance(job.payload.executionId));
    deps.scheduler.register<{ id: string }>(ACTION_JOB, (job) => this.runAction(job.payload.id));
  }

  provide(key: string, provider: Provider): void {
    this.providers.set(key, provider);
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  kick(executionId: string): void {
    this.deps.scheduler.enqueue({ kind: ADVANCE_JOB, key: `${ADVANCE_JOB}:${executionId}`, payload: { executionId } });
  }

  /** Every unfinished execution of a pipeline looks again (a stage was released, a transition enabled). */
  kickPipeline(s: Scope, pipeline: string): void {
    for (const e of this.store.executions(s, pipeline)) if (!TERMINAL.has(e.status)) this.kick(e.id);
  }

  start(p: PipelineRecord, request: StartRequest): ExecutionRecord {
    const now = this.now();
    const declared = Object.fromEntries((p.declaration.variables ?? []).map((v) => [v.name!, v.defaultValue ?? '']));
    const e: ExecutionRecord = {
      id: this.deps.ids.uuid(),
      accountId: p.accountId,
      region: p.region,
      pipeline: p.name,
      pipelineVersion: p.version,
      declaration: p.declaration,
      seq: this.store.nextSeq(p, p.name),
      status: 'InProgress',
      statusSummary: null,
      triggerType: request.triggerType,
      triggerDetail: request.triggerDetail ?? null,
      executionMode: p.declaration.executionMode ?? 'SUPERSEDED',
      variables: { ...declared, ...request.variables },
      sourceOverrides: request.sourceOverrides ?? {},
      stageIndex: 0,
      stageEntered: false,
      stopReason: null,
      abandon: false,
      startedAt: now,
      updatedAt: now,
    };
    this.store.transaction(() => {
      this.store.insertExecution(e);
      this.kick(e.id);
    });
    this.events.pipeline(e, 'STARTED');
    return e;
  }

  private save(e: ExecutionRecord): void {
    e.updatedAt = this.now();
    this.store.saveExecution(e);
  }

  private finish(e: ExecutionRecord, status: ExecutionRecord['status'], state: EventState, summary?: string): void {
    e.status = status;
    if (summary !== undefined) e.statusSummary = summary;
    this.save(e);
    this.events.pipeline(e, state);
    this.kickPipeline(e, e.pipeline);
  }

  private setStage(e: ExecutionRecord, stage: string, status: string, state: EventState): void {
    const run = this.store.stageRun(e.id, stage) ?? { status, attempt: 1, floor: 1 };
    this.store.saveStageRun(e.id, stage, { ...run, status }, this.now());
    this.events.stage(e, stage, state);
  }

  /** Whether another execution holds the stage (it is inside it and has not finished). */
  private holder(e: ExecutionRecord, index: number): ExecutionRecord | undefined {
    return this.store
      .executions(e, e.pipeline)
      .find((o) => o.id !== e.id && o.stageIndex === index && o.stageEntered && (o.status === 'InProgress' || o.status === 'Stopping'));
  }

  private async advance(executionId: string): Promise<void> {
    for (let guard = 0; guard < 100; guard++) {
      const e = this.store.execution(executionId);
      if (!e || TERMINAL.has(e.status)) return;
      const stage = e.declaration.stages![e.stageIndex];
      if (!e.stageEntered) {
        if (e.status === 'Stopping') return this.finish(e, 'Stopped', 'STOPPED');
        if (!this.mayEnter(e, stage)) return;
        this.store.transaction(() => {
          e.stageEntered = true;
          this.save(e);
          const previous = this.store.stageRun(e.id, stage.name!);
          this.store.saveStageRun(e.id, stage.name!, { status: 'InProgress', attempt: (previous?.attempt ?? 0) + 1, floor: (previous?.attempt ?? 0) + 1 }, this.now());
        });
        this.events.stage(e, stage.name!, 'STARTED');
      }
      const run = this.store.stageRun(e.id, stage.name!)!;
      const latest = this.store.latestActions(e.id, stage.name!, run.floor);
      const statuses = [...latest.values()].map((a) => a.status);
      const running = statuses.includes('InProgress');
      if (running) return;
      if (e.status === 'Stopping') {
        this.setStage(e, stage.name!, 'Stopped', 'STOPPED');
        return this.finish(e, 'Stopped', 'STOPPED');
      }
      const failedAction = [...latest.values()].find((a) => a.status === 'Failed' || a.status === 'Abandoned');
      if (failedAction) {
        this.setStage(e, stage.name!, 'Failed', 'FAILED');
        return this.finish(e, 'Failed', 'FAILED', `Stage ${stage.name} failed: action ${failedAction.action} ${failedAction.errorMessage ? `failed: ${failedAction.errorMessage}` : 'did not succeed'}`);
      }
      const next = groupsOf(stage).find((g) => !g.every((a) => latest.get(a.name!)?.status === 'Succeeded'));
      if (next) {
        for (const action of next) if (!latest.has(action.name!)) this.startAction(e, stage, action, run.attempt);
        return;
      }
      this.setStage(e, stage.name!, 'Succeeded', 'SUCCEEDED');
      if (e.stageIndex === e.declaration.stages!.length - 1) return this.finish(e, 'Succeeded', 'SUCCEEDED');
      e.stageIndex += 1;
      e.stageEntered = false;
      this.save(e);
      this.kickPipeline(e, e.pipeline);
    }
  }

  /**
   * The stage lock and the transition in front of a stage. SUPERSEDED keeps one waiting execution
   * per boundary (the newest), QUEUED lets them in in order, PARALLEL has no locks.
   */
  private mayEnter(e: ExecutionRecord, stage: StageDeclaration): boolean {
    const disabled = e.stageIndex > 0 && this.store.disabledTransitions(e, e.pipeline).has(stage.name!);
    if (e.executionMode === 'PARALLEL') return !disabled;
    const waiting = this.store
      .executions(e, e.pipeline)
      .filter((o) => o.stageIndex === e.stageIndex && !o.stageEntered && o.status === 'InProgress' && o.executionMode === e.executionMode);
    if (e.executionMode === 'SUPERSEDED') {
      const newest = waiting.reduce((a, b) => (b.seq > a.seq ? b : a), e);
      if (newest.id !== e.id) {
        this.finish(e, 'Superseded', 'SUPERSEDED', `Superseded by execution ${newest.id}`);
        return false;
      }
      for (const older of waiting) if (older.id !== e.id) this.kick(older.id);
    } else if (waiting.some((o) => o.seq < e.seq)) {
      return false;
    }
    return !disabled && !this.holder(e, e.stageIndex);
  }

  /** Namespaces an action may reference: finished actions of this execution, `codepipeline`, `variables`. */
  private namespaces(e: ExecutionRecord): Map<string, Record<string, string>> {
    const spaces = new Map<string, Record<string, string>>([
      ['codepipeline', { PipelineExecutionId: e.id, PipelineName: e.pipeline, PipelineVersion: String(e.pipelineVersion) }],
      ['variables', e.variables],
    ]);
    for (const a of this.store.actions(e.id)) {
      if (a.status === 'Succeeded' && a.input.namespace) spaces.set(a.input.namespace, a.output?.outputVariables ?? {});
    }
    return spaces;
  }

  /** Where each artifact produced so far in the execution is. */
  private produced(e: ExecutionRecord): Map<string, ArtifactRef> {
    const found = new Map<string, ArtifactRef>();
    for (const a of this.store.actions(e.id)) if (a.status === 'Succeeded') for (const out of a.input.outputArtifacts) found.set(out.name, out);
    return found;
  }

  private store_(e: ExecutionRecord): { bucket: string } {
    const decl: PipelineDeclaration = e.declaration;
    const s = decl.artifactStore ?? decl.artifactStores?.[e.region];
    return { bucket: s?.location ?? '' };
  }

  startAction(e: ExecutionRecord, stage: StageDeclaration, action: ActionDeclaration, attempt: number): ActionExecutionRecord {
    const now = this.now();
    const produced = this.produced(e);
    const bucket = this.store_(e).bucket;
    const t = action.actionTypeId!;
    const a: ActionExecutionRecord = {
      id: this.deps.ids.uuid(),
      executionId: e.id,
      stage: stage.name!,
      action: action.name!,
      attempt,
      status: 'InProgress',
      input: {
        actionTypeId: { category: t.category!, owner: t.owner!, provider: t.provider!, version: t.version! },
        configuration: action.configuration ?? {},
        resolvedConfiguration: action.configuration ?? {},
        ...(action.roleArn ? { roleArn: action.roleArn } : {}),
        region: action.region ?? e.region,
        ...(action.namespace ? { namespace: action.namespace } : {}),
        runOrder: action.runOrder ?? 1,
        inputArtifacts: (action.inputArtifacts ?? []).map((i) => produced.get(i.name!) ?? { name: i.name!, bucket, key: '' }),
        outputArtifacts: (action.outputArtifacts ?? []).map((o) => ({ name: o.name!, bucket, key: artifactKey(e.pipeline, o.name!) })),
      },
      output: null,
      state: null,
      // Approvals wait for PutApprovalResult, which names them by this token.
      token: t.category === 'Approval' ? this.deps.ids.uuid() : null,
      externalId: null,
      externalUrl: null,
      summary: null,
      errorCode: null,
      errorMessage: null,
      startedAt: now,
      updatedAt: now,
    };
    try {
      a.input.resolvedConfiguration = resolveConfiguration(a.input.configuration, this.namespaces(e));
    } catch (err) {
      if (!(err instanceof VariableError)) throw err;
      a.status = 'Failed';
      a.errorCode = 'JobFailed';
      a.errorMessage = err.message;
    }
    this.store.transaction(() => {
      this.store.insertAction(a);
      if (a.status === 'InProgress') this.deps.scheduler.enqueue({ kind: ACTION_JOB, key: `${ACTION_JOB}:${a.id}`, payload: { id: a.id } });
      else this.kick(e.id);
    });
    this.events.action(e, a, a.status === 'InProgress' ? 'STARTED' : 'FAILED');
    return a;
  }

  /** Looks at an action again now (a build ended, a job result arrived). */
  poke(actionId: string): void {
    this.deps.scheduler.enqueue({ kind: ACTION_JOB, key: `${ACTION_JOB}:${actionId}`, payload: { id: actionId } });
  }

  private async runAction(id: string): Promise<void> {
    const a = this.store.action(id);
    if (!a || a.status !== 'InProgress') return;
    const e = this.store.execution(a.executionId);
    if (!e || TERMINAL.has(e.status)) return;
    const t = a.input.actionTypeId;
    const provider = this.providers.get(`${t.owner}/${t.category}/${t.provider}`) ?? this.providers.get(`${t.owner}/*/*`);
    let outcome: ActionOutcome;
    if (!provider) {
      outcome = { status: 'Failed', code: 'JobFailed', message: `codesuite does not run ${t.owner} ${t.category} actions of provider ${t.provider}.` };
    } else {
      try {
        outcome = await provider.run({
          deps: this.deps,
          artifacts: this.artifacts,
          execution: e,
          action: a,
          caller: roleSession(a.input.roleArn ?? e.declaration.roleArn!, e.accountId, `codepipeline-${e.pipeline}`.slice(0, 64)),
          save: (state) => {
            a.state = state;
            a.updatedAt = this.now();
            this.store.saveAction(a);
          },
          now: () => this.now(),
        });
      } catch (err) {
        if (!isAwsError(err)) throw err;
        outcome = { status: 'Failed', code: err.code === 'AccessDeniedException' || err.code === 'AccessDenied' ? 'PermissionError' : 'JobFailed', message: `${err.code}: ${err.message}` };
      }
    }
    const current = this.store.action(id);
    // Abandoned, or finished through the API (an approval, a job result) while the provider ran.
    if (!current || current.status !== 'InProgress') return;
    if (outcome.status === 'InProgress') {
      Object.assign(current, {
        externalId: outcome.externalId ?? current.externalId,
        externalUrl: outcome.externalUrl ?? current.externalUrl,
        summary: outcome.summary ?? current.summary,
        state: a.state,
        updatedAt: this.now(),
      });
      this.store.saveAction(current);
      throw new RetryJobAt('waiting', outcome.checkAt);
    }
    this.complete(e, { ...current, state: a.state }, outcome);
  }

  /** Ends an action with its provider's result and lets the execution move on. */
  complete(e: ExecutionRecord, a: ActionExecutionRecord, outcome: ActionOutcome): void {
    a.updatedAt = this.now();
    a.externalId = outcome.externalId ?? a.externalId;
    a.externalUrl = outcome.externalUrl ?? a.externalUrl;
    if (outcome.status === 'Succeeded') {
      a.status = 'Succeeded';
      a.summary = outcome.summary ?? a.summary;
      a.output = { ...(outcome.outputVariables ? { outputVariables: outcome.outputVariables } : {}), ...(outcome.revision ? { revision: outcome.revision } : {}) };
    } else if (outcome.status === 'Failed') {
      a.status = 'Failed';
      a.errorCode = outcome.code;
      a.errorMessage = outcome.message;
    }
    this.store.transaction(() => {
      this.store.saveAction(a);
      this.deps.scheduler.cancel(`${ACTION_JOB}:${a.id}`);
      this.kick(e.id);
    });
    this.events.action(e, a, a.status === 'Succeeded' ? 'SUCCEEDED' : 'FAILED');
  }

  /** Stops an execution: waits for running actions, or abandons them at once. */
  stop(e: ExecutionRecord, abandon: boolean, reason: string | undefined): void {
    this.store.transaction(() => {
      e.status = 'Stopping';
      e.abandon = abandon;
      e.stopReason = reason ?? null;
      this.save(e);
      if (abandon) {
        for (const a of this.store.actions(e.id)) {
          if (a.status !== 'InProgress') continue;
          a.status = 'Abandoned';
          a.updatedAt = this.now();
          this.store.saveAction(a);
          this.deps.scheduler.cancel(`${ACTION_JOB}:${a.id}`);
        }
      }
      this.kick(e.id);
    });
    this.events.pipeline(e, 'STOPPING');
  }

  /** RetryStageExecution: the same execution takes the stage again. */
  retry(e: ExecutionRecord, stage: StageDeclaration, mode: 'FAILED_ACTIONS' | 'ALL_ACTIONS'): void {
    const run = this.store.stageRun(e.id, stage.name!)!;
    const attempt = run.attempt + 1;
    const latest = this.store.latestActions(e.id, stage.name!, run.floor);
    this.store.transaction(() => {
      e.status = 'InProgress';
      e.statusSummary = null;
      e.stopReason = null;
      e.abandon = false;
      e.stageEntered = true;
      this.save(e);
      this.store.saveStageRun(e.id, stage.name!, { status: 'InProgress', attempt, floor: mode === 'ALL_ACTIONS' ? attempt : run.floor }, this.now());
    });
    this.events.pipeline(e, 'RESUMED');
    this.events.stage(e, stage.name!, 'RESUMED');
    if (mode === 'FAILED_ACTIONS') {
      for (const action of stage.actions!) {
        const last = latest.get(action.name!);
        if (last && (last.status === 'Failed' || last.status === 'Abandoned')) this.startAction(e, stage, action, attempt);
      }
    }
    this.kick(e.id);
  }

  /** Nothing may stay in flight for ever: after a restart every unfinished execution looks again. */
  resume(): void {
    for (const e of this.store.unfinishedExecutions()) this.kick(e.id);
  }
}
