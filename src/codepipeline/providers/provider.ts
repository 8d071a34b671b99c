import type { CallerIdentity } from '../../core/context.js';
import type { ServiceDeps } from '../../core/deps.js';
import type { ArtifactStore } from '../artifacts.js';
import type { ActionExecutionRecord, ActionOutput, ExecutionRecord } from '../store.js';

/** Where an action stands after a provider's turn. */
export type ActionOutcome =
  | ({ status: 'Succeeded'; summary?: string; externalId?: string; externalUrl?: string } & ActionOutput)
  | { status: 'Failed'; code: string; message: string; externalId?: string; externalUrl?: string }
  | { status: 'InProgress'; /** When to look again, epoch ms. */ checkAt: number; externalId?: string; externalUrl?: string; summary?: string };

export interface ActionRun {
  deps: ServiceDeps;
  artifacts: ArtifactStore;
  execution: ExecutionRecord;
  action: ActionExecutionRecord;
  /** The role the action acts as (the action's roleArn, else the pipeline's). */
  caller: CallerIdentity;
  /** Persists the provider's progress before it acts on it (a build started, a job queued). */
  save: (state: Record<string, unknown>) => void;
  now: () => number;
}

/**
 * One kind of action. `run` is called when the action starts and again whenever it asked to be
 * looked at; it reads its own saved state to know where it was, so a restart resumes it.
 */
export interface Provider {
  run: (r: ActionRun) => Promise<ActionOutcome>;
}

export const failed = (message: string, code = 'JobFailed', externalId?: string): ActionOutcome => ({ status: 'Failed', code, message, ...(externalId ? { externalId } : {}) });
