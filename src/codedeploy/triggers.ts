import type { TriggerEventType } from '@aws-sdk/client-codedeploy';
import { roleSessionCaller } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { groupArn } from './arns.js';
import type { DeploymentRecord, Scope, TargetRecord } from './records.js';
import type { CodeDeployStore } from './store.js';

type Deployment = DeploymentRecord & Scope;

/** CodeDeploy publishes to a trigger's topic with its service role, so the role needs sns:Publish (CD UG how-to-sns-service-role-permission). */
const SESSION = 'CodeDeployTrigger';
/** SNS deliveries from a trigger get a few retries over an hour (AWS documents none; decision recorded in the note). */
const RETRY = { maximumRetryAttempts: 10, maximumEventAgeSeconds: 3600 };

/** `1446744188.595`: the epoch seconds (with milliseconds) the trigger JSON writes times as. */
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : (ms / 1000).toFixed(3));

/**
 * Deployment group triggers (`triggerConfigurations`): each state change a trigger names becomes
 * one persisted delivery of AWS's trigger JSON to the trigger's SNS topic, queued in the same
 * transaction as the change itself (CD UG monitoring-sns-event-notifications-json-format).
 */
export class Triggers {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly store: CodeDeployStore,
  ) {}

  deployment(d: Deployment, event: TriggerEventType): void {
    const status = event === 'DeploymentStart' ? 'CREATED' : d.status.toUpperCase();
    const overview = { Failed: 0, InProgress: 0, Pending: 0, Skipped: 0, Succeeded: 0 };
    for (const t of this.store.targets(d.deploymentId)) if (t.status in overview) overview[t.status as keyof typeof overview]++;
    this.send(d, event, status, (triggerName) => ({
      region: d.region,
      accountId: d.accountId,
      eventTriggerName: triggerName,
      applicationName: d.applicationName,
      deploymentId: d.deploymentId,
      deploymentGroupName: d.deploymentGroupName,
      createTime: seconds(d.createTime),
      completeTime: seconds(d.completeTime) ?? null,
      deploymentOverview: Object.fromEntries(Object.entries(overview).map(([k, v]) => [k, String(v)])),
      status,
      ...(d.errorInformation ? { errorInformation: { ErrorCode: d.errorInformation.code, ErrorMessage: d.errorInformation.message } } : {}),
    }));
  }

  instance(d: Deployment, t: TargetRecord, event: TriggerEventType): void {
    this.send(d, event, t.status.toUpperCase(), (triggerName) => ({
      region: d.region,
      accountId: d.accountId,
      eventTriggerName: triggerName,
      deploymentId: d.deploymentId,
      instanceId: t.instanceArn,
      lastUpdatedAt: seconds(t.lastUpdatedAt),
      instanceStatus: t.status,
      lifecycleEvents: t.lifecycleEvents
        .filter((e) => e.startTime !== undefined)
        .map((e) => ({ LifecycleEvent: e.lifecycleEventName, LifecycleEventStatus: e.status, StartTime: seconds(e.startTime), ...(e.endTime !== undefined ? { EndTime: seconds(e.endTime) } : {}) })),
    }));
  }

  private send(d: Deployment, event: TriggerEventType, status: string, body: (triggerName: string) => Record<string, unknown>): void {
    const group = this.store.groupById(d.deploymentGroupId);
    const triggers = (group?.settings.triggerConfigurations ?? []).filter((t) => t.triggerEvents?.includes(event));
    if (!group || triggers.length === 0) return;
    const role = group.settings.serviceRoleArn;
    for (const trigger of triggers) {
      this.deps.delivery.enqueue(
        'codedeploy',
        {
          targetArn: trigger.triggerTargetArn!,
          message: JSON.stringify(body(trigger.triggerName!)),
          sourceService: 'codedeploy.amazonaws.com',
          sourceArn: groupArn(d, d.applicationName, d.deploymentGroupName),
          sourceAccount: d.accountId,
          ...(role ? { role: roleSessionCaller(role, d.accountId, SESSION) } : {}),
          attributes: { Subject: `${status}: AWS CodeDeploy ${d.deploymentId} in ${d.region} to ${d.applicationName}` },
        },
        RETRY,
      );
    }
  }
}
