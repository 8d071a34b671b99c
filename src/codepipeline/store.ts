import type { PipelineDeclaration, Tag } from '@aws-sdk/client-codepipeline';
import type { Db } from '../core/store/db.js';
import type { Scope } from './arns.js';

export interface PipelineRecord extends Scope {
  name: string;
  version: number;
  declaration: PipelineDeclaration;
  createdAt: number;
  updatedAt: number;
}

export type ExecutionStatus = 'InProgress' | 'Stopping' | 'Stopped' | 'Succeeded' | 'Superseded' | 'Failed' | 'Cancelled';
export type ActionStatus = 'InProgress' | 'Abandoned' | 'Succeeded' | 'Failed';

export interface ExecutionRecord extends Scope {
  id: string;
  pipeline: string;
  pipelineVersion: number;
  /** The structure the execution runs, fixed when it started. */
  declaration: PipelineDeclaration;
  seq: number;
  status: ExecutionStatus;
  statusSummary: string | null;
  triggerType: string;
  triggerDetail: string | null;
  executionMode: string;
  variables: Record<string, string>;
  /** Source revision overrides by source action name: `{ revisionType, revisionValue }`. */
  sourceOverrides: Record<string, { revisionType: string; revisionValue: string }>;
  /** The stage the execution is at (entered or waiting in front of). */
  stageIndex: number;
  stageEntered: boolean;
  stopReason: string | null;
  abandon: boolean;
  startedAt: number;
  updatedAt: number;
}

export interface StageRun {
  status: string;
  attempt: number;
  floor: number;
}

export interface ArtifactRef {
  name: string;
  bucket: string;
  key: string;
  revision?: string;
}

/** What an action execution received: the declaration, resolved, and where its inputs were. */
export interface ActionInput {
  actionTypeId: { category: string; owner: string; provider: string; version: string };
  configuration: Record<string, string>;
  resolvedConfiguration: Record<string, string>;
  roleArn?: string;
  region: string;
  namespace?: string;
  runOrder: number;
  inputArtifacts: ArtifactRef[];
  outputArtifacts: ArtifactRef[];
}

export interface ActionOutput {
  outputVariables?: Record<string, string>;
  /** The source revision a source action took. */
  revision?: { revisionId: string; revisionSummary?: string; revisionChangeId?: string; created?: number };
}

export interface ActionExecutionRecord {
  id: string;
  executionId: string;
  stage: string;
  action: string;
  attempt: number;
  status: ActionStatus;
  input: ActionInput;
  output: ActionOutput | null;
  /** The provider's own progress (a build id, a job id), written before it acts on it. */
  state: Record<string, unknown> | null;
  token: string | null;
  externalId: string | null;
  externalUrl: string | null;
  summary: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  startedAt: number;
  updatedAt: number;
}

interface PipelineRow {
  account_id: string;
  region: string;
  name: string;
  version: number;
  declaration: string;
  created_at: number;
  updated_at: number;
}

interface ExecutionRow {
  id: string;
  account_id: string;
  region: string;
  pipeline: string;
  pipeline_version: number;
  declaration: string;
  seq: number;
  status: ExecutionStatus;
  status_summary: string | null;
  trigger_type: string;
  trigger_detail: string | null;
  execution_mode: string;
  variables: string;
  source_overrides: string;
  stage_index: number;
  stage_entered: number;
  stop_reason: string | null;
  abandon: number;
  started_at: number;
  updated_at: number;
}

interface ActionRow {
  id: string;
  execution_id: string;
  stage: string;
  action: string;
  attempt: number;
  status: ActionStatus;
  input: string;
  output: string | null;
  state: string | null;
  token: string | null;
  external_id: string | null;
  external_url: string | null;
  summary: string | null;
  error_code: string | null;
  error_message: string | null;
  started_at: number;
  updated_at: number;
}

