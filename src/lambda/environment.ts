import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { packageFile } from '../core/package-files.js';
import type { BuildHost, Executor } from '../executors/executor.js';
import type { FunctionLog } from './function-log.js';
import { launchCommand } from './runtimes.js';
import { RuntimeApi, MAX_RESPONSE_BYTES, type RuntimeEvent, type RuntimeReply } from './runtime-api.js';

/** How long Init may take before the environment is given up (AWS caps Init at 10 s). */
const INIT_LIMIT_MS = 10_000;

/** How one invocation ended, as the invoker reports it. */
export interface Outcome {
  payload: Buffer;
  /** Set when the function or runtime failed (`X-Amz-Function-Error: Unhandled`). */
  errorType?: string;
  durationMs: number;
  timedOut?: boolean;
}

export interface EnvironmentSpec {
  runtime: string;
  /** Host directory with the function's files. */
  taskDir: string;
  /** Host directory this environment may use (its /tmp when it runs as a host process). */
  workDir: string;
  /** The image for the Docker executor. */
  image: string;
  timeoutSeconds: number;
  /** Variables the runtime sees, besides AWS_LAMBDA_RUNTIME_API, LAMBDA_TASK_ROOT and the paths. */
  variables: Record<string, string>;
  log: FunctionLog;
}

const errorPayload = (errorType: string, errorMessage: string) => Buffer.from(JSON.stringify({ errorType, errorMessage }));

/**
 * One execution environment: a runtime process (through an executor), its own Runtime API
 * listener, its log stream. Initialised once, then invoked one event at a time until it times out,
 * crashes or is shut down for idling; globals and its /tmp survive between invocations.
 */
