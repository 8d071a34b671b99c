import type { BuildArtifacts, BuildPhaseType, ProjectSource, StatusType } from '@aws-sdk/client-codebuild';
import { rmSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServiceDeps } from '../core/deps.js';
import { isAwsError } from '../core/errors.js';
import { RetryJobAt, type Scheduler } from '../core/scheduler.js';
import { BASE_ENV_FILE, commandScript, environmentFile, expandScript, readVariablesScript, VARIABLE_NAME, type ScriptOptions } from './agent-scripts.js';
import { ArtifactError, uploadArtifact } from './artifacts.js';
import { BuildLog } from './build-log.js';
import { codebuildVariables, type SourceDirs } from './build-env.js';
import { BuildspecError, parseBuildspec, PHASE_NAMES, type Buildspec, type PhaseName, type PhaseSpec } from './buildspec.js';
import { resolveVariables, VariableError } from './environment.js';
import { ProvisionError, type BuildHost, type Executor } from '../executors/executor.js';
import type { BuildCredentials, Platform } from './platform.js';
import type { BuildRecord, PhaseContextRecord } from './records.js';
import { fetchSource, parseCodeCommitLocation, parseS3Location, SourceError } from './sources.js';
import { publishBuildState, publishPhaseChange } from './state-events.js';
import type { CodeBuildStore } from './store.js';
import { logsLocation } from './views.js';

export const BUILD_JOB = 'codebuild.build';

const SUCCESS_CONTEXT: PhaseContextRecord = { statusCode: '', message: '' };

/** A phase that ends other than SUCCEEDED, with the context CodeBuild reports. */
class PhaseFailure extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly status: StatusType = 'FAILED',
  ) {
    super(message);
  }
}

interface Interrupt {
  status: StatusType;
  context: PhaseContextRecord;
}

interface Active {
  interrupt?: Interrupt;
  host?: BuildHost;
  timer?: NodeJS.Timeout;
  done?: Promise<void>;
}

/** Reports from a finished build's files (report groups, test cases); injected so the runner does not know their tables. */
export type ReportsHook = (b: BuildRecord, buildspec: Buildspec, root: string, log: (line: string) => void) => Promise<string[]>;

export interface RunnerOptions {
  deps: ServiceDeps;
  store: CodeBuildStore;
  platform: Platform;
  scheduler: Scheduler;
  executor: () => Promise<Executor>;
  reports: ReportsHook;
}

const PHASE_OF: Record<PhaseName, BuildPhaseType> = { install: 'INSTALL', pre_build: 'PRE_BUILD', build: 'BUILD', post_build: 'POST_BUILD' };

export const uuidOf = (buildId: string) => buildId.slice(buildId.lastIndexOf(':') + 1);

/**
 * Drives builds through CodeBuild's phases. The state machine is the build record: each phase is
 * written before it acts and after it ends, so a restart finds every build where it stood. The
 * scheduler takes a build out of the queue (respecting the project's concurrent build limit and
 * queued timeout); from then on the build runs here until COMPLETED. A build this process was
 * not running when it started (the server stopped under it) is ended FAILED, with a context that
 * says so, and its container is removed.
 */
export class BuildRunner {
  private readonly active = new Map<string, Active>();
  private closing = false;

  constructor(private readonly o: RunnerOptions) {
    o.scheduler.register<{ buildId: string }>(BUILD_JOB, (job) => this.onJob(job.payload.buildId));
  }

  private now(): number {
    return this.o.deps.clock.now().getTime();
  }

  private save(b: BuildRecord): void {
    this.o.store.saveBuild(b, this.now());
  }

  enqueue(buildId: string, runAt?: number, ifAbsent = false): void {
    this.o.scheduler.enqueue({ kind: BUILD_JOB, key: `${BUILD_JOB}:${buildId}`, payload: { buildId }, runAt, ifAbsent, maxAttempts: 1000 });
  }

  isActive(buildId: string): boolean {
    return this.active.has(buildId);
  }

  /** The end of a build this process runs, for StopBuild to wait on. */
  settled(buildId: string): Promise<void> | undefined {
    return this.active.get(buildId)?.done;
  }

