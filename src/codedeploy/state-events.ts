import type { BusEvent } from '../core/events.js';
import type { ServiceDeps } from '../core/deps.js';
import { applicationArn, groupArn } from './arns.js';
import type { DeploymentRecord, Scope, TargetRecord } from './records.js';
import type { Triggers } from './triggers.js';

type State = 'START' | 'SUCCESS' | 'FAILURE' | 'STOP' | 'READY';

const DEPLOYMENT_TRIGGERS = { START: 'DeploymentStart', SUCCESS: 'DeploymentSuccess', FAILURE: 'DeploymentFailure', STOP: 'DeploymentStop', READY: 'DeploymentReady' } as const;
const INSTANCE_TRIGGERS = { START: 'InstanceStart', SUCCESS: 'InstanceSuccess', FAILURE: 'InstanceFailure', STOP: undefined, READY: 'InstanceReady' } as const;

/**
 * "CodeDeploy Deployment State-change Notification" and "CodeDeploy Instance State-change
 * Notification" on the bus. Collected while a state-machine step runs and published only once
 * its transaction committed, so no listener hears of a change that was rolled back. The group's
 * triggers are queued inside that transaction, so they stand or fall with the change.
 */
export class StateEvents {
  private queued: BusEvent[] = [];

  constructor(
    private readonly deps: ServiceDeps,
    private readonly triggers: Triggers,
  ) {}

  private envelope(d: DeploymentRecord & Scope, detailType: string, resources: string[], detail: Record<string, unknown>): BusEvent {
    return {
      version: '0',
      id: this.deps.ids.uuid(),
      'detail-type': detailType,
      source: 'aws.codedeploy',
      account: d.accountId,
      time: this.deps.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: d.region,
      resources,
      detail,
    };
  }

  private base(d: DeploymentRecord & Scope, state: State): Record<string, unknown> {
    return { region: d.region, application: d.applicationName, deploymentId: d.deploymentId, state, deploymentGroup: d.deploymentGroupName };
  }

  deployment(d: DeploymentRecord & Scope, state: State): void {
    this.triggers.deployment(d, DEPLOYMENT_TRIGGERS[state]);
    this.queued.push(
      this.envelope(d, 'CodeDeploy Deployment State-change Notification', [applicationArn(d, d.applicationName), groupArn(d, d.applicationName, d.deploymentGroupName)], {
        instanceGroupId: d.deploymentGroupId,
        ...this.base(d, state),
      }),
    );
  }

  instance(d: DeploymentRecord & Scope, t: TargetRecord, state: State): void {
    const trigger = INSTANCE_TRIGGERS[state];
    if (trigger) this.triggers.instance(d, t, trigger);
    this.queued.push(
      this.envelope(d, 'CodeDeploy Instance State-change Notification', [applicationArn(d, d.applicationName), groupArn(d, d.applicationName, d.deploymentGroupName), t.instanceArn], {
        instanceGroupId: d.deploymentGroupId,
        instanceId: t.targetId,
        ...this.base(d, state),
      }),
    );
  }

  /** A failed or stopped deployment was rolled back: only triggers hear of it (EventBridge has no such event). */
  rolledBack(d: DeploymentRecord & Scope): void {
    this.triggers.deployment(d, 'DeploymentRollback');
  }

  flush(): void {
    const events = this.queued;
    this.queued = [];
    for (const e of events) this.deps.events.publish(e);
  }

  discard(): void {
    this.queued = [];
  }
}
