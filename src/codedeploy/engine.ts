import type { RevisionLocation, TargetInstances, AutoRollbackConfiguration } from '@aws-sdk/client-codedeploy';
import type { ServiceDeps } from '../core/deps.js';
import { deploymentExecutionId, newDeploymentId } from './arns.js';
import { deploymentLimitExceeded } from './deployment-errors.js';
import { minimumHealthyCount, nextStep, type Counts } from './health.js';
import { diagnosticsFrom, initialEvents, STOP_EVENTS } from './lifecycle.js';
import { matchingInstances } from './membership.js';
import { revisionKey } from './revisions.js';
import { ALARM_WATCH } from './alarm-watch.js';
import { FINISHED, type CommandRecord, type InstanceRecord, type DeploymentRecord, type GroupRecord, type Scope, type TargetRecord } from './records.js';
import { findConfig } from './configs.js';
import { LambdaDeployments } from './lambda-deployment.js';
import type { StateEvents } from './state-events.js';
import type { CodeDeployStore } from './store.js';
import type { HostWaiters } from './waiters.js';

const STEP = 'codedeploy.step';
const COMMAND_TIMEOUT = 'codedeploy.command-timeout';
const DEPLOYMENT_TIMEOUT = 'codedeploy.deployment-timeout';

/** AWS's texts for a deployment's errorInformation. */
export const ERROR_MESSAGES: Record<string, string> = {
  NO_INSTANCES:
    'The deployment failed because no instances were found for your deployment group. Check your deployment group settings to make sure the tags for your Amazon EC2 instances or Auto Scaling groups correctly identify the instances you want to deploy to, and then try again.',
  HEALTH_CONSTRAINTS_INVALID:
    'The deployment failed because the minimum number of healthy instances specified in the deployment configuration is invalid. Specify a valid value, and then try again.',
  HEALTH_CONSTRAINTS:
    'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.',
  AGENT_ISSUE:
    'The deployment failed because of a problem with the CodeDeploy agent. Make sure the agent is installed and running on all instances in this deployment group.',
  TIMEOUT: 'The deployment failed because it did not complete within the allowed time.',
  MANUAL_STOP: 'The deployment was stopped by the user.',
  ALARM_ACTIVE:
    'One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped.',
  ALARM_CONFIG: 'The alarm configuration for the deployment group is incorrect, or the alarms could not be read from Amazon CloudWatch.',
};

const AGENT_NOT_STARTED =
  'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.';

export interface Limits {
  agentMs: number;
  eventMs: number;
  deploymentMs: number;
}

export interface LaunchRequest {
  revision: RevisionLocation;
  deploymentConfigName?: string;
  description?: string;
  creator: string;
  ignoreApplicationStopFailures?: boolean;
  fileExistsBehavior?: string;
  autoRollbackConfiguration?: AutoRollbackConfiguration;
  targetInstances?: TargetInstances;
  updateOutdatedInstancesOnly?: boolean;
  rollbackTriggeringDeploymentId?: string;
}

type Deployment = DeploymentRecord & Scope;

/**
 * The deployment state machine. Every step is written to the database before anything acts on
 * it: targets are fixed when a deployment is created, one lifecycle command per instance is out
 * at a time, and each agent report moves the machine on at once. The job scheduler runs the
 * steps that are not answers to an agent (the first step, timeouts, resuming after a restart).
 */