  // Phase bookkeeping

  private begin(b: BuildRecord, type: BuildPhaseType): void {
    b.phases.push({ phaseType: type, startTime: this.now() });
    b.currentPhase = type;
    this.save(b);
  }

  private end(b: BuildRecord, status: StatusType, context: PhaseContextRecord, log?: BuildLog): void {
    const phase = b.phases.at(-1)!;
    const end = this.now();
    phase.endTime = end;
    phase.durationInSeconds = Math.max(0, Math.round((end - phase.startTime) / 1000));
    phase.phaseStatus = status;
    phase.contexts = [context];
    this.save(b);
    log?.agent(`Phase complete: ${phase.phaseType} State: ${status}`);
    log?.agent(`Phase context status code: ${context.statusCode} Message: ${context.message}`);
    publishPhaseChange(this.o.deps, b, phase);
  }

  private complete(b: BuildRecord, status: StatusType): void {
    b.phases.push({ phaseType: 'COMPLETED', startTime: this.now() });
    b.currentPhase = 'COMPLETED';
    b.buildStatus = status;
    b.buildComplete = true;
    b.endTime = this.now();
    this.save(b);
    publishBuildState(this.o.deps, b);
    this.kickQueue(b);
  }

  /** A build still in the queue ends without running (StopBuild, queued timeout). */
  private endQueued(b: BuildRecord, status: StatusType, context: PhaseContextRecord): void {
    if (b.currentPhase === 'SUBMITTED') {
      this.end(b, 'SUCCEEDED', SUCCESS_CONTEXT);
      this.begin(b, 'QUEUED');
    }
    this.end(b, status, context);
    this.complete(b, status);
    this.o.scheduler.cancel(`${BUILD_JOB}:${b.id}`);
  }

  private kickQueue(b: BuildRecord): void {
    if (this.closing) return;
    for (const id of this.o.store.queuedBuildIds(b, b.projectName)) this.enqueue(id);
  }

  // Scheduler entry point

  private async onJob(buildId: string): Promise<void> {
    const b = this.o.store.build(buildId);
    if (!b || b.buildComplete || this.active.has(buildId) || this.closing) return;
    if (b.currentPhase !== 'SUBMITTED' && b.currentPhase !== 'QUEUED') {
      this.abandon(b, `codesuite restarted while the build was in ${b.currentPhase}; the build was not resumed.`);
      return;
    }
    if (b.stopRequested) {
      this.endQueued(b, 'STOPPED', { statusCode: 'BUILD_STOPPED', message: 'Build was stopped while it was queued.' });
      return;
    }
    const queued = b.phases.find((p) => p.phaseType === 'QUEUED') ?? b.phases.at(-1)!;
    const deadline = queued.startTime + b.queuedTimeoutInMinutes * 60_000;
    if (this.now() >= deadline) {
      this.endQueued(b, 'TIMED_OUT', { statusCode: 'BUILD_TIMED_OUT', message: `Build timed out in the queue after ${b.queuedTimeoutInMinutes} minutes.` });
      return;
    }
    if (b.currentPhase === 'SUBMITTED') {
      this.end(b, 'SUCCEEDED', SUCCESS_CONTEXT);
      this.begin(b, 'QUEUED');
    }
    const limit = this.o.store.project(b, b.projectName)?.doc.concurrentBuildLimit;
    if (limit !== undefined && limit > 0 && this.o.store.runningCount(b, b.projectName) >= limit) {
      throw new RetryJobAt(`project ${b.projectName} is at its concurrent build limit of ${limit}`, Math.min(this.now() + 5000, deadline));
    }
    this.end(b, 'SUCCEEDED', SUCCESS_CONTEXT);
    this.begin(b, 'PROVISIONING');
    const a: Active = {};
    this.active.set(b.id, a);
    a.done = this.run(b, a).finally(() => {
      if (a.timer) clearInterval(a.timer);
      this.active.delete(b.id);
    });
  }

