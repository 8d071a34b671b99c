import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { functionArn, functionRef, type FunctionRef } from './arns.js';
import { functionNotFound, updateInProgress } from './errors.js';
import type { FunctionRecord, FunctionStore, StoredConfig } from './store.js';

const ACTIVATE_JOB = 'lambda.activate';

/** `2024-01-01T00:00:00.000+0000`, as Lambda writes LastModified. */
export const lastModified = (at: Date) => at.toISOString().replace('Z', '+0000');

/** The fields a published version snapshots: when none changed since the last publish, nothing new is published. */
export function publishMarker(c: StoredConfig): string {
  const { RevisionId: _r, LastModified: _l, State: _s, StateReason: _sr, StateReasonCode: _sc, LastUpdateStatus: _u, LastUpdateStatusReason: _ur, LastUpdateStatusReasonCode: _uc, Version: _v, FunctionArn: _a, ...rest } = c;
  return createHash('sha256').update(JSON.stringify(rest, Object.keys(rest).sort())).digest('hex');
}

/** What GetFunctionConfiguration shows for a stored configuration (the ARN qualified for a published version). */
export function configView(fn: FunctionRecord, c: StoredConfig): FunctionConfiguration {
  const { codeKey: _k, imageUri: _i, ...shown } = c;
  return { ...shown, FunctionArn: functionArn(fn, c.Version === '$LATEST' ? undefined : c.Version) };
}

/**
 * Functions as requests name them, and the state machine of their updates: a create or code
 * update is `Pending`/`InProgress` until a scheduler job has checked the code is in place, then
 * `Active`/`Successful`, each step a new RevisionId.
 */
export class Functions {
  constructor(
    readonly deps: ServiceDeps,
    readonly store: FunctionStore,
    private readonly codeReady: (c: StoredConfig) => Promise<string | undefined>,
  ) {
    deps.scheduler.register<{ id: number }>(ACTIVATE_JOB, (job) => this.activate(job.payload.id));
  }

  /** The function a request names, or ResourceNotFoundException with its unqualified ARN. */
  get(ctx: Pick<RequestContext, 'accountId' | 'region'>, name: string, qualifier?: string): { fn: FunctionRecord; ref: FunctionRef } {
    const ref = functionRef(ctx, name, qualifier);
    const fn = this.store.find(ref.accountId, ref.region, ref.name);
    if (!fn) throw functionNotFound(functionArn(ref));
    return { fn, ref };
  }

  /** The configuration of `$LATEST`, a version, or the version an alias points at (its primary one). */
  config(fn: FunctionRecord, qualifier: string | undefined): StoredConfig {
    if (qualifier === undefined || qualifier === '$LATEST') return fn.latest;
    const version = this.store.version(fn.id, qualifier);
    if (version) return version;
    const alias = this.store.alias(fn.id, qualifier);
    if (alias) return this.config(fn, alias.FunctionVersion);
    throw functionNotFound(functionArn(fn, qualifier));
  }

  newRevision(): string {
    return this.deps.ids.uuid();
  }

  /** Refuses a change while the last one is still being applied, as AWS does. */
  assertNotUpdating(fn: FunctionRecord): void {
    if (fn.latest.State === 'Pending' || fn.latest.LastUpdateStatus === 'InProgress') throw updateInProgress(functionArn(fn));
  }

  /** Saves a new $LATEST that is being applied, and schedules the step that finishes it. */
  saveUpdating(fn: FunctionRecord, latest: StoredConfig): StoredConfig {
    const updated: StoredConfig = {
      ...latest,
      LastModified: lastModified(this.deps.clock.now()),
      RevisionId: this.newRevision(),
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReason: 'The function is being created.',
      // AWS really answers an update with the create's reason and code.
      LastUpdateStatusReasonCode: 'Creating' as FunctionConfiguration['LastUpdateStatusReasonCode'],
    };
    this.store.saveLatest(fn.id, updated);
    this.deps.scheduler.enqueue({ kind: ACTIVATE_JOB, key: `${ACTIVATE_JOB}:${fn.id}`, payload: { id: fn.id } });
    return updated;
  }

  scheduleActivation(fn: FunctionRecord): void {
    this.deps.scheduler.enqueue({ kind: ACTIVATE_JOB, key: `${ACTIVATE_JOB}:${fn.id}`, payload: { id: fn.id } });
  }

  private async activate(id: number): Promise<void> {
    const row = this.store.db.prepare('SELECT account_id, region, name FROM lambda_functions WHERE id = ?').get(id) as
      | { account_id: string; region: string; name: string }
      | undefined;
    if (!row) return;
    const fn = this.store.find(row.account_id, row.region, row.name)!;
    const problem = await this.codeReady(fn.latest);
    const done = (c: StoredConfig): StoredConfig => {
      const { StateReason: _a, StateReasonCode: _b, LastUpdateStatusReason: _c, LastUpdateStatusReasonCode: _d, ...rest } = c;
      if (problem) {
        return c.State === 'Pending'
          ? { ...rest, State: 'Failed', StateReason: problem, StateReasonCode: 'InvalidImage', LastUpdateStatus: 'Failed', RevisionId: this.newRevision() }
          : { ...rest, LastUpdateStatus: 'Failed', LastUpdateStatusReason: problem, LastUpdateStatusReasonCode: 'InvalidImage', RevisionId: this.newRevision() };
      }
      return { ...rest, State: 'Active', LastUpdateStatus: 'Successful', RevisionId: this.newRevision() };
    };
    this.store.db.transaction(() => {
      const latest = this.store.find(row.account_id, row.region, row.name);
      if (!latest) return;
      this.store.saveLatest(id, done(latest.latest));
      for (const v of this.store.versions(id)) {
        if (v.State === 'Pending' || v.LastUpdateStatus === 'InProgress') {
          this.store.db.prepare('UPDATE lambda_versions SET config = ? WHERE function_id = ? AND version = ?').run(JSON.stringify(done(v)), id, Number(v.Version));
        }
      }
    })();
  }
}