export class DeploymentEngine {
  private readonly wake = new Set<string>();
  /** Deployments of the Lambda compute platform: hooks and alias traffic instead of instances. */
  readonly lambda: LambdaDeployments;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly store: CodeDeployStore,
    private readonly waiters: HostWaiters,
    private readonly events: StateEvents,
    private readonly limits: Limits,
  ) {
    deps.scheduler.register<{ deploymentId: string }>(STEP, (job) => this.run(() => this.advance(job.payload.deploymentId)));
    deps.scheduler.register<{ commandId: string }>(COMMAND_TIMEOUT, (job) => this.run(() => this.commandTimeout(job.payload.commandId)));
    deps.scheduler.register<{ deploymentId: string }>(DEPLOYMENT_TIMEOUT, (job) => this.run(() => this.deploymentTimeout(job.payload.deploymentId)));
    this.lambda = new LambdaDeployments(deps, store, (id, status, code, message) =>
      this.run(() => {
        const d = this.store.deployment(id);
        if (!d || FINISHED.includes(d.status)) return;
        this.finish(d, status, code);
        if (message && d.errorInformation) {
          d.errorInformation.message = message;
          this.store.updateDeployment(d);
        }
      }),
    );
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /** After a restart every unfinished deployment takes its next step where it was. */
  recover(): void {
    for (const id of this.store.unfinishedDeploymentIds()) this.deps.scheduler.enqueue({ kind: STEP, key: `${STEP}:${id}`, payload: { deploymentId: id }, ifAbsent: true });
  }

  /** Runs a change in one transaction, then wakes the agents and announces what it produced. */
  private run<T>(change: () => T): T {
    let result: T;
    try {
      result = this.store.transaction(change);
    } catch (err) {
      this.events.discard();
      this.wake.clear();
      throw err;
    }
    for (const host of this.wake) this.waiters.wake(host);
    this.wake.clear();
    this.events.flush();
    return result;
  }

  // Creating deployments

  /** Creates a deployment of a group with its targets fixed now; the scheduler starts it. */
  launch(scope: Scope, group: GroupRecord, request: LaunchRequest): DeploymentRecord {
    return this.run(() => this.create(scope, group, request));
  }

  private create(scope: Scope, group: GroupRecord, request: LaunchRequest): DeploymentRecord {
    const active = this.store.activeDeployment(group.deploymentGroupId);
    if (active) throw deploymentLimitExceeded(group.deploymentGroupName, active.deploymentId);
    const now = this.now();
    const id = newDeploymentId();
    const settings = group.settings;
    const record: DeploymentRecord = {
      deploymentId: id,
      applicationName: group.applicationName,
      deploymentGroupName: group.deploymentGroupName,
      deploymentGroupId: group.deploymentGroupId,
      deploymentConfigName: request.deploymentConfigName ?? settings.deploymentConfigName ?? 'CodeDeployDefault.OneAtATime',
      computePlatform: group.computePlatform,
      status: 'Created',
      createTime: now,
      creator: request.creator,
      ...(request.description !== undefined ? { description: request.description } : {}),
      revision: request.revision,
      ...(group.targetRevision ? { previousRevision: group.targetRevision } : {}),
      ignoreApplicationStopFailures: request.ignoreApplicationStopFailures ?? false,
      updateOutdatedInstancesOnly: request.updateOutdatedInstancesOnly ?? false,
      autoRollbackConfiguration: request.autoRollbackConfiguration ?? settings.autoRollbackConfiguration ?? { enabled: false },
      ...(settings.alarmConfiguration ? { alarmConfiguration: settings.alarmConfiguration } : {}),
      deploymentStyle: {
        deploymentType: settings.deploymentStyle?.deploymentType ?? 'IN_PLACE',
        deploymentOption: settings.deploymentStyle?.deploymentOption ?? 'WITHOUT_TRAFFIC_CONTROL',
      },
      ...(request.targetInstances ? { targetInstances: request.targetInstances } : {}),
      fileExistsBehavior: request.fileExistsBehavior ?? 'DISALLOW',
      deploymentStatusMessages: [],
      ...(request.rollbackTriggeringDeploymentId
        ? {
            rollbackInfo: {
              rollbackTriggeringDeploymentId: request.rollbackTriggeringDeploymentId,
              rollbackMessage: `Deployment ${id} is a rollback of deployment ${request.rollbackTriggeringDeploymentId}.`,
            },
          }
        : {}),
    };
    this.store.insertDeployment(scope, record);
    const instances = this.ordered(group, matchingInstances(this.store.instances(scope), settings), request);
    instances.forEach((instance, position) => {
      const target: TargetRecord = {
        deploymentId: id,
        targetId: instance.instanceName,
        position,
        hostId: instance.iamUserArn ?? instance.iamSessionArn ?? '',
        instanceArn: instance.instanceArn,
        status: 'Pending',
        lastUpdatedAt: now,
        lifecycleEvents: initialEvents(),
      };
      this.store.putTarget(target);
    });
    this.store.putGroup(scope, { ...group, lastAttemptedDeployment: { deploymentId: id, status: 'Created', createTime: now } });
    this.deps.scheduler.enqueue({ kind: STEP, key: `${STEP}:${id}`, payload: { deploymentId: id } });
    this.deps.scheduler.enqueue({ kind: DEPLOYMENT_TIMEOUT, key: `${DEPLOYMENT_TIMEOUT}:${id}`, payload: { deploymentId: id }, runAt: now + this.limits.deploymentMs });
    if (record.alarmConfiguration?.enabled) this.deps.scheduler.enqueue({ kind: ALARM_WATCH, key: `${ALARM_WATCH}:${id}`, payload: { deploymentId: id } });
    return record;
  }

  /**
   * The order instances are deployed to: those with no revision of this group first, then those
   * on another revision, then those already on this one (CD UG instances-health). With
   * `updateOutdatedInstancesOnly` the instances already on this revision are left out.
   */
  private ordered(group: GroupRecord, instances: InstanceRecord[], request: LaunchRequest): InstanceRecord[] {
    const wanted = revisionKey(request.revision);
    const rank = (i: InstanceRecord) => {
      const last = this.store.lastInstall(group.deploymentGroupId, i.instanceName);
      const revision = last ? this.store.deployment(last)?.revision : undefined;
      return !revision ? 0 : revisionKey(revision) === wanted ? 2 : 1;
    };
    const ranked = instances.map((i) => ({ i, rank: rank(i) })).filter((x) => !(request.updateOutdatedInstancesOnly && x.rank === 2));
    return ranked.sort((a, b) => a.rank - b.rank).map((x) => x.i);
  }

  // The state machine

  private advance(id: string): void {
    const d = this.store.deployment(id);
    if (!d || FINISHED.includes(d.status)) return;
    if (d.computePlatform === 'Lambda') {
      if (d.status === 'Created' || d.status === 'Queued') {
        d.status = 'InProgress';
        d.startTime = this.now();
        this.store.updateDeployment(d);
        this.events.deployment(d, 'START');
      }
      this.lambda.schedule(id);
      return;
    }
    let targets = this.store.targets(id);
    if (d.status === 'Created' || d.status === 'Queued') {
      if (targets.length === 0) return this.finish(d, 'Failed', 'NO_INSTANCES');
      const rule = findConfig(this.store, d, d.deploymentConfigName)?.minimumHealthyHosts ?? { type: 'MOST_CONCURRENCY', value: 1 };
      const m = minimumHealthyCount({ type: String(rule.type), value: rule.value ?? 0 }, targets.length);
      if (m === 'invalid') return this.finish(d, 'Failed', 'HEALTH_CONSTRAINTS_INVALID');
      d.status = 'InProgress';
      d.startTime = this.now();
      d.minimumHealthy = m;
      this.store.updateDeployment(d);
      this.events.deployment(d, 'START');
    }
    for (const t of targets) if (t.status === 'InProgress' && !this.store.openCommand(id, t.targetId)) this.progress(d, t);
    targets = this.store.targets(id);
    const verdict = nextStep(counts(targets), d.minimumHealthy ?? 0);
    if (verdict.kind === 'failed') return this.finish(d, 'Failed', d.agentIssue ? 'AGENT_ISSUE' : 'HEALTH_CONSTRAINTS');
    if (verdict.kind === 'succeeded') return this.finish(d, 'Succeeded');
    for (const t of targets.filter((x) => x.status === 'Pending').slice(0, verdict.count)) this.startTarget(d, t);
  }

  private startTarget(d: Deployment, t: TargetRecord): void {
    const now = this.now();
    t.status = 'InProgress';
    t.lastUpdatedAt = now;
    // ApplicationStop runs the scripts of the revision last installed; an instance's first deployment has none.
    if (!this.store.lastInstall(d.deploymentGroupId, t.targetId)) {
      const stop = t.lifecycleEvents.find((e) => e.lifecycleEventName === 'ApplicationStop');
      if (stop) stop.status = 'Skipped';
    }
    this.store.putTarget(t);
    this.events.instance(d, t, 'START');
    this.progress(d, t);
  }

  /** Sends a target's next lifecycle event to its agent, or ends the target when none is left. */
  private progress(d: Deployment, t: TargetRecord): void {
    const next = t.lifecycleEvents.find((e) => e.status === 'Pending');
    if (!next) {
      const failed = t.lifecycleEvents.some((e) => e.status === 'Failed' && !(d.ignoreApplicationStopFailures && STOP_EVENTS.has(e.lifecycleEventName)));
      t.status = failed ? 'Failed' : 'Succeeded';
      t.lastUpdatedAt = this.now();
      this.store.putTarget(t);
      this.events.instance(d, t, failed ? 'FAILURE' : 'SUCCESS');
      return;
    }
    const now = this.now();
    const position = t.lifecycleEvents.indexOf(next) + 1;
    const command: CommandRecord = {
      id: commandIdentifier(d.deploymentId, t.hostId, next.lifecycleEventName, position),
      deploymentId: d.deploymentId,
      targetId: t.targetId,
      hostId: t.hostId,
      name: next.lifecycleEventName,
      status: 'Pending',
      nonce: Math.floor(Math.random() * Number.MAX_SAFE_INTEGER),
      createdAt: now,
    };
    this.store.insertCommand(command);
    this.deps.scheduler.enqueue({ kind: COMMAND_TIMEOUT, key: `${COMMAND_TIMEOUT}:${command.id}`, payload: { commandId: command.id }, runAt: now + this.limits.agentMs });
    this.wake.add(t.hostId);
  }

  private finish(d: Deployment, status: 'Succeeded' | 'Failed' | 'Stopped', code?: string): void {
    const now = this.now();
    d.status = status;
    d.completeTime = now;
    if (code) d.errorInformation = { code, message: ERROR_MESSAGES[code] ?? code };
    for (const t of this.store.targets(d.deploymentId)) {
      if (t.status !== 'Pending' && t.status !== 'InProgress') continue;
      const open = this.store.openCommand(d.deploymentId, t.targetId);
      if (open) this.store.setCommandStatus(open.id, 'Failed');
      for (const e of t.lifecycleEvents) {
        if (e.status === 'InProgress') Object.assign(e, { status: 'Failed', endTime: now, diagnostics: { errorCode: 'UnknownError', scriptName: '', message: `The deployment ended (${status}) while this lifecycle event was in progress.`, logTail: '' } });
        else if (e.status === 'Pending') e.status = 'Skipped';
      }
      const wasRunning = t.status === 'InProgress';
      t.status = wasRunning ? 'Failed' : 'Skipped';
      t.lastUpdatedAt = now;
      this.store.putTarget(t);
      if (wasRunning) this.events.instance(d, t, 'FAILURE');
    }
    const group = this.store.groupById(d.deploymentGroupId);
    if (group) {
      const last = { deploymentId: d.deploymentId, status, endTime: now, createTime: d.createTime };
      this.store.putGroup(d, {
        ...group,
        lastAttemptedDeployment: last,
        ...(status === 'Succeeded' ? { lastSuccessfulDeployment: last, targetRevision: d.revision } : {}),
      });
    }
    this.store.updateDeployment(d);
    this.deps.scheduler.cancel(`${DEPLOYMENT_TIMEOUT}:${d.deploymentId}`);
    this.events.deployment(d, status === 'Succeeded' ? 'SUCCESS' : status === 'Stopped' ? 'STOP' : 'FAILURE');
    if (status !== 'Succeeded') this.rollBack(d, group);
  }

  /** Automatic rollback: a new deployment of the group's last good revision. */
  private rollBack(d: Deployment, group: GroupRecord | undefined): void {
    if (d.creator === 'codeDeployRollback' || !group) return;
    const config = d.autoRollbackConfiguration;
    const wanted =
      d.status === 'Stopped'
        ? d.stop?.autoRollbackEnabled === true
        : config?.enabled === true && (config.events ?? []).includes('DEPLOYMENT_FAILURE');
    if (!wanted) return;
    const fresh = this.store.groupById(group.deploymentGroupId)!;
    const good = fresh.lastSuccessfulDeployment && this.store.deployment(fresh.lastSuccessfulDeployment.deploymentId);
    if (!good || !fresh.targetRevision) {
      d.rollbackInfo = { rollbackMessage: 'Automatic rollback was not attempted because there is no previous successful deployment of this deployment group.' };
      this.store.updateDeployment(d);
      return;
    }
    const rollback = this.create(d, fresh, {
      revision: fresh.targetRevision,
      deploymentConfigName: d.deploymentConfigName,
      creator: 'codeDeployRollback',
      description: good.description,
      ignoreApplicationStopFailures: good.ignoreApplicationStopFailures,
      fileExistsBehavior: good.fileExistsBehavior,
      autoRollbackConfiguration: d.autoRollbackConfiguration,
      rollbackTriggeringDeploymentId: d.deploymentId,
    });
    d.rollbackInfo = { rollbackDeploymentId: rollback.deploymentId, rollbackMessage: `Rolled back by deployment ${rollback.deploymentId}.` };
    this.store.updateDeployment(d);
    this.events.rolledBack(d);
  }

  // Agent reports

  /** Hands a host the next command it may run, marking it dispatched. */
  claim(hostId: string): CommandRecord | undefined {
    return this.run(() => {
      const command = this.store.nextCommandFor(hostId);
      if (!command) return undefined;
      const d = this.store.deployment(command.deploymentId);
      if (!d || FINISHED.includes(d.status)) {
        this.store.setCommandStatus(command.id, 'Failed');
        return undefined;
      }
      this.store.setCommandStatus(command.id, 'Dispatched', { dispatchedAt: this.now() });
      return { ...command, status: 'Dispatched' as const };
    });
  }

  /** A command claimed for a poll whose answer could not be delivered goes back to wait for the next poll. */
  unclaim(commandId: string): void {
    this.run(() => {
      const command = this.store.command(commandId);
      if (command?.status === 'Dispatched') this.store.setCommandStatus(commandId, 'Pending');
      if (command) this.wake.add(command.hostId);
    });
  }

  /** The agent has the command and will run it: the event is in progress now. Answers the command's status. */
  acknowledge(commandId: string): 'InProgress' | 'Succeeded' | 'Failed' {
    return this.run(() => {
      const command = this.store.command(commandId)!;
      if (command.status === 'Succeeded' || command.status === 'Failed') return command.status;
      const d = this.store.deployment(command.deploymentId);
      const t = this.store.target(command.deploymentId, command.targetId);
      if (!d || !t || FINISHED.includes(d.status)) return 'Failed';
      const now = this.now();
      if (command.status !== 'InProgress') {
        this.store.setCommandStatus(commandId, 'InProgress', { ackedAt: now });
        const event = t.lifecycleEvents.find((e) => e.lifecycleEventName === command.name);
        if (event && event.status === 'Pending') Object.assign(event, { status: 'InProgress', startTime: now });
        t.lastUpdatedAt = now;
        this.store.putTarget(t);
        this.deps.scheduler.enqueue({ kind: COMMAND_TIMEOUT, key: `${COMMAND_TIMEOUT}:${commandId}`, payload: { commandId }, runAt: now + this.limits.eventMs });
      }
      return 'InProgress';
    });
  }

  /** The command's status as the service sees it (PostHostCommandUpdate). */
  status(commandId: string): 'InProgress' | 'Succeeded' | 'Failed' | 'Pending' {
    const command = this.store.command(commandId)!;
    const d = this.store.deployment(command.deploymentId);
    if (command.status === 'Succeeded' || command.status === 'Failed') return command.status;
    if (!d || FINISHED.includes(d.status)) return 'Failed';
    return command.status === 'InProgress' ? 'InProgress' : 'Pending';
  }

  /** The agent finished a command: record the event's outcome and move the deployment on. */
  complete(commandId: string, status: 'Succeeded' | 'Failed', payload: string | undefined): void {
    this.run(() => {
      const command = this.store.command(commandId)!;
      if (command.status === 'Succeeded' || command.status === 'Failed') return;
      this.endCommand(command, status, diagnosticsFrom(payload, status));
      this.advance(command.deploymentId);
    });
  }

  private endCommand(command: CommandRecord, status: 'Succeeded' | 'Failed', diagnostics: ReturnType<typeof diagnosticsFrom>): void {
    const now = this.now();
    this.store.setCommandStatus(command.id, status);
    this.deps.scheduler.cancel(`${COMMAND_TIMEOUT}:${command.id}`);
    const d = this.store.deployment(command.deploymentId)!;
    const t = this.store.target(command.deploymentId, command.targetId)!;
    const event = t.lifecycleEvents.find((e) => e.lifecycleEventName === command.name);
    if (event) Object.assign(event, { status, startTime: event.startTime ?? now, endTime: now, diagnostics });
    if (status === 'Succeeded' && command.name === 'Install') this.store.recordInstall(d.deploymentGroupId, t.targetId, d.deploymentId);
    const tolerated = status === 'Failed' && d.ignoreApplicationStopFailures && STOP_EVENTS.has(command.name);
    if (status === 'Failed' && !tolerated) {
      for (const e of t.lifecycleEvents) if (e.status === 'Pending') e.status = 'Skipped';
    }
    t.lastUpdatedAt = now;
    this.store.putTarget(t);
  }

  // Timeouts

  private commandTimeout(commandId: string): void {
    const command = this.store.command(commandId);
    if (!command || command.status === 'Succeeded' || command.status === 'Failed') return;
    const d = this.store.deployment(command.deploymentId);
    if (!d || FINISHED.includes(d.status)) return;
    const now = this.now();
    if (command.status === 'InProgress') {
      if (now < (command.ackedAt ?? 0) + this.limits.eventMs) return;
      this.endCommand(command, 'Failed', {
        errorCode: 'ScriptTimedOut',
        scriptName: '',
        message: `The lifecycle event ${command.name} did not complete within ${this.limits.eventMs / 1000} seconds.`,
        logTail: '',
      });
    } else {
      if (now < command.createdAt + this.limits.agentMs) return;
      this.endCommand(command, 'Failed', { errorCode: 'UnknownError', scriptName: '', message: AGENT_NOT_STARTED, logTail: '' });
      d.agentIssue = true;
      this.store.updateDeployment(d);
    }
    this.advance(command.deploymentId);
  }

  private deploymentTimeout(id: string): void {
    const d = this.store.deployment(id);
    if (!d || FINISHED.includes(d.status)) return;
    this.finish(d, 'Failed', 'TIMEOUT');
  }

  // Operator actions

  stop(id: string, autoRollbackEnabled: boolean): void {
    this.run(() => {
      const d = this.store.deployment(id)!;
      if (FINISHED.includes(d.status)) return;
      d.stop = { autoRollbackEnabled };
      d.deploymentStatusMessages = [...d.deploymentStatusMessages, 'The deployment was stopped by the user.'];
      this.finish(d, 'Stopped', 'MANUAL_STOP');
    });
  }

  /** A group's alarm went off (or its alarms could not be read): the deployment stops, and rolls back when the group asks for it on alarms. */
  stopForAlarms(id: string, code: 'ALARM_ACTIVE' | 'ALARM_CONFIG', message: string): void {
    this.run(() => {
      const d = this.store.deployment(id);
      if (!d || FINISHED.includes(d.status)) return;
      const config = d.autoRollbackConfiguration;
      d.stop = { autoRollbackEnabled: config?.enabled === true && (config.events ?? []).includes('DEPLOYMENT_STOP_ON_ALARM') };
      d.deploymentStatusMessages = [...d.deploymentStatusMessages, message];
      this.finish(d, 'Stopped', code);
    });
  }

  /** The execution id an agent is given for a deployment. */
  executionId(d: Deployment): string {
    return deploymentExecutionId(d, d.deploymentId);
  }
}

export function counts(targets: TargetRecord[]): Counts {
  const c: Counts = { total: targets.length, pending: 0, inProgress: 0, succeeded: 0, failed: 0 };
  for (const t of targets) {
    if (t.status === 'Pending') c.pending++;
    else if (t.status === 'InProgress') c.inProgress++;
    else if (t.status === 'Succeeded') c.succeeded++;
    else c.failed++;
  }
  return c;
}

/** AWS's host command identifier: base64 of the deployment engine's typed JSON of it. */
export function commandIdentifier(deploymentId: string, hostId: string, commandName: string, position: number): string {
  const value = ['com.amazon.apollo.deploycontrol.domain.HostCommandIdentifier', { deploymentId, hostId, commandName, commandPosition: position, commandAttempt: 1 }];
  return Buffer.from(JSON.stringify(value)).toString('base64');
}