  /** StopBuild: a queued build ends at once; a running one has its commands killed and ends STOPPED. */
  stop(b: BuildRecord): void {
    if (b.buildComplete) return;
    b.stopRequested = true;
    const a = this.active.get(b.id);
    if (a) {
      this.save(b);
      this.interrupt(a, { status: 'STOPPED', context: { statusCode: 'BUILD_STOPPED', message: 'Build was stopped.' } });
    } else if (b.currentPhase === 'SUBMITTED' || b.currentPhase === 'QUEUED') {
      this.endQueued(b, 'STOPPED', { statusCode: 'BUILD_STOPPED', message: 'Build was stopped while it was queued.' });
    } else this.save(b);
  }

  private interrupt(a: Active, interrupt: Interrupt): void {
    if (a.interrupt) return;
    a.interrupt = interrupt;
    void a.host?.kill();
  }

  /** Ends a build that no process runs any more: the server stopped while it ran. */
  abandon(b: BuildRecord, reason: string): void {
    const current = b.phases.at(-1);
    if (current && current.endTime === undefined) this.end(b, 'FAILED', { statusCode: 'CODESUITE_RESTARTED', message: reason });
    if (b.currentPhase !== 'FINALIZING') {
      this.begin(b, 'FINALIZING');
      this.end(b, 'SUCCEEDED', SUCCESS_CONTEXT);
    }
    const handle = b.containerId ?? b.workDir;
    if (handle && b.executor) {
      void this.o
        .executor()
        .then((e) => (e.kind === b.executor ? e.reclaim(handle) : undefined))
        .catch(() => undefined);
    }
    this.complete(b, 'FAILED');
  }

  /** Ends what runs (server shutdown): each build ends FAILED, its container removed. */
  async close(): Promise<void> {
    this.closing = true;
    const running = [...this.active.values()];
    for (const a of running) {
      this.interrupt(a, { status: 'FAILED', context: { statusCode: 'CODESUITE_STOPPED', message: 'codesuite stopped while the build was running.' } });
    }
    await Promise.race([Promise.allSettled(running.map((a) => a.done)), new Promise((r) => setTimeout(r, 15_000).unref())]);
  }

  /** On start-up: queued builds wait for their job again; running ones were cut off by the restart. */
  recover(): void {
    // Scratch folders of builds a crash ended: no build runs yet, so none of them is in use.
    rmSync(join(this.o.deps.filesDir, 'work'), { recursive: true, force: true });
    for (const b of this.o.store.openBuilds()) {
      if (b.currentPhase === 'SUBMITTED' || b.currentPhase === 'QUEUED') this.enqueue(b.id, undefined, true);
      else this.abandon(b, `codesuite restarted while the build was in ${b.currentPhase}; the build container is gone.`);
    }
  }

  // The build itself