const pipelineOf = (r: PipelineRow): PipelineRecord => ({
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  version: r.version,
  declaration: JSON.parse(r.declaration),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const executionOf = (r: ExecutionRow): ExecutionRecord => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  pipeline: r.pipeline,
  pipelineVersion: r.pipeline_version,
  declaration: JSON.parse(r.declaration),
  seq: r.seq,
  status: r.status,
  statusSummary: r.status_summary,
  triggerType: r.trigger_type,
  triggerDetail: r.trigger_detail,
  executionMode: r.execution_mode,
  variables: JSON.parse(r.variables),
  sourceOverrides: JSON.parse(r.source_overrides),
  stageIndex: r.stage_index,
  stageEntered: r.stage_entered === 1,
  stopReason: r.stop_reason,
  abandon: r.abandon === 1,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
});

const actionOf = (r: ActionRow): ActionExecutionRecord => ({
  id: r.id,
  executionId: r.execution_id,
  stage: r.stage,
  action: r.action,
  attempt: r.attempt,
  status: r.status,
  input: JSON.parse(r.input),
  output: r.output ? JSON.parse(r.output) : null,
  state: r.state ? JSON.parse(r.state) : null,
  token: r.token,
  externalId: r.external_id,
  externalUrl: r.external_url,
  summary: r.summary,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
});

/** CodePipeline's tables: pipelines, their tags and transitions, executions and action executions. */
export class PipelineStore {
  constructor(readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  pipeline(s: Scope, name: string): PipelineRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codepipeline_pipelines WHERE account_id = ? AND region = ? AND name = ?').get(s.accountId, s.region, name) as
      | PipelineRow
      | undefined;
    return row && pipelineOf(row);
  }

  pipelines(s: Scope): PipelineRecord[] {
    return (this.db.prepare('SELECT * FROM codepipeline_pipelines WHERE account_id = ? AND region = ? ORDER BY name').all(s.accountId, s.region) as PipelineRow[]).map(
      pipelineOf,
    );
  }

  allPipelines(): PipelineRecord[] {
    return (this.db.prepare('SELECT * FROM codepipeline_pipelines').all() as PipelineRow[]).map(pipelineOf);
  }

  insertPipeline(p: PipelineRecord): void {
    this.db
      .prepare('INSERT INTO codepipeline_pipelines (account_id, region, name, version, declaration, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(p.accountId, p.region, p.name, p.version, JSON.stringify(p.declaration), p.createdAt, p.updatedAt);
  }

  updatePipeline(p: PipelineRecord): void {
    this.db
      .prepare('UPDATE codepipeline_pipelines SET version = ?, declaration = ?, updated_at = ? WHERE account_id = ? AND region = ? AND name = ?')
      .run(p.version, JSON.stringify(p.declaration), p.updatedAt, p.accountId, p.region, p.name);
  }

  deletePipeline(s: Scope, name: string): void {
    for (const table of ['codepipeline_pipelines', 'codepipeline_tags', 'codepipeline_executions']) {
      this.db.prepare(`DELETE FROM ${table} WHERE account_id = ? AND region = ? AND ${table === 'codepipeline_executions' ? 'pipeline' : 'name'} = ?`).run(s.accountId, s.region, name);
    }
    this.db.prepare('DELETE FROM codepipeline_transitions WHERE account_id = ? AND region = ? AND pipeline = ?').run(s.accountId, s.region, name);
  }

  tags(s: Scope, name: string): Tag[] {
    return (this.db.prepare('SELECT key, value FROM codepipeline_tags WHERE account_id = ? AND region = ? AND name = ? ORDER BY key').all(s.accountId, s.region, name) as {
      key: string;
      value: string;
    }[]).map((t) => ({ key: t.key, value: t.value }));
  }

  putTags(s: Scope, name: string, tags: Tag[]): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO codepipeline_tags (account_id, region, name, key, value) VALUES (?, ?, ?, ?, ?)');
    for (const t of tags) put.run(s.accountId, s.region, name, t.key, t.value);
  }