export class Environment {
  readonly id = randomBytes(16).toString('hex');
  private api!: RuntimeApi;
  private host: BuildHost | undefined;
  private pid: number | undefined;
  private pendingReply: ((reply: RuntimeReply | { kind: 'exit'; code: number | null }) => void) | undefined;
  private initSettled: ((result: { ok: true } | { ok: false; errorType: string; body: Buffer }) => void) | undefined;
  private initBody: { body: Buffer; errorType: string } | undefined;
  dead = false;
  initDurationMs = 0;
  idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly executor: Executor,
    readonly spec: EnvironmentSpec,
  ) {}

  /** Starts the runtime and waits for its Init; a failed Init answers with the error AWS reports for it. */
  async start(): Promise<{ ok: true } | { ok: false; errorType: string; body: Buffer }> {
    const started = performance.now();
    const init = new Promise<{ ok: true } | { ok: false; errorType: string; body: Buffer }>((resolve) => (this.initSettled = resolve));
    this.api = new RuntimeApi({
      ready: () => this.initSettled?.({ ok: true }),
      initError: (body, errorType) => (this.initBody = { body, errorType }),
      reply: (_id, reply) => this.pendingReply?.(reply),
    });
    const address = await this.api.listen();
    const local = this.executor.kind === 'local';
    const tmp = local ? join(this.spec.workDir, 'tmp') : '/tmp';
    const taskRoot = local ? this.spec.taskDir : '/var/task';
    const runtimeDir = local ? this.spec.taskDir : '/var/runtime-codesuite';
    if (local) await mkdir(tmp, { recursive: true });
    const launch = launchCommand(this.spec.runtime, this.executor.kind, taskRoot, runtimeDir);
    if ('missing' in launch) {
      this.dispose();
      return { ok: false, errorType: 'Runtime.InvalidEntrypoint', body: errorPayload('Runtime.InvalidEntrypoint', launch.missing) };
    }
    const env: Record<string, string> = {
      ...this.spec.variables,
      AWS_LAMBDA_RUNTIME_API: address,
      LAMBDA_TASK_ROOT: taskRoot,
      LAMBDA_RUNTIME_DIR: runtimeDir,
      TMPDIR: tmp,
      HOME: tmp,
      PYTHONUNBUFFERED: '1',
      PATH: local ? (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin') : '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    };
    if (this.spec.runtime.startsWith('python')) env.PYTHONPATH = taskRoot;
    // As on AWS, the runtime provides the AWS SDK: on the host, the SDK clients codesuite itself has.
    if (this.spec.runtime.startsWith('nodejs')) env.NODE_PATH = local ? [taskRoot, packageFile('node_modules'), process.env.NODE_PATH].filter(Boolean).join(':') : '/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task';
    try {
      this.host = await this.executor.provision({ buildId: `lambda-${this.id}`, image: this.spec.image, computeType: '', privileged: false, env, workDir: this.spec.workDir });
      if (!local) {
        await this.host.copyIn({ trees: [{ from: this.spec.taskDir, to: '/var/task' }, { from: packageFile('runtimes'), to: runtimeDir }], dirs: ['/tmp'] });
      }
    } catch (err) {
      this.dispose();
      return { ok: false, errorType: 'Runtime.InvalidEntrypoint', body: errorPayload('Runtime.InvalidEntrypoint', (err as Error).message) };
    }
    const output = (chunk: Buffer) => this.spec.log.output(chunk);
    const script = local ? `cd '${taskRoot.replace(/'/g, `'\\''`)}' && ${launch.command}` : `cd /var/task && ${launch.command}`;
    void this.host
      .exec({ shell: '/bin/sh', script, onStdout: output, onStderr: output, onSpawn: (pid) => (this.pid = pid) })
      .then(
        (code) => this.exited(code),
        () => this.exited(null),
      );
    const timer = setTimeout(
      () => this.initSettled?.({ ok: false, errorType: 'Runtime.Unknown', body: errorPayload('Runtime.Unknown', `INIT_REPORT Init Duration: ${INIT_LIMIT_MS}.00 ms Phase: init Status: timeout`) }),
      INIT_LIMIT_MS,
    );
    const result = await init;
    clearTimeout(timer);
    this.initDurationMs = performance.now() - started;
    if (!result.ok) this.dispose();
    return result;
  }

  private exited(code: number | null): void {
    const init = this.initBody;
    this.initSettled?.(
      init
        ? { ok: false, errorType: init.errorType, body: init.body }
        : { ok: false, errorType: 'Runtime.ExitError', body: errorPayload('Runtime.ExitError', `Runtime exited ${code ? `with error: exit status ${code}` : 'without providing a reason'}`) },
    );
    this.pendingReply?.({ kind: 'exit', code });
    this.dispose();
  }

  /** Peak memory of the runtime process in MB (what REPORT calls Max Memory Used), where it can be read. */
  maxMemoryMb(): number {
    if (!this.pid) return 0;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Math.ceil(Number(m[1]) / 1024) : 0;
    } catch {
      return 0;
    }
  }

  /** Runs one event to its end: the runtime's answer, a crash, or the function's timeout. */
  invoke(event: Omit<RuntimeEvent, 'deadlineMs' | 'traceId'>): Promise<Outcome> {
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const started = performance.now();
    return new Promise<Outcome>((resolve) => {
      const finish = (outcome: Omit<Outcome, 'durationMs'>) => {
        clearTimeout(timer);
        this.pendingReply = undefined;
        resolve({ ...outcome, durationMs: performance.now() - started });
      };
      const timer = setTimeout(() => {
        this.api.abandon();
        this.dispose();
        finish({
          errorType: 'Sandbox.Timedout',
          timedOut: true,
          payload: errorPayload('Sandbox.Timedout', `RequestId: ${event.requestId} Error: Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`),
        });
      }, timeoutMs);
      this.pendingReply = (reply) => {
        if (reply.kind === 'response') finish({ payload: reply.body });
        else if (reply.kind === 'error') finish({ payload: reply.body, errorType: reply.errorType });
        else if (reply.kind === 'too-large')
          finish({
            errorType: 'Function.ResponseSizeTooLarge',
            payload: errorPayload('Function.ResponseSizeTooLarge', `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`),
          });
        else {
          const why = reply.code ? `with error: exit status ${reply.code}` : 'without providing a reason';
          finish({ errorType: 'Runtime.ExitError', payload: errorPayload('Runtime.ExitError', `RequestId: ${event.requestId} Error: Runtime exited ${why}`) });
        }
      };
      this.api.deliver({ ...event, deadlineMs: Date.now() + timeoutMs, traceId: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Parent=${randomBytes(8).toString('hex')};Sampled=0` });
    });
  }

  dispose(): void {
    if (this.dead) return;
    this.dead = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.api?.close();
    this.spec.log.flush();
    const host = this.host;
    this.host = undefined;
    void host?.dispose().catch(() => undefined);
  }
}
