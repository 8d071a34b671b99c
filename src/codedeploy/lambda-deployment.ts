import { parse as parseYaml } from 'yaml';
import type { ServiceDeps } from '../core/deps.js';
import { RetryJobAt } from '../core/scheduler.js';
import { ServiceRoles } from '../sts/service-role.js';
import { cdError } from './errors.js';
import { findConfig } from './configs.js';
import type { DeploymentRecord, Scope } from './records.js';
import type { CodeDeployStore } from './store.js';

const LAMBDA_STEP = 'codedeploy.lambda-step';
/** A hook function has an hour to call PutLifecycleEventHookExecutionStatus. */
const HOOK_LIMIT_MS = 3600_000;

type Phase = 'BeforeAllowTraffic' | 'AllowTraffic' | 'AfterAllowTraffic';

/** Where a Lambda deployment is, persisted with the deployment before anything acts on it. */
export interface LambdaProgress {
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  hooks: Partial<Record<'BeforeAllowTraffic' | 'AfterAllowTraffic', string>>;
  phase: Phase;
  /** Traffic steps taken so far (percentages on the target version). */
  step: number;
  hook?: { id: string; status: 'Pending' | 'Succeeded' | 'Failed'; startedAt: number };
}

export type LambdaDeploymentRecord = DeploymentRecord & { lambda?: LambdaProgress };

/** The AppSpec of a Lambda deployment: one AWS::Lambda::Function resource and optional hooks (keys in either case). */
export function lambdaAppSpec(content: string): Omit<LambdaProgress, 'phase' | 'step'> {
  let doc: unknown;
  try {
    doc = content.trim().startsWith('{') ? JSON.parse(content) : parseYaml(content);
  } catch {
    throw cdError('InvalidRevisionException', 'The AppSpec file is not valid YAML or JSON.');
  }
  const get = (o: unknown, key: string): unknown =>
    o && typeof o === 'object' ? Object.entries(o as Record<string, unknown>).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1] : undefined;
  const resources = get(doc, 'Resources');
  const first = Array.isArray(resources) ? (Object.values(resources[0] ?? {})[0] as unknown) : undefined;
  const props = get(first, 'Properties');
  const text = (key: string) => {
    const v = get(props, key);
    return v === undefined || v === null ? '' : String(v);
  };
  if (String(get(first, 'Type') ?? '') !== 'AWS::Lambda::Function' || !text('Name') || !text('Alias') || !text('CurrentVersion') || !text('TargetVersion')) {
    throw cdError('InvalidRevisionException', 'The AppSpec file of a Lambda deployment needs one AWS::Lambda::Function resource with Name, Alias, CurrentVersion and TargetVersion.');
  }
  const hooks: LambdaProgress['hooks'] = {};
  for (const entry of (get(doc, 'Hooks') as unknown[] | undefined) ?? []) {
    for (const [k, v] of Object.entries((entry ?? {}) as Record<string, unknown>)) {
      if (k === 'BeforeAllowTraffic' || k === 'AfterAllowTraffic') hooks[k] = String(v);
      else throw cdError('InvalidRevisionException', `The AppSpec file names the hook ${k}; a Lambda deployment has BeforeAllowTraffic and AfterAllowTraffic.`);
    }
  }
  return { functionName: text('Name'), alias: text('Alias'), currentVersion: text('CurrentVersion'), targetVersion: text('TargetVersion'), hooks };
}

/** The percentages the target version gets, step after step, and the minutes between steps. */
function trafficSteps(config: { type?: string; timeBasedCanary?: { canaryPercentage?: number; canaryInterval?: number }; timeBasedLinear?: { linearPercentage?: number; linearInterval?: number } } | undefined): { steps: number[]; minutes: number } {
  if (config?.type === 'TimeBasedCanary') return { steps: [config.timeBasedCanary?.canaryPercentage ?? 10, 100], minutes: config.timeBasedCanary?.canaryInterval ?? 5 };
  if (config?.type === 'TimeBasedLinear') {
    const p = config.timeBasedLinear?.linearPercentage ?? 10;
    const steps: number[] = [];
    for (let w = p; w < 100; w += p) steps.push(w);
    return { steps: [...steps, 100], minutes: config.timeBasedLinear?.linearInterval ?? 1 };
  }
  return { steps: [100], minutes: 0 };
}

/**
 * Lambda deployments (compute platform Lambda): BeforeAllowTraffic hook, the alias's weights moved
 * step by step on the clock as the deployment configuration says, AfterAllowTraffic hook. Hooks are
 * functions invoked with {DeploymentId, LifecycleEventHookExecutionId} that must report through
 * PutLifecycleEventHookExecutionStatus; a failure puts the alias back on CurrentVersion. Lambda is
 * called through the internal client, as the deployment group's service role.
 */
