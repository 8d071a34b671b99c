import type { BusEvent } from '../core/events.js';
import type { ServiceDeps } from '../core/deps.js';
import { applicationArn, groupArn } from './arns.js';
import type { DeploymentRecord, Scope, TargetRecord } from './records.js';

type State = 'START' | 'SUCCESS' | 'FAILURE' | 'STOP' | 'READY';

/**
 * "CodeDeploy Deployment State-change Notification" and "CodeDeploy Instance State-change
 * Notification" on the bus. Collected while a state-machine step runs and published only once
 * its transaction committed, so no listener hears of a change that was rolled back.
 */
export class StateEvents {
  private queued: BusEvent[] = [];

  constructor(private readonly deps: ServiceDeps) {}

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
    this.queued.push(
      this.envelope(d, 'CodeDeploy Deployment State-change Notification', [applicationArn(d, d.applicationName), groupArn(d, d.applicationName, d.deploymentGroupName)], {
        instanceGroupId: d.deploymentGroupId,
        ...this.base(d, state),
      }),
    );
  }

  instance(d: DeploymentRecord & Scope, t: TargetRecord, state: State): void {
    this.queued.push(
      this.envelope(d, 'CodeDeploy Instance State-change Notification', [applicationArn(d, d.applicationName), groupArn(d, d.applicationName, d.deploymentGroupName), t.instanceArn], {
        instanceGroupId: d.deploymentGroupId,
        instanceId: t.targetId,
        ...this.base(d, state),
      }),
    );
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
