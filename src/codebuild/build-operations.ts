import type {
  BatchDeleteBuildsInput,
  BatchDeleteBuildsOutput,
  BatchGetBuildsInput,
  BatchGetBuildsOutput,
  Build,
  BuildArtifacts,
  BuildNotDeleted,
  ListBuildsForProjectInput,
  ListBuildsForProjectOutput,
  ListBuildsInput,
  ListBuildsOutput,
  ListCuratedEnvironmentImagesInput,
  ListCuratedEnvironmentImagesOutput,
  ProjectArtifacts,
  RetryBuildInput,
  RetryBuildOutput,
  StartBuildInput,
  StartBuildOutput,
  StopBuildInput,
  StopBuildOutput,
} from '@aws-sdk/client-codebuild';
import { createHash } from 'node:crypto';
import type { CallerIdentity, RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { buildArn, buildIdOf, projectArn, projectNameOf } from './arns.js';
import { uuidOf } from './build-runner.js';
import type { CodeBuildContext } from './context.js';
import { CURATED_IMAGES } from './curated-images.js';
import { mergeVariables } from './environment.js';
import { invalidInput, projectNotFound, resourceNotFound } from './errors.js';
import { page } from './pagination.js';
import { checkArtifacts, checkServiceRole, checkSource, checkVariables } from './project-operations.js';
import type { BuildRecord } from './records.js';
import { publishBuildState } from './state-events.js';
import { buildView } from './views.js';

/** Set by codesuite's own callers (CodePipeline: `codepipeline/<pipeline>`) to name who started a build. */
export const INITIATOR = Symbol('initiator');

const IDEMPOTENCY_WINDOW_MS = 5 * 60_000;

/** CODEBUILD_INITIATOR: a user's name, `<role>/<session>` for an assumed role, `root` for the account. */
export function initiatorOf(caller: CallerIdentity): string {
  if (caller.type === 'user') return caller.userName ?? caller.arn.slice(caller.arn.lastIndexOf('/') + 1);
  if (caller.type === 'role-session') {
    const role = caller.roleArn ? caller.roleArn.slice(caller.roleArn.lastIndexOf('/') + 1) : caller.arn.split('/')[1];
    return `${role}/${caller.sessionName ?? ''}`;
  }
  return caller.type === 'root' ? 'root' : caller.arn;
}

/** Where a build's primary artifact will be, known before it runs (StartBuild already reports it). */
function plannedArtifact(a: ProjectArtifacts, uuid: string): BuildArtifacts {
  const base = {
    ...(a.artifactIdentifier ? { artifactIdentifier: a.artifactIdentifier } : {}),
    ...(a.overrideArtifactName !== undefined ? { overrideArtifactName: a.overrideArtifactName } : {}),
    ...(a.encryptionDisabled !== undefined ? { encryptionDisabled: a.encryptionDisabled } : {}),
  };
  if (a.type !== 'S3') return { ...base, location: a.type === 'CODEPIPELINE' && a.location ? `arn:aws:s3:::${a.location.replace(/^arn:aws:s3:::/, '')}` : '' };
  const key = [a.path, a.namespaceType === 'BUILD_ID' ? uuid : '', a.name === '/' ? '' : a.name]
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return { ...base, location: `arn:aws:s3:::${a.location}${key ? `/${key}` : ''}` };
}

const projectOfBuild = (ctx: RequestContext, id: string) => projectArn(ctx, buildIdOf(id).split(':')[0] ?? '');

function checkBuildId(id: string): string {
  const buildId = buildIdOf(id);
  if (!/^[A-Za-z0-9][A-Za-z0-9\-_]{1,149}:[A-Za-z0-9-]+$/.test(buildId)) throw invalidInput('Invalid build ID provided');
  return buildId;
}

export function buildOperations(c: CodeBuildContext): Record<string, OperationSpec> {
  /** Writes a new build in SUBMITTED and hands it to the scheduler, in one transaction. */
  const submit = (b: Omit<BuildRecord, 'id' | 'arn' | 'buildNumber' | 'startTime' | 'phases'>, token?: { value: string; hash: string }): BuildRecord => {
    const uuid = c.deps.ids.uuid();
    const id = `${b.projectName}:${uuid}`;
    const now = c.now();
    const record = c.store.transaction(() => {
      const record: BuildRecord = {
        ...b,
        id,
        arn: buildArn(b, id),
        buildNumber: c.store.nextBuildNumber(b, b.projectName),
        startTime: now,
        phases: [{ phaseType: 'SUBMITTED', startTime: now }],
        artifactResult: plannedArtifact(b.artifacts, uuid),
      };
      c.store.insertBuild(record, now);
      if (token) c.store.rememberToken(b, token.value, token.hash, id, now);
      c.runner.enqueue(id);
      return record;
    });
    publishBuildState(c.deps, record);
    return record;
  };

  return {
    StartBuild: operation<StartBuildInput, StartBuildOutput>({
      iam: { action: 'codebuild:StartBuild', resource: (i, ctx) => projectArn(ctx, projectNameOf(ctx, i.projectName ?? '') ?? i.projectName ?? '') },
      handler: async (input, ctx) => {
        const name = projectNameOf(ctx, input.projectName!) ?? input.projectName!;
        const project = c.store.project(ctx, name);
        if (!project) throw projectNotFound(projectArn(ctx, name));
        let token: { value: string; hash: string } | undefined;
        if (input.idempotencyToken) {
          const { idempotencyToken, ...rest } = input;
          token = { value: idempotencyToken, hash: createHash('sha256').update(JSON.stringify(rest)).digest('hex') };
          const seen = c.store.idempotent(ctx, idempotencyToken, c.now() - IDEMPOTENCY_WINDOW_MS);
          if (seen) {
            if (seen.request_hash !== token.hash) throw invalidInput(`Idempotency token ${idempotencyToken} was already used with different parameters`);
            const existing = c.store.build(seen.build_id);
            if (existing) return { build: buildView(existing) };
          }
        }
        const d = project.doc;
        checkVariables(input.environmentVariablesOverride);
        const source = {
          ...d.source,
          ...(input.sourceTypeOverride ? { type: input.sourceTypeOverride } : {}),
          ...(input.sourceLocationOverride !== undefined ? { location: input.sourceLocationOverride } : {}),
          ...(input.buildspecOverride !== undefined ? { buildspec: input.buildspecOverride } : {}),
          ...(input.gitCloneDepthOverride !== undefined ? { gitCloneDepth: input.gitCloneDepthOverride } : {}),
          ...(input.gitSubmodulesConfigOverride ? { gitSubmodulesConfig: input.gitSubmodulesConfigOverride } : {}),
          ...(input.insecureSslOverride !== undefined ? { insecureSsl: input.insecureSslOverride } : {}),
          ...(input.reportBuildStatusOverride !== undefined ? { reportBuildStatus: input.reportBuildStatusOverride } : {}),
          ...(input.buildStatusConfigOverride ? { buildStatusConfig: input.buildStatusConfigOverride } : {}),
          ...(input.sourceAuthOverride ? { auth: input.sourceAuthOverride } : {}),
        };
        checkSource(source, true);
        const secondarySources = input.secondarySourcesOverride ?? d.secondarySources ?? [];
        for (const s of secondarySources) checkSource(s, false);
        const artifacts = checkArtifacts(input.artifactsOverride ?? d.artifacts, true);
        const secondaryArtifacts = (input.secondaryArtifactsOverride ?? d.secondaryArtifacts ?? []).map((a) => checkArtifacts(a, false));
        const serviceRole = input.serviceRoleOverride ? await checkServiceRole(c, input.serviceRoleOverride, ctx) : d.serviceRole;
        const record = submit(
          {
            accountId: ctx.accountId,
            region: ctx.region,
            projectName: name,
            currentPhase: 'SUBMITTED',
            buildStatus: 'IN_PROGRESS',
            buildComplete: false,
            ...((input.sourceVersion ?? d.sourceVersion) !== undefined ? { sourceVersion: input.sourceVersion ?? d.sourceVersion } : {}),
            initiator: ((input as unknown as Record<symbol, unknown>)[INITIATOR] as string | undefined) ?? initiatorOf(ctx.caller),
            source,
            secondarySources,
            secondarySourceVersions: input.secondarySourcesVersionOverride ?? d.secondarySourceVersions ?? [],
            artifacts,
            secondaryArtifacts,
            cache: input.cacheOverride ?? d.cache,
            environment: {
              ...d.environment,
              ...(input.environmentTypeOverride ? { type: input.environmentTypeOverride } : {}),
              ...(input.imageOverride ? { image: input.imageOverride } : {}),
              ...(input.computeTypeOverride ? { computeType: input.computeTypeOverride } : {}),
              ...(input.privilegedModeOverride !== undefined ? { privilegedMode: input.privilegedModeOverride } : {}),
              ...(input.certificateOverride !== undefined ? { certificate: input.certificateOverride } : {}),
              ...(input.imagePullCredentialsTypeOverride ? { imagePullCredentialsType: input.imagePullCredentialsTypeOverride } : {}),
              ...(input.registryCredentialOverride ? { registryCredential: input.registryCredentialOverride } : {}),
              environmentVariables: mergeVariables(d.environment.environmentVariables, input.environmentVariablesOverride),
            },
            serviceRole,
            logsConfig: {
              cloudWatchLogs: { ...d.logsConfig.cloudWatchLogs, ...input.logsConfigOverride?.cloudWatchLogs } as BuildRecord['logsConfig']['cloudWatchLogs'],
              s3Logs: { ...d.logsConfig.s3Logs, ...input.logsConfigOverride?.s3Logs } as BuildRecord['logsConfig']['s3Logs'],
            },
            timeoutInMinutes: input.timeoutInMinutesOverride ?? d.timeoutInMinutes,
            queuedTimeoutInMinutes: input.queuedTimeoutInMinutesOverride ?? d.queuedTimeoutInMinutes,
            ...((input.encryptionKeyOverride ?? d.encryptionKey) ? { encryptionKey: input.encryptionKeyOverride ?? d.encryptionKey } : {}),
            ...((input.autoRetryLimitOverride ?? d.autoRetryLimit) !== undefined ? { autoRetryLimit: input.autoRetryLimitOverride ?? d.autoRetryLimit } : {}),
            endpoint: c.buildEndpoint(ctx),
            callerArn: ctx.caller.arn,
          },
          token,
        );
        return { build: buildView(record) };
      },
    }),

    BatchGetBuilds: operation<BatchGetBuildsInput, BatchGetBuildsOutput>({
      iam: { action: 'codebuild:BatchGetBuilds', resource: (i, ctx) => projectOfBuild(ctx, i.ids?.[0] ?? '') },
      handler: (input, ctx) => {
        const builds: Build[] = [];
        const buildsNotFound: string[] = [];
        for (const requested of input.ids ?? []) {
          const b = c.store.build(buildIdOf(requested));
          if (b && b.accountId === ctx.accountId && b.region === ctx.region) builds.push(buildView(b));
          else buildsNotFound.push(requested);
        }
        return { builds, buildsNotFound };
      },
    }),

    ListBuilds: operation<ListBuildsInput, ListBuildsOutput>({
      iam: { action: 'codebuild:ListBuilds', resource: () => '*' },
      handler: (input, ctx) => {
        const { items, nextToken } = page(c.store.buildIds(ctx, input.sortOrder ?? 'DESCENDING'), input.nextToken);
        return { ids: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    ListBuildsForProject: operation<ListBuildsForProjectInput, ListBuildsForProjectOutput>({
      iam: { action: 'codebuild:ListBuildsForProject', resource: (i, ctx) => projectArn(ctx, projectNameOf(ctx, i.projectName ?? '') ?? i.projectName ?? '') },
      handler: (input, ctx) => {
        const name = projectNameOf(ctx, input.projectName!) ?? input.projectName!;
        if (!c.store.project(ctx, name)) throw projectNotFound(projectArn(ctx, name));
        const { items, nextToken } = page(c.store.buildIds(ctx, input.sortOrder ?? 'DESCENDING', name), input.nextToken);
        return { ids: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    StopBuild: operation<StopBuildInput, StopBuildOutput>({
      iam: { action: 'codebuild:StopBuild', resource: (i, ctx) => projectOfBuild(ctx, i.id ?? '') },
      handler: async (input, ctx) => {
        const id = checkBuildId(input.id!);
        const b = c.store.build(id);
        if (!b || b.accountId !== ctx.accountId || b.region !== ctx.region) throw resourceNotFound(`Build cannot be found: ${input.id}`);
        c.runner.stop(b);
        // The container is killed at once; give the runner a moment to record the end.
        const settled = c.runner.settled(id);
        if (settled) await Promise.race([settled, new Promise((r) => setTimeout(r, 5000).unref())]);
        return { build: buildView(c.store.build(id)!) };
      },
    }),

    RetryBuild: operation<RetryBuildInput, RetryBuildOutput>({
      iam: { action: 'codebuild:RetryBuild', resource: (i, ctx) => projectOfBuild(ctx, i.id ?? '') },
      handler: (input, ctx) => {
        const id = checkBuildId(input.id ?? '');
        const old = c.store.build(id);
        if (!old || old.accountId !== ctx.accountId || old.region !== ctx.region) throw resourceNotFound(`Build cannot be found: ${input.id}`);
        if (!c.store.project(ctx, old.projectName)) throw projectNotFound(projectArn(ctx, old.projectName));
        let token: { value: string; hash: string } | undefined;
        if (input.idempotencyToken) {
          token = { value: input.idempotencyToken, hash: createHash('sha256').update(`retry:${id}`).digest('hex') };
          const seen = c.store.idempotent(ctx, input.idempotencyToken, c.now() - IDEMPOTENCY_WINDOW_MS);
          if (seen) {
            if (seen.request_hash !== token.hash) throw invalidInput(`Idempotency token ${input.idempotencyToken} was already used with different parameters`);
            const existing = c.store.build(seen.build_id);
            if (existing) return { build: buildView(existing) };
          }
        }
        const record = submit(
          {
            accountId: old.accountId,
            region: old.region,
            projectName: old.projectName,
            currentPhase: 'SUBMITTED',
            buildStatus: 'IN_PROGRESS',
            buildComplete: false,
            ...(old.sourceVersion !== undefined ? { sourceVersion: old.sourceVersion } : {}),
            initiator: initiatorOf(ctx.caller),
            source: old.source,
            secondarySources: old.secondarySources,
            secondarySourceVersions: old.secondarySourceVersions,
            artifacts: old.artifacts,
            secondaryArtifacts: old.secondaryArtifacts,
            cache: old.cache,
            environment: old.environment,
            serviceRole: old.serviceRole,
            logsConfig: old.logsConfig,
            timeoutInMinutes: old.timeoutInMinutes,
            queuedTimeoutInMinutes: old.queuedTimeoutInMinutes,
            ...(old.encryptionKey ? { encryptionKey: old.encryptionKey } : {}),
            ...(old.autoRetryLimit !== undefined ? { autoRetryLimit: old.autoRetryLimit } : {}),
            endpoint: c.buildEndpoint(ctx),
            callerArn: ctx.caller.arn,
          },
          token,
        );
        return { build: buildView(record) };
      },
    }),

    BatchDeleteBuilds: operation<BatchDeleteBuildsInput, BatchDeleteBuildsOutput>({
      iam: { action: 'codebuild:BatchDeleteBuilds', resource: (i, ctx) => projectOfBuild(ctx, i.ids?.[0] ?? '') },
      handler: (input, ctx) => {
        const buildsDeleted: string[] = [];
        const buildsNotDeleted: BuildNotDeleted[] = [];
        for (const requested of input.ids ?? []) {
          const id = buildIdOf(requested);
          const b = c.store.build(id);
          if (!b || b.accountId !== ctx.accountId || b.region !== ctx.region) buildsNotDeleted.push({ id: requested, statusCode: 'BUILD_NOT_FOUND' });
          else if (!b.buildComplete) buildsNotDeleted.push({ id: requested, statusCode: 'BUILD_IN_PROGRESS' });
          else {
            c.store.deleteBuild(id);
            buildsDeleted.push(requested);
          }
        }
        return { buildsDeleted, buildsNotDeleted };
      },
    }),

    ListCuratedEnvironmentImages: operation<ListCuratedEnvironmentImagesInput, ListCuratedEnvironmentImagesOutput>({
      iam: { action: 'codebuild:ListCuratedEnvironmentImages', resource: () => '*' },
      handler: () => ({ platforms: CURATED_IMAGES }),
    }),
  };
}