export class LambdaDeployments {
  private readonly roles: ServiceRoles;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly store: CodeDeployStore,
    private readonly finish: (deploymentId: string, status: 'Succeeded' | 'Failed', code?: string, message?: string) => void,
  ) {
    this.roles = new ServiceRoles(deps);
    deps.scheduler.register<{ deploymentId: string }>(LAMBDA_STEP, (job) => this.step(job.payload.deploymentId));
  }

  schedule(deploymentId: string, runAt?: number): void {
    this.deps.scheduler.enqueue({ kind: LAMBDA_STEP, key: `${LAMBDA_STEP}:${deploymentId}`, payload: { deploymentId }, runAt, maxAttempts: 20 });
  }

  /** A hook function's verdict (PutLifecycleEventHookExecutionStatus). */
  report(d: LambdaDeploymentRecord, hookId: string, status: 'Succeeded' | 'Failed'): void {
    if (!d.lambda?.hook || d.lambda.hook.id !== hookId || d.lambda.hook.status !== 'Pending') {
      throw cdError('InvalidLifecycleEventHookExecutionIdException', 'A lifecycle event hook is invalid. Review the hooks section in your AppSpec file to make sure the lifecycle events and hooks functions are valid.');
    }
    d.lambda.hook.status = status;
    this.store.updateDeployment(d);
    this.schedule(d.deploymentId);
  }

  private save(d: LambdaDeploymentRecord): void {
    this.store.updateDeployment(d);
  }

  private async step(id: string): Promise<void> {
    const d = this.store.deployment(id) as (LambdaDeploymentRecord & Scope) | undefined;
    if (!d || d.status !== 'InProgress') return;
    const now = this.deps.clock.now().getTime();
    if (!d.lambda) {
      const content = d.revision.string?.content ?? d.revision.appSpecContent?.content ?? '';
      try {
        d.lambda = { ...lambdaAppSpec(content), phase: 'BeforeAllowTraffic', step: 0 };
      } catch (err) {
        return this.finish(id, 'Failed', 'INVALID_REVISION', (err as Error).message);
      }
      this.save(d);
    }
    const p = d.lambda;
    const group = this.store.groupById(d.deploymentGroupId);
    const role = group?.settings.serviceRoleArn;
    const caller = role ? this.roles.credentials(role, 'CodeDeploy', 3600, `arn:aws:codedeploy:${d.region}:${d.accountId}:deploymentgroup:${d.applicationName}/${d.deploymentGroupName}`).principal : undefined;
    const as = { caller: caller ?? { arn: `arn:aws:iam::${d.accountId}:root`, accountId: d.accountId, userId: d.accountId, type: 'root' as const }, region: d.region };
    const alias = (version: string, weights: Record<string, number>) =>
      this.deps.internal.call('lambda', 'UpdateAlias', { FunctionName: p.functionName, Name: p.alias, FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights } }, as);
    const fail = async (code: string, message: string) => {
      await alias(p.currentVersion, {}).catch(() => undefined);
      this.finish(id, 'Failed', code, message);
    };

    if (p.phase === 'BeforeAllowTraffic' || p.phase === 'AfterAllowTraffic') {
      const fn = p.hooks[p.phase];
      if (fn) {
        if (!p.hook) {
          p.hook = { id: this.deps.ids.uuid(), status: 'Pending', startedAt: now };
          this.save(d);
          try {
            await this.deps.internal.call(
              'lambda',
              'Invoke',
              { FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ DeploymentId: id, LifecycleEventHookExecutionId: p.hook.id })) },
              as,
            );
          } catch (err) {
            return fail('HOOK_EXECUTION_FAILURE', `The ${p.phase} hook function ${fn} could not be invoked: ${(err as Error).message}`);
          }
          this.schedule(id, now + HOOK_LIMIT_MS);
          return;
        }
        if (p.hook.status === 'Pending') {
          if (now - p.hook.startedAt < HOOK_LIMIT_MS) return;
          return fail('HOOK_EXECUTION_FAILURE', `The ${p.phase} hook function ${fn} did not report a status within an hour.`);
        }
        if (p.hook.status === 'Failed') return fail('HOOK_EXECUTION_FAILURE', `The ${p.phase} hook function ${fn} reported Failed.`);
      }
      p.hook = undefined;
      if (p.phase === 'AfterAllowTraffic') return this.finish(id, 'Succeeded');
      p.phase = 'AllowTraffic';
      this.save(d);
    }

    const config = findConfig(this.store, d, d.deploymentConfigName);
    const { steps, minutes } = trafficSteps(config?.trafficRoutingConfig);
    const weight = steps[p.step];
    try {
      if (weight >= 100) await alias(p.targetVersion, {});
      else await alias(p.currentVersion, { [p.targetVersion]: weight / 100 });
    } catch (err) {
      return fail('INTERNAL_ERROR', `The alias ${p.alias} of ${p.functionName} could not be updated: ${(err as Error).message}`);
    }
    p.step++;
    if (weight >= 100) {
      p.phase = 'AfterAllowTraffic';
      this.save(d);
      throw new RetryJobAt('traffic shifted', now);
    }
    this.save(d);
    throw new RetryJobAt(`${weight}% on version ${p.targetVersion}`, now + minutes * 60_000);
  }
}