  private async run(b: BuildRecord, a: Active): Promise<void> {
    const { deps, platform } = this.o;
    const uuid = uuidOf(b.id);
    const scratch = join(deps.filesDir, 'work', uuid);
    const logs = logsLocation(b);
    const log = new BuildLog(
      logs.groupName ? platform.logs : undefined,
      logs.groupName ? { accountId: b.accountId, region: b.region, groupName: logs.groupName, streamName: logs.streamName! } : undefined,
      () => deps.clock.now(),
      (err) => deps.logger.warn({ err, buildId: b.id }, 'could not write the build log to CloudWatch Logs'),
      b.logsConfig.s3Logs?.status === 'ENABLED',
    );
    // The build's clock starts when it leaves the queue; the injected clock is watched, so tests can move it.
    const deadline = b.phases.find((p) => p.phaseType === 'PROVISIONING')!.startTime + b.timeoutInMinutes * 60_000;
    a.timer = setInterval(() => {
      if (this.now() >= deadline) this.interrupt(a, { status: 'TIMED_OUT', context: { statusCode: 'BUILD_TIMED_OUT', message: 'Build has timed out. ' } });
    }, 250);
    a.timer.unref();

    let failed = false;
    let fault = false;
    let host: BuildHost | undefined;
    let buildspec: Buildspec | undefined;
    let credentials: BuildCredentials | undefined;
    let script: ScriptOptions | undefined;
    let shell = '/bin/sh';
    const dirs: SourceDirs = { primary: '', secondary: {}, repoUrls: { primary: '', secondary: {} }, versions: { secondary: {} } };

    /** Runs one phase: its outcome is what the action throws, or an interrupt that arrived meanwhile. */
    const phase = async (type: BuildPhaseType, action: () => Promise<void>, alreadyBegun = false): Promise<'ok' | 'failed' | 'interrupted'> => {
      if (!alreadyBegun) this.begin(b, type);
      if (!a.interrupt) {
        try {
          await action();
        } catch (err) {
          if (a.interrupt) {
            // The failure is the interrupt's doing (a killed container).
          } else if (err instanceof PhaseFailure) {
            failed = true;
            this.end(b, err.status, { statusCode: err.statusCode, message: err.message }, log);
            return 'failed';
          } else {
            failed = true;
            fault = true;
            deps.logger.error({ err, buildId: b.id, phase: type }, 'build phase faulted');
            this.end(b, 'FAULT', { statusCode: 'CLIENT_ERROR', message: `codesuite could not complete the ${type} phase: ${(err as Error).message}` }, log);
            return 'failed';
          }
        }
      }
      if (a.interrupt) {
        this.end(b, a.interrupt.status, a.interrupt.context, log);
        return 'interrupted';
      }
      this.end(b, 'SUCCEEDED', SUCCESS_CONTEXT, log);
      return 'ok';
    };

    let toFinalizing = false;
    try {
      // PROVISIONING: credentials, the container (or work directory), the log stream.
      const provisioned = await phase(
        'PROVISIONING',
        async () => {
          const executor = await this.o.executor();
          log.agent(`Running on codesuite, ${executor.kind} executor`);
          log.agent('Waiting for agent ping');
          credentials = platform.roleCredentials(b.serviceRole, `AWSCodeBuild-${uuid}`, b.timeoutInMinutes * 60 + 3600, b.callerArn);
          log.mask(credentials.accessKeyId);
          log.mask(credentials.secretAccessKey);
          log.mask(credentials.sessionToken);
          await mkdir(scratch, { recursive: true });
          b.executor = executor.kind;
          this.save(b);
          try {
            host = await executor.provision({
              buildId: b.id,
              image: b.environment.image ?? '',
              computeType: b.environment.computeType ?? 'BUILD_GENERAL1_SMALL',
              privileged: b.environment.privilegedMode ?? false,
              env: {},
              workDir: join(scratch, 'env'),
            });
          } catch (err) {
            if (err instanceof ProvisionError) throw new PhaseFailure(err.statusCode, err.message);
            throw err;
          }
          a.host = host;
          if (host.kind === 'docker') b.containerId = host.handle;
          else b.workDir = host.handle;
          this.save(b);
          if (a.interrupt) await host.kill();
        },
        true,
      );
      if (provisioned !== 'ok') toFinalizing = true;

      // DOWNLOAD_SOURCE: sources in, buildspec read, variables resolved.
      if (!toFinalizing) {
        const downloaded = await phase('DOWNLOAD_SOURCE', async () => {
          log.agent('Waiting for DOWNLOAD_SOURCE');
          log.agent('Phase is DOWNLOAD_SOURCE');
          const h = host!;
          const srcBase = h.layout.srcRoot;
          const local = h.kind === 'local';
          const fetchCtx = { platform, scope: { accountId: b.accountId, region: b.region }, principal: credentials!.principal, log: (l: string) => log.agent(l) };
          const trees: { from: string; to: string }[] = [];
          const primarySub = subPathOf(b.source, b.region);
          dirs.primary = primarySub ? posix.join(srcBase, primarySub) : srcBase;
          log.agent(`CODEBUILD_SRC_DIR=${dirs.primary}`);
          const primaryStage = local ? dirs.primary : join(scratch, 'src', 'primary');
          try {
            const fetched = await fetchSource(b.source, b.sourceVersion, primaryStage, b.source.gitCloneDepth, { ...fetchCtx, label: 'primary source' });
            dirs.repoUrls.primary = fetched.repoUrl;
            dirs.versions.primary = b.sourceVersion;
            if (fetched.resolvedVersion) b.resolvedSourceVersion = fetched.resolvedVersion;
            if (!local) trees.push({ from: primaryStage, to: dirs.primary });
            for (const [i, source] of b.secondarySources.entries()) {
              const id = source.sourceIdentifier ?? `source${i + 1}`;
              const version = b.secondarySourceVersions.find((v) => v.sourceIdentifier === id)?.sourceVersion;
              const sub = subPathOf(source, b.region);
              const root = posix.join(posix.dirname(posix.dirname(srcBase)), `${posix.basename(posix.dirname(srcBase))}${i + 1}`, 'src');
              const dir = sub ? posix.join(root, sub) : root;
              dirs.secondary[id] = dir;
              log.agent(`CODEBUILD_SRC_DIR_${id}=${dir}`);
              const stage = local ? dir : join(scratch, 'src', `secondary-${i}`);
              const got = await fetchSource(source, version, stage, source.gitCloneDepth, { ...fetchCtx, label: `secondary source ${id}` });
              dirs.repoUrls.secondary[id] = got.repoUrl;
              dirs.versions.secondary[id] = version;
              if (!local) trees.push({ from: stage, to: dir });
            }
          } catch (err) {
            if (err instanceof SourceError) throw new PhaseFailure(err.statusCode, err.message);
            throw err;
          }

          const located = await this.locateBuildspec(b, h, dirs.primary, primaryStage, credentials!);
          log.agent(`YAML location is ${located.path}`);
          try {
            buildspec = parseBuildspec(located.text);
          } catch (err) {
            if (err instanceof BuildspecError) throw new PhaseFailure('YAML_FILE_ERROR', err.message);
            throw err;
          }
          shell = buildspec.env.shell === 'bash' ? 'bash' : '/bin/sh';
          log.agent('Processing environment variables');
          let resolved;
          try {
            resolved = await resolveVariables({ platform, scope: { accountId: b.accountId, region: b.region }, principal: credentials!.principal }, buildspec, b.environment.environmentVariables ?? []);
          } catch (err) {
            if (err instanceof VariableError) throw new PhaseFailure(err.statusCode, err.message);
            throw err;
          }
          for (const secret of resolved.secrets) log.mask(secret);
          const variables = { ...resolved.values, ...codebuildVariables(b, dirs, credentials!) };
          script = { tmpDir: h.layout.tmpDir, srcDir: dirs.primary, carry: buildspec.version === '0.2', succeeding: true };
          await h.copyIn({
            dirs: [h.layout.tmpDir, dirs.primary, ...Object.values(dirs.secondary)],
            trees,
            files: [
              { name: `${h.layout.tmpDir}/${BASE_ENV_FILE}`, content: environmentFile(variables), mode: 0o666 },
              ...(located.inline ? [{ name: located.path, content: located.text, mode: 0o644 }] : []),
            ],
          });
          log.agent(`Moving to directory ${dirs.primary}`);
          const found = PHASE_NAMES.filter((p) => buildspec!.phases[p]);
          log.agent(`Phases found in YAML: ${found.length}`);
          for (const p of found) log.agent(` ${PHASE_OF[p]}: ${buildspec!.phases[p]!.commands.length} commands`);
        });
        if (downloaded !== 'ok') toFinalizing = true;
      }

      // INSTALL, PRE_BUILD, BUILD, POST_BUILD.
      let skipRest = toFinalizing;
      let reachedUpload = !toFinalizing;
      for (const name of PHASE_NAMES) {
        if (skipRest) break;
        const spec = buildspec!.phases[name];
        const type = PHASE_OF[name];
        let commandFailed = false;
        const outcome = await phase(type, async () => {
          log.agent(`Entering phase ${type}`);
          if (spec) {
            const failure = await this.runCommands(a, host!, spec, { ...script!, succeeding: !failed }, shell, spec.runAs ?? buildspec!.runAs, log);
            if (failure) {
              commandFailed = true;
              throw new PhaseFailure('COMMAND_EXECUTION_ERROR', `Error while executing command: ${failure.command}. Reason: exit status ${failure.code}`);
            }
          }
        });
        if (outcome === 'interrupted') {
          skipRest = true;
          reachedUpload = false;
        } else if (outcome === 'failed') {
          if (spec?.onFailure === 'CONTINUE') continue;
          if (spec?.onFailure === 'ABORT' || !commandFailed || type === 'INSTALL' || type === 'PRE_BUILD') {
            skipRest = true;
            reachedUpload = false;
          }
          // A failing BUILD still runs POST_BUILD; a failing POST_BUILD still uploads.
        }
      }

      // UPLOAD_ARTIFACTS: exported variables, artifacts, reports.
      if (reachedUpload && !a.interrupt) {
        await phase('UPLOAD_ARTIFACTS', async () => {
          const h = host!;
          const exported = buildspec!.env.exportedVariables.filter((n) => VARIABLE_NAME.test(n));
          if (exported.length > 0) {
            const values = await this.readVariables(h, exported, script!, shell);
            b.exportedEnvironmentVariables = exported.map((name, i) => ({ name, value: values[i] ?? '' }));
            this.save(b);
          }
          const needsFiles = b.artifacts.type !== 'NO_ARTIFACTS' || b.secondaryArtifacts.length > 0 || Object.keys(buildspec!.reports).length > 0;
          if (!needsFiles) return;
          const root = await h.readDir(dirs.primary, join(scratch, 'out'));
          const ctx = {
            platform,
            principal: credentials!.principal,
            buildArn: b.arn,
            buildUuid: uuid,
            root,
            scratch,
            log: (l: string) => log.agent(l),
            expandName: (name: string) => this.expand(h, name, script!, shell),
          };
          let problem: ArtifactError | undefined;
          try {
            b.artifactResult = await uploadArtifact(b.artifacts, buildspec!.artifacts, ctx, false);
            const results: BuildArtifacts[] = [];
            for (const config of b.secondaryArtifacts) {
              results.push(await uploadArtifact(config, buildspec!.artifacts?.secondary[config.artifactIdentifier ?? ''], ctx, true));
            }
            b.secondaryArtifactResults = results;
            this.save(b);
          } catch (err) {
            if (!(err instanceof ArtifactError)) throw err;
            problem = err;
          }
          if (Object.keys(buildspec!.reports).length > 0) {
            try {
              b.reportArns = await this.o.reports(b, buildspec!, root, (l) => log.agent(l));
              this.save(b);
            } catch (err) {
              log.agent(`Error while uploading reports: ${(err as Error).message}`);
            }
          }
          if (problem) throw new PhaseFailure(problem.statusCode, problem.message);
        });
      }
    } catch (err) {
      fault = true;
      deps.logger.error({ err, buildId: b.id }, 'build failed unexpectedly');
    }

    // FINALIZING: the container goes, the log is flushed (and copied to S3 when configured).
    this.begin(b, 'FINALIZING');
    try {
      await host?.dispose();
    } catch (err) {
      deps.logger.warn({ err, buildId: b.id }, 'could not remove the build environment');
    }
    log.flush();
    if (b.logsConfig.s3Logs?.status === 'ENABLED' && b.logsConfig.s3Logs.location && credentials) {
      const location = parseS3Location(`${b.logsConfig.s3Logs.location.replace(/\/+$/, '')}/${uuid}.gz`);
      if (location) {
        try {
          await platform.putObject(credentials.principal, location.bucket, location.key, gzipSync(log.text()), {}, 'application/gzip');
        } catch (err) {
          deps.logger.warn({ err, buildId: b.id }, 'could not write the build log to S3');
        }
      }
    }
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    this.end(b, 'SUCCEEDED', SUCCESS_CONTEXT);
    const status: StatusType = a.interrupt ? a.interrupt.status : fault ? 'FAULT' : failed ? 'FAILED' : 'SUCCEEDED';
    this.complete(b, status);
  }

