import type { ServiceDeps } from '../core/deps.js';
import { buildArn } from './arns.js';
import { logsLocation } from './views.js';
import type { BuildRecord, PhaseRecord } from './records.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Sep 1, 2017 4:12:29 PM`, the way CodeBuild's events write times. */
export function eventTime(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  const d = new Date(ms);
  const h = d.getUTCHours() % 12 || 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

const contextText = (p: PhaseRecord | undefined) => (p?.contexts ?? []).map((c) => `${c.statusCode}: ${c.message}`).join(', ');

function additionalInformation(b: BuildRecord): Record<string, unknown> {
  const logs = logsLocation(b);
  return {
    ...(b.artifactResult ? { artifact: { ...(b.artifactResult.md5sum ? { md5sum: b.artifactResult.md5sum } : {}), ...(b.artifactResult.sha256sum ? { sha256sum: b.artifactResult.sha256sum } : {}), location: b.artifactResult.location ?? '' } } : {}),
    environment: {
      image: b.environment.image,
      'privileged-mode': b.environment.privilegedMode ?? false,
      'compute-type': b.environment.computeType,
      type: b.environment.type,
      'environment-variables': (b.environment.environmentVariables ?? []).map((v) => ({ name: v.name, type: v.type ?? 'PLAINTEXT', value: v.value })),
    },
    'timeout-in-minutes': b.timeoutInMinutes,
    'queued-timeout-in-minutes': b.queuedTimeoutInMinutes,
    'build-complete': b.buildComplete,
    'build-number': b.buildNumber,
    initiator: b.initiator,
    'build-start-time': eventTime(b.startTime),
    source: { ...(b.source.location ? { location: b.source.location } : {}), type: b.source.type, ...(b.source.buildspec ? { buildspec: b.source.buildspec } : {}) },
    ...(b.sourceVersion ? { 'source-version': b.sourceVersion } : {}),
    ...(logs.groupName ? { logs: { 'group-name': logs.groupName, 'stream-name': logs.streamName, 'deep-link': logs.deepLink } } : {}),
    phases: b.phases.map((p) => ({
      ...(p.contexts ? { 'phase-context': p.contexts.map((c) => `${c.statusCode}: ${c.message}`) } : {}),
      'start-time': eventTime(p.startTime),
      ...(p.endTime !== undefined ? { 'end-time': eventTime(p.endTime), 'duration-in-seconds': p.durationInSeconds } : {}),
      'phase-type': p.phaseType,
      ...(p.phaseStatus ? { 'phase-status': p.phaseStatus } : {}),
    })),
  };
}

function publish(deps: ServiceDeps, b: BuildRecord, detailType: string, detail: Record<string, unknown>): void {
  deps.events.publish({
    version: '0',
    id: deps.ids.uuid(),
    'detail-type': detailType,
    source: 'aws.codebuild',
    account: b.accountId,
    time: deps.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: b.region,
    resources: [buildArn(b, b.id)],
    detail,
  });
}

/** "CodeBuild Build State Change": IN_PROGRESS when a build starts, then its final status. */
export function publishBuildState(deps: ServiceDeps, b: BuildRecord): void {
  const current = b.phases.at(-1);
  publish(deps, b, 'CodeBuild Build State Change', {
    'build-status': b.buildStatus,
    'project-name': b.projectName,
    'build-id': b.arn,
    'additional-information': additionalInformation(b),
    'current-phase': b.currentPhase,
    'current-phase-context': `[${contextText(current)}]`,
    version: '1',
  });
}

/** "CodeBuild Build Phase Change": one per completed phase. */
export function publishPhaseChange(deps: ServiceDeps, b: BuildRecord, phase: PhaseRecord): void {
  publish(deps, b, 'CodeBuild Build Phase Change', {
    'completed-phase': phase.phaseType,
    'project-name': b.projectName,
    'build-id': b.arn,
    'completed-phase-context': `[${contextText(phase)}]`,
    'additional-information': additionalInformation(b),
    'completed-phase-status': phase.phaseStatus,
    'completed-phase-duration-seconds': phase.durationInSeconds ?? 0,
    version: '1',
    'completed-phase-start': eventTime(phase.startTime),
    'completed-phase-end': eventTime(phase.endTime),
  });
}