  removeTags(s: Scope, name: string, keys: string[]): void {
    const del = this.db.prepare('DELETE FROM codepipeline_tags WHERE account_id = ? AND region = ? AND name = ? AND key = ?');
    for (const k of keys) del.run(s.accountId, s.region, name, k);
  }

  /** Disabled inbound transitions by stage name. */
  disabledTransitions(s: Scope, pipeline: string): Map<string, { reason: string; changedBy: string; changedAt: number }> {
    const rows = this.db.prepare('SELECT * FROM codepipeline_transitions WHERE account_id = ? AND region = ? AND pipeline = ?').all(s.accountId, s.region, pipeline) as {
      stage: string;
      reason: string;
      changed_by: string;
      changed_at: number;
    }[];
    return new Map(rows.map((r) => [r.stage, { reason: r.reason, changedBy: r.changed_by, changedAt: r.changed_at }]));
  }

  setTransition(s: Scope, pipeline: string, stage: string, disabled: { reason: string; changedBy: string; changedAt: number } | undefined): void {
    if (!disabled) {
      this.db.prepare('DELETE FROM codepipeline_transitions WHERE account_id = ? AND region = ? AND pipeline = ? AND stage = ?').run(s.accountId, s.region, pipeline, stage);
      return;
    }
    this.db
      .prepare('INSERT OR REPLACE INTO codepipeline_transitions (account_id, region, pipeline, stage, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(s.accountId, s.region, pipeline, stage, disabled.reason, disabled.changedBy, disabled.changedAt);
  }

  insertExecution(e: ExecutionRecord): void {
    this.db
      .prepare(
        `INSERT INTO codepipeline_executions (id, account_id, region, pipeline, pipeline_version, declaration, seq, status, status_summary, trigger_type, trigger_detail,
          execution_mode, variables, source_overrides, stage_index, stage_entered, stop_reason, abandon, started_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.id,
        e.accountId,
        e.region,
        e.pipeline,
        e.pipelineVersion,
        JSON.stringify(e.declaration),
        e.seq,
        e.status,
        e.statusSummary,
        e.triggerType,
        e.triggerDetail,
        e.executionMode,
        JSON.stringify(e.variables),
        JSON.stringify(e.sourceOverrides),
        e.stageIndex,
        e.stageEntered ? 1 : 0,
        e.stopReason,
        e.abandon ? 1 : 0,
        e.startedAt,
        e.updatedAt,
      );
  }

  nextSeq(s: Scope, pipeline: string): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM codepipeline_executions WHERE account_id = ? AND region = ? AND pipeline = ?').get(s.accountId, s.region, pipeline) as {
      seq: number | null;
    };
    return (row.seq ?? 0) + 1;
  }

  execution(id: string): ExecutionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codepipeline_executions WHERE id = ?').get(id) as ExecutionRow | undefined;
    return row && executionOf(row);
  }

  /** Newest first. */
  executions(s: Scope, pipeline: string): ExecutionRecord[] {
    return (
      this.db.prepare('SELECT * FROM codepipeline_executions WHERE account_id = ? AND region = ? AND pipeline = ? ORDER BY seq DESC').all(s.accountId, s.region, pipeline) as ExecutionRow[]
    ).map(executionOf);
  }

  unfinishedExecutions(): ExecutionRecord[] {
    return (this.db.prepare("SELECT * FROM codepipeline_executions WHERE status IN ('InProgress', 'Stopping')").all() as ExecutionRow[]).map(executionOf);
  }

  saveExecution(e: ExecutionRecord): void {
    this.db
      .prepare(
        'UPDATE codepipeline_executions SET status = ?, status_summary = ?, stage_index = ?, stage_entered = ?, stop_reason = ?, abandon = ?, updated_at = ? WHERE id = ?',
      )
      .run(e.status, e.statusSummary, e.stageIndex, e.stageEntered ? 1 : 0, e.stopReason, e.abandon ? 1 : 0, e.updatedAt, e.id);
  }

  /** A stage's run in an execution: its status, its attempt (one per retry), and the first attempt whose action executions count. */
  stageRun(executionId: string, stage: string): StageRun | undefined {
    return this.db.prepare('SELECT status, attempt, floor FROM codepipeline_stage_executions WHERE execution_id = ? AND stage = ?').get(executionId, stage) as StageRun | undefined;
  }

  saveStageRun(executionId: string, stage: string, run: StageRun, at: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO codepipeline_stage_executions (execution_id, stage, status, attempt, floor, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(executionId, stage, run.status, run.attempt, run.floor, at);
  }

  /** The newest execution that entered a stage, with its status there. */
  latestInStage(executionIds: string[], stage: string): { executionId: string; status: string } | undefined {
    if (executionIds.length === 0) return undefined;
    const rows = this.db
      .prepare(
        `SELECT s.execution_id, s.status FROM codepipeline_stage_executions s JOIN codepipeline_executions e ON e.id = s.execution_id
         WHERE s.stage = ? AND s.execution_id IN (${executionIds.map(() => '?').join(', ')}) ORDER BY s.updated_at DESC, e.seq DESC LIMIT 1`,
      )
      .get(stage, ...executionIds) as { execution_id: string; status: string } | undefined;
    return rows && { executionId: rows.execution_id, status: rows.status };
  }

  insertAction(a: ActionExecutionRecord): void {
    this.db
      .prepare(
        `INSERT INTO codepipeline_action_executions (id, execution_id, stage, action, attempt, status, input, output, state, token, external_id, external_url, summary,
          error_code, error_message, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.id,
        a.executionId,
        a.stage,
        a.action,
        a.attempt,
        a.status,
        JSON.stringify(a.input),
        a.output ? JSON.stringify(a.output) : null,
        a.state ? JSON.stringify(a.state) : null,
        a.token,
        a.externalId,
        a.externalUrl,
        a.summary,
        a.errorCode,
        a.errorMessage,
        a.startedAt,
        a.updatedAt,
      );
  }

  saveAction(a: ActionExecutionRecord): void {
    this.db
      .prepare(
        `UPDATE codepipeline_action_executions SET status = ?, output = ?, state = ?, token = ?, external_id = ?, external_url = ?, summary = ?, error_code = ?,
          error_message = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        a.status,
        a.output ? JSON.stringify(a.output) : null,
        a.state ? JSON.stringify(a.state) : null,
        a.token,
        a.externalId,
        a.externalUrl,
        a.summary,
        a.errorCode,
        a.errorMessage,
        a.updatedAt,
        a.id,
      );
  }

  action(id: string): ActionExecutionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codepipeline_action_executions WHERE id = ?').get(id) as ActionRow | undefined;
    return row && actionOf(row);
  }

  /** Every action execution of an execution, oldest first. */
  actions(executionId: string): ActionExecutionRecord[] {
    return (this.db.prepare('SELECT * FROM codepipeline_action_executions WHERE execution_id = ? ORDER BY started_at, attempt, rowid').all(executionId) as ActionRow[]).map(
      actionOf,
    );
  }

  /** The latest attempt of each action of one stage of an execution, from the stage attempt `floor` on. */
  latestActions(executionId: string, stage: string, floor = 0): Map<string, ActionExecutionRecord> {
    const latest = new Map<string, ActionExecutionRecord>();
    for (const a of this.actions(executionId)) {
      if (a.stage === stage && a.attempt >= floor && (latest.get(a.action)?.attempt ?? -1) < a.attempt) latest.set(a.action, a);
    }
    return latest;
  }

  actionByToken(token: string): ActionExecutionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM codepipeline_action_executions WHERE token = ?').get(token) as ActionRow | undefined;
    return row && actionOf(row);
  }
}
