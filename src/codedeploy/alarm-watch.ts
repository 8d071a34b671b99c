import type { DescribeAlarmsOutput } from '@aws-sdk/client-cloudwatch';
import type { CallerIdentity } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import type { DeploymentEngine } from './engine.js';
import { FINISHED } from './records.js';
import type { CodeDeployStore } from './store.js';

export const ALARM_WATCH = 'codedeploy.alarm-watch';
/** CloudWatch evaluates alarms once a minute: the watch reads them as often. */
const EVERY_MS = 60_000;

/** CodeDeploy reading alarms as the deployment group's service role, as AWS does. */
function serviceRoleSession(roleArn: string, accountId: string): CallerIdentity {
  const name = roleArn.split('/').pop() ?? 'role';
  return { type: 'role-session', arn: `arn:aws:sts::${accountId}:assumed-role/${name}/AWSCodeDeploy`, accountId, userId: `${name}:AWSCodeDeploy`, roleArn, sessionName: 'AWSCodeDeploy' };
}

/**
 * A deployment group's alarmConfiguration: while a deployment runs, its alarms are read from
 * CloudWatch (DescribeAlarms through the internal client, never CloudWatch's tables); one in ALARM
 * stops the deployment, which rolls back when the group's auto-rollback has DEPLOYMENT_STOP_ON_ALARM.
 * Alarms that cannot be read stop it too, unless the group says to ignore poll failures.
 */
export function watchAlarms(deps: ServiceDeps, store: CodeDeployStore, engine: DeploymentEngine): void {
  deps.scheduler.register<{ deploymentId: string }>(ALARM_WATCH, async (job) => {
    const id = job.payload.deploymentId;
    const d = store.deployment(id);
    const config = d?.alarmConfiguration;
    if (!d || FINISHED.includes(d.status) || !config?.enabled || !config.alarms?.length) return;
    const names = config.alarms.flatMap((a) => (a.name ? [a.name] : []));
    const role = store.groupById(d.deploymentGroupId)?.settings.serviceRoleArn;
    let active: string[] | undefined;
    let failure: string | undefined;
    try {
      const out = await deps.internal.call<DescribeAlarmsOutput>(
        'cloudwatch',
        'DescribeAlarms',
        { AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
        { caller: serviceRoleSession(role ?? `arn:aws:iam::${d.accountId}:role/codedeploy`, d.accountId), region: d.region },
      );
      const found = [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])];
      const missing = names.filter((n) => !found.some((a) => a.AlarmName === n));
      if (missing.length > 0) failure = `The alarms ${missing.join(', ')} could not be found in CloudWatch.`;
      active = found.filter((a) => a.StateValue === 'ALARM').map((a) => a.AlarmName!);
    } catch (err) {
      failure = `The alarms could not be read from CloudWatch: ${(err as Error).message}`;
    }
    if (active && active.length > 0) engine.stopForAlarms(id, 'ALARM_ACTIVE', `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${active.join(', ')}>`);
    else if (failure && !config.ignorePollAlarmFailure) engine.stopForAlarms(id, 'ALARM_CONFIG', failure);
    else deps.scheduler.enqueue({ kind: ALARM_WATCH, key: `${ALARM_WATCH}:${id}`, payload: { deploymentId: id }, runAt: deps.clock.now().getTime() + EVERY_MS });
  });
}
