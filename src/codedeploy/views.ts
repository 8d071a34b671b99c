import type { ApplicationInfo, DeploymentGroupInfo, DeploymentInfo, GenericRevisionInfo, InstanceInfo, InstanceSummary, LifecycleEvent, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import { counts } from './engine.js';
import type { ApplicationRecord, DeploymentRecord, GroupRecord, InstanceRecord, LastDeployment, LifecycleEventRecord, RevisionRecord, TargetRecord } from './records.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

export function applicationView(a: ApplicationRecord): ApplicationInfo {
  return { applicationId: a.applicationId, applicationName: a.applicationName, createTime: date(a.createTime), linkedToGitHub: a.linkedToGitHub, computePlatform: a.computePlatform as never };
}

export function instanceView(i: InstanceRecord): InstanceInfo {
  return {
    instanceName: i.instanceName,
    ...(i.iamSessionArn ? { iamSessionArn: i.iamSessionArn } : {}),
    ...(i.iamUserArn ? { iamUserArn: i.iamUserArn } : {}),
    instanceArn: i.instanceArn,
    registerTime: date(i.registerTime),
    ...(i.deregisterTime !== undefined ? { deregisterTime: date(i.deregisterTime) } : {}),
    tags: i.tags,
  };
}

const last = (l: LastDeployment | undefined) => l && { deploymentId: l.deploymentId, status: l.status as never, endTime: date(l.endTime), createTime: date(l.createTime) };

export function groupView(g: GroupRecord): DeploymentGroupInfo {
  const s = g.settings;
  return {
    applicationName: g.applicationName,
    deploymentGroupId: g.deploymentGroupId,
    deploymentGroupName: g.deploymentGroupName,
    deploymentConfigName: s.deploymentConfigName ?? 'CodeDeployDefault.OneAtATime',
    ec2TagFilters: s.ec2TagFilters ?? [],
    onPremisesInstanceTagFilters: s.onPremisesInstanceTagFilters ?? [],
    autoScalingGroups: [],
    serviceRoleArn: s.serviceRoleArn,
    ...(g.targetRevision ? { targetRevision: g.targetRevision } : {}),
    triggerConfigurations: s.triggerConfigurations ?? [],
    alarmConfiguration: s.alarmConfiguration ?? { enabled: false, ignorePollAlarmFailure: false, alarms: [] },
    autoRollbackConfiguration: s.autoRollbackConfiguration ?? { enabled: false, events: [] },
    deploymentStyle: { deploymentType: s.deploymentStyle?.deploymentType ?? 'IN_PLACE', deploymentOption: s.deploymentStyle?.deploymentOption ?? 'WITHOUT_TRAFFIC_CONTROL' },
    outdatedInstancesStrategy: s.outdatedInstancesStrategy ?? 'UPDATE',
    ...(s.blueGreenDeploymentConfiguration ? { blueGreenDeploymentConfiguration: s.blueGreenDeploymentConfiguration } : {}),
    ...(s.loadBalancerInfo ? { loadBalancerInfo: s.loadBalancerInfo } : {}),
    ...(g.lastSuccessfulDeployment ? { lastSuccessfulDeployment: last(g.lastSuccessfulDeployment) } : {}),
    ...(g.lastAttemptedDeployment ? { lastAttemptedDeployment: last(g.lastAttemptedDeployment) } : {}),
    ec2TagSet: s.ec2TagSet ?? { ec2TagSetList: [] },
    onPremisesTagSet: s.onPremisesTagSet ?? { onPremisesTagSetList: [] },
    computePlatform: g.computePlatform as never,
    ecsServices: s.ecsServices ?? [],
    terminationHookEnabled: s.terminationHookEnabled ?? false,
  };
}

export function revisionInfoView(r: RevisionRecord): GenericRevisionInfo {
  return {
    ...(r.description !== undefined ? { description: r.description } : {}),
    deploymentGroups: r.deploymentGroups,
    ...(r.firstUsedTime !== undefined ? { firstUsedTime: date(r.firstUsedTime) } : {}),
    ...(r.lastUsedTime !== undefined ? { lastUsedTime: date(r.lastUsedTime) } : {}),
    registerTime: date(r.registerTime),
  };
}

export function deploymentView(d: DeploymentRecord, targets: TargetRecord[]): DeploymentInfo {
  const c = counts(targets);
  const skipped = targets.filter((t) => t.status === 'Skipped').length;
  return {
    applicationName: d.applicationName,
    deploymentGroupName: d.deploymentGroupName,
    deploymentConfigName: d.deploymentConfigName,
    deploymentId: d.deploymentId,
    ...(d.previousRevision ? { previousRevision: d.previousRevision } : {}),
    revision: d.revision,
    status: d.status,
    ...(d.errorInformation ? { errorInformation: d.errorInformation as never } : {}),
    createTime: date(d.createTime),
    ...(d.startTime !== undefined ? { startTime: date(d.startTime) } : {}),
    ...(d.completeTime !== undefined ? { completeTime: date(d.completeTime) } : {}),
    deploymentOverview: { Pending: c.pending, InProgress: c.inProgress, Succeeded: c.succeeded, Failed: c.failed - skipped, Skipped: skipped, Ready: 0 },
    ...(d.description !== undefined ? { description: d.description } : {}),
    creator: d.creator as never,
    ignoreApplicationStopFailures: d.ignoreApplicationStopFailures,
    ...(d.autoRollbackConfiguration ? { autoRollbackConfiguration: d.autoRollbackConfiguration } : {}),
    updateOutdatedInstancesOnly: d.updateOutdatedInstancesOnly,
    ...(d.rollbackInfo ? { rollbackInfo: d.rollbackInfo } : {}),
    deploymentStyle: d.deploymentStyle as never,
    ...(d.targetInstances ? { targetInstances: d.targetInstances } : {}),
    instanceTerminationWaitTimeStarted: false,
    fileExistsBehavior: d.fileExistsBehavior as never,
    deploymentStatusMessages: d.deploymentStatusMessages,
    computePlatform: d.computePlatform as never,
  };
}

function eventView(e: LifecycleEventRecord): LifecycleEvent {
  return {
    lifecycleEventName: e.lifecycleEventName,
    ...(e.diagnostics ? { diagnostics: e.diagnostics } : {}),
    ...(e.startTime !== undefined ? { startTime: date(e.startTime) } : {}),
    ...(e.endTime !== undefined ? { endTime: date(e.endTime) } : {}),
    status: e.status,
  };
}

export function instanceSummaryView(t: TargetRecord): InstanceSummary {
  return { deploymentId: t.deploymentId, instanceId: t.targetId, status: t.status, lastUpdatedAt: date(t.lastUpdatedAt), lifecycleEvents: t.lifecycleEvents.map(eventView) };
}

export function targetView(t: TargetRecord): DeploymentTarget {
  return {
    deploymentTargetType: 'InstanceTarget',
    instanceTarget: { deploymentId: t.deploymentId, targetId: t.targetId, targetArn: t.instanceArn, status: t.status, lastUpdatedAt: date(t.lastUpdatedAt), lifecycleEvents: t.lifecycleEvents.map(eventView) },
  };
}
