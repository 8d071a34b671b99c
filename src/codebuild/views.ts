import type { Build, BuildPhase, LogsLocation, Project } from '@aws-sdk/client-codebuild';
import { projectArn } from './arns.js';
import type { BuildRecord, ProjectRecord } from './records.js';

/** Where a build's log goes: group `/aws/codebuild/<project>` (or the configured one), stream = the build's uuid. */
export function logsLocation(b: BuildRecord): LogsLocation & { groupName?: string; streamName?: string } {
  const uuid = b.id.slice(b.id.lastIndexOf(':') + 1);
  const cw = b.logsConfig.cloudWatchLogs ?? { status: 'ENABLED' };
  const s3 = b.logsConfig.s3Logs ?? { status: 'DISABLED' };
  const out: LogsLocation = { cloudWatchLogs: cw, s3Logs: s3 };
  if (cw.status !== 'DISABLED') {
    const groupName = cw.groupName ?? `/aws/codebuild/${b.projectName}`;
    const streamName = cw.streamName ? `${cw.streamName}/${uuid}` : uuid;
    out.groupName = groupName;
    out.streamName = streamName;
    out.deepLink = `https://console.aws.amazon.com/cloudwatch/home?region=${b.region}#logsV2:log-groups/log-group/${encodeURIComponent(groupName)}/log-events/${encodeURIComponent(streamName)}`;
    out.cloudWatchLogsArn = `arn:aws:logs:${b.region}:${b.accountId}:log-group:${groupName}:log-stream:${streamName}`;
  }
  if (s3.status === 'ENABLED' && s3.location) {
    out.s3LogsArn = `arn:aws:s3:::${s3.location.replace(/\/+$/, '')}/${uuid}.gz`;
    out.s3DeepLink = `https://s3.console.aws.amazon.com/s3/object/${s3.location.replace(/\/+$/, '')}/${uuid}.gz`;
  }
  return out;
}

export function buildView(b: BuildRecord): Build {
  const phases: BuildPhase[] = b.phases.map((p) => ({
    phaseType: p.phaseType,
    ...(p.phaseStatus ? { phaseStatus: p.phaseStatus } : {}),
    startTime: new Date(p.startTime),
    ...(p.endTime !== undefined ? { endTime: new Date(p.endTime), durationInSeconds: p.durationInSeconds } : {}),
    ...(p.contexts ? { contexts: p.contexts } : {}),
  }));
  return {
    id: b.id,
    arn: b.arn,
    buildNumber: b.buildNumber,
    startTime: new Date(b.startTime),
    ...(b.endTime !== undefined ? { endTime: new Date(b.endTime) } : {}),
    currentPhase: b.currentPhase,
    buildStatus: b.buildStatus,
    ...(b.sourceVersion !== undefined ? { sourceVersion: b.sourceVersion } : {}),
    ...(b.resolvedSourceVersion !== undefined ? { resolvedSourceVersion: b.resolvedSourceVersion } : {}),
    projectName: b.projectName,
    phases,
    source: b.source,
    secondarySources: b.secondarySources,
    secondarySourceVersions: b.secondarySourceVersions,
    artifacts: b.artifactResult ?? { location: '' },
    secondaryArtifacts: b.secondaryArtifactResults ?? [],
    cache: b.cache,
    environment: b.environment,
    serviceRole: b.serviceRole,
    logs: logsLocation(b),
    timeoutInMinutes: b.timeoutInMinutes,
    queuedTimeoutInMinutes: b.queuedTimeoutInMinutes,
    buildComplete: b.buildComplete,
    initiator: b.initiator,
    ...(b.encryptionKey ? { encryptionKey: b.encryptionKey } : {}),
    ...(b.exportedEnvironmentVariables ? { exportedEnvironmentVariables: b.exportedEnvironmentVariables } : {}),
    ...(b.reportArns?.length ? { reportArns: b.reportArns } : {}),
    ...(b.autoRetryLimit !== undefined ? { autoRetryConfig: { autoRetryLimit: b.autoRetryLimit, autoRetryNumber: 0 } } : {}),
  };
}

export function projectView(p: ProjectRecord): Project {
  const d = p.doc;
  return {
    name: p.name,
    arn: projectArn(p, p.name),
    ...(d.description !== undefined ? { description: d.description } : {}),
    source: d.source,
    secondarySources: d.secondarySources ?? [],
    ...(d.sourceVersion !== undefined ? { sourceVersion: d.sourceVersion } : {}),
    secondarySourceVersions: d.secondarySourceVersions ?? [],
    artifacts: d.artifacts,
    secondaryArtifacts: d.secondaryArtifacts ?? [],
    cache: d.cache,
    environment: d.environment,
    serviceRole: d.serviceRole,
    timeoutInMinutes: d.timeoutInMinutes,
    queuedTimeoutInMinutes: d.queuedTimeoutInMinutes,
    encryptionKey: d.encryptionKey ?? `arn:aws:kms:${p.region}:${p.accountId}:alias/aws/s3`,
    tags: d.tags,
    created: new Date(p.createdAt),
    lastModified: new Date(p.updatedAt),
    badge: { badgeEnabled: d.badgeEnabled },
    logsConfig: d.logsConfig,
    ...(d.vpcConfig ? { vpcConfig: d.vpcConfig } : {}),
    ...(d.fileSystemLocations ? { fileSystemLocations: d.fileSystemLocations } : {}),
    ...(d.buildBatchConfig ? { buildBatchConfig: d.buildBatchConfig } : {}),
    ...(d.concurrentBuildLimit !== undefined ? { concurrentBuildLimit: d.concurrentBuildLimit } : {}),
    ...(d.autoRetryLimit !== undefined ? { autoRetryLimit: d.autoRetryLimit } : {}),
    projectVisibility: 'PRIVATE',
  } as Project;
}