  private async runCommands(
    a: Active,
    host: BuildHost,
    spec: PhaseSpec,
    script: ScriptOptions,
    shell: string,
    user: string | undefined,
    log: BuildLog,
  ): Promise<{ command: string; code: number } | undefined> {
    let failure: { command: string; code: number } | undefined;
    const runOne = async (command: string): Promise<boolean> => {
      log.agent(`Running command ${command}`);
      const code = await host.exec({
        shell,
        script: commandScript(command, script),
        user,
        onStdout: (c) => log.output(c, 'out'),
        onStderr: (c) => log.output(c, 'err'),
      });
      log.endOutput();
      if (a.interrupt || code === null) return false;
      if (code !== 0) {
        log.agent(`Command did not exit successfully ${command} exit status ${code}`);
        failure ??= { command, code };
        return false;
      }
      return true;
    };
    for (const command of spec.commands) {
      if (a.interrupt || !(await runOne(command))) break;
    }
    // `finally` runs after the commands, whether or not one failed (not after a stop or timeout).
    for (const command of spec.finally) {
      if (a.interrupt || !(await runOne(command))) break;
    }
    return failure;
  }

  private async readVariables(host: BuildHost, names: string[], script: ScriptOptions, shell: string): Promise<string[]> {
    const chunks: Buffer[] = [];
    const code = await host.exec({ shell, script: readVariablesScript(names, script), onStdout: (c) => chunks.push(c) });
    if (code !== 0) return [];
    return Buffer.concat(chunks).toString('utf8').split('\0');
  }

