import type { Dimension } from '@aws-sdk/client-cloudwatch';
import type { BusEvent } from '../core/events.js';
import type { Metrics } from './metrics.js';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED']);
/** Client errors and timeouts count as failed builds. */
const FAILED = new Set(['FAILED', 'FAULT', 'TIMED_OUT']);
const PHASE_METRICS: Record<string, string> = {
  SUBMITTED: 'SubmittedDuration',
  QUEUED: 'QueuedDuration',
  PROVISIONING: 'ProvisioningDuration',
  DOWNLOAD_SOURCE: 'DownloadSourceDuration',
  INSTALL: 'InstallDuration',
  PRE_BUILD: 'PreBuildDuration',
  BUILD: 'BuildDuration',
  POST_BUILD: 'PostBuildDuration',
  UPLOAD_ARTIFACTS: 'UploadArtifactsDuration',
  FINALIZING: 'FinalizingDuration',
};

interface BuildDetail {
  'build-status'?: string;
  'project-name'?: string;
  'build-id'?: string;
  'additional-information'?: { 'build-number'?: number; phases?: { 'phase-type'?: string; 'duration-in-seconds'?: number }[] };
}

/**
 * CodeBuild's AWS/CodeBuild metrics, published when a build ends, from the build's state-change
 * event on the bus (so CodeBuild knows nothing of CloudWatch): counts and durations account-wide,
 * per project, and per build.
 */
export function publishBuildMetrics(metrics: Metrics, event: BusEvent): void {
  if (event.source !== 'aws.codebuild' || event['detail-type'] !== 'CodeBuild Build State Change') return;
  const d = event.detail as BuildDetail;
  if (!FINAL.has(d['build-status'] ?? '') || !d['project-name']) return;
  const scope = { accountId: event.account, region: event.region };
  const info = d['additional-information'] ?? {};
  const buildId = (d['build-id'] ?? '').split(':build/')[1] ?? d['build-id'] ?? '';
  const dimensionSets: Dimension[][] = [
    [],
    [{ Name: 'ProjectName', Value: d['project-name'] }],
    [
      { Name: 'BuildId', Value: buildId },
      { Name: 'BuildNumber', Value: String(info['build-number'] ?? '') },
      { Name: 'ProjectName', Value: d['project-name'] },
    ],
  ];
  const status = d['build-status']!;
  const phases = info.phases ?? [];
  const values: [string, number, string][] = [
    ['Builds', 1, 'Count'],
    ['SucceededBuilds', status === 'SUCCEEDED' ? 1 : 0, 'Count'],
    ['FailedBuilds', FAILED.has(status) ? 1 : 0, 'Count'],
    ['Duration', phases.reduce((n, p) => n + (p['duration-in-seconds'] ?? 0), 0), 'Seconds'],
    ...phases.flatMap((p): [string, number, string][] => {
      const name = PHASE_METRICS[p['phase-type'] ?? ''];
      return name && p['duration-in-seconds'] !== undefined ? [[name, p['duration-in-seconds'], 'Seconds']] : [];
    }),
  ];
  for (const dims of dimensionSets) for (const [name, value, unit] of values) metrics.record(scope, 'AWS/CodeBuild', name, dims, value, unit);
}