  private async expand(host: BuildHost, text: string, script: ScriptOptions, shell: string): Promise<string> {
    const chunks: Buffer[] = [];
    const code = await host.exec({ shell, script: expandScript(text, script), onStdout: (c) => chunks.push(c) });
    const value = Buffer.concat(chunks).toString('utf8');
    return code === 0 && value ? value : text;
  }

  /**
   * The buildspec: inline text (written to `/codebuild/readonly/buildspec.yml`), an S3 object
   * (`arn:aws:s3:::bucket/key`), or a file of the primary source (`buildspec.yml` by default).
   */
  private async locateBuildspec(
    b: BuildRecord,
    host: BuildHost,
    srcDir: string,
    stage: string,
    credentials: BuildCredentials,
  ): Promise<{ path: string; text: string; inline: boolean }> {
    const spec = b.source.buildspec ?? '';
    if (isInlineBuildspec(spec)) return { path: `${host.layout.readonlyDir}/buildspec.yml`, text: spec, inline: true };
    if (spec.startsWith('arn:aws:s3:::')) {
      const location = parseS3Location(spec)!;
      try {
        const body = await this.o.platform.getObject(credentials.principal, location.bucket, location.key);
        return { path: spec, text: body.toString('utf8'), inline: false };
      } catch (err) {
        if (isAwsError(err)) throw new PhaseFailure('YAML_FILE_ERROR', `error while downloading buildspec ${spec}: ${err.code}: ${err.message}`);
        throw err;
      }
    }
    if (b.source.type === 'NO_SOURCE') throw new PhaseFailure('YAML_FILE_ERROR', 'a buildspec is required for NO_SOURCE builds: give an inline buildspec');
    const relative = spec || 'buildspec.yml';
    const path = posix.join(srcDir, relative);
    const onHost = join(stage, relative);
    try {
      if (!(await stat(onHost)).isFile()) throw new Error('not a file');
      return { path, text: await readFile(onHost, 'utf8'), inline: false };
    } catch {
      throw new PhaseFailure('YAML_FILE_ERROR', `stat ${path}: no such file or directory`);
    }
  }
}

/** An inline buildspec is YAML text, not a path: it spans lines or starts with its version key. */
export function isInlineBuildspec(spec: string): boolean {
  return spec.includes('\n') || /^\s*version\s*:/.test(spec);
}

/** The directory a source lands in under the source root, as CodeBuild lays them out. */
function subPathOf(source: ProjectSource, region: string): string {
  if (source.type === 'CODECOMMIT') {
    const parsed = parseCodeCommitLocation(source.location ?? '', region);
    return parsed ? `git-codecommit.${parsed.region}.amazonaws.com/v1/repos/${parsed.name}` : '';
  }
  return '';
}
