import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ServiceDeps } from '../core/deps.js';
import type { Executor } from '../executors/executor.js';
import type { LogWriter } from '../logs/internal.js';
import type { ServiceRoles } from '../sts/service-role.js';
import { functionArn } from './arns.js';
import type { CodeStore } from './code.js';
import { Environment, type Outcome } from './environment.js';
import { throttled } from './errors.js';
import { FunctionLog } from './function-log.js';
import { baseImage } from './runtimes.js';
import type { FunctionRecord, StoredConfig } from './store.js';

/** What to run: the function, the configuration of the version chosen, and the ARN the caller used. */
export interface InvokeTarget {
  fn: FunctionRecord;
  config: StoredConfig;
  invokedArn: string;
}

export interface InvokeResult extends Outcome {
  /** Base64 of the invocation's last 4 KB of log, when asked for. */
  logResult?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Runs invocations in execution environments: reuses a warm one of the same function version and
 * configuration, starts another when all are busy (up to the function's reserved concurrency),
 * and shuts environments down after the idle time. Writes START, END and REPORT around each run.
 */
export class Invoker {
  private readonly idle = new Map<string, Environment[]>();
  private readonly busy = new Map<number, number>();
  private readonly all = new Set<Environment>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly code: CodeStore,
    private readonly roles: ServiceRoles,
    private readonly logs: LogWriter,
    private readonly executor: (config: StoredConfig) => Promise<Executor>,
    private readonly endpoint: () => string,
  ) {}

  /** Environments alive now, for the health page and tests. */
  get environments(): number {
    return this.all.size;
  }

  async invoke(target: InvokeTarget, payload: Buffer, options: { requestId: string; tail?: boolean; clientContext?: string }): Promise<InvokeResult> {
    const { fn, config } = target;
    const running = this.busy.get(fn.id) ?? 0;
    if (fn.reservedConcurrency !== undefined && running >= fn.reservedConcurrency) {
      this.publish(target, [['Throttles', 1, 'Count']]);
      throw throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    this.busy.set(fn.id, running + 1);
    try {
      const result = await this.run(target, payload, options);
      this.publish(target, [
        ['Invocations', 1, 'Count'],
        ['Errors', result.errorType ? 1 : 0, 'Count'],
        ['Duration', result.durationMs, 'Milliseconds'],
        ['ConcurrentExecutions', running + 1, 'Count'],
      ]);
      return result;
    } finally {
      this.busy.set(fn.id, (this.busy.get(fn.id) ?? 1) - 1);
    }
  }

  /** AWS/Lambda metrics of one invocation: account-wide, by function, and by function and qualifier when one was invoked. */
  private publish(target: InvokeTarget, values: [string, number, string][]): void {
    const { fn } = target;
    const qualifier = target.invokedArn.split(':')[7];
    const dimensionSets = [
      [],
      [{ Name: 'FunctionName', Value: fn.name }],
      ...(qualifier ? [[{ Name: 'FunctionName', Value: fn.name }, { Name: 'Resource', Value: `${fn.name}:${qualifier}` }]] : []),
    ];
    for (const dimensions of dimensionSets) {
      for (const [name, value, unit] of values) this.deps.metrics.record({ accountId: fn.accountId, region: fn.region, namespace: 'AWS/Lambda', name, dimensions, value, unit });
    }
  }

  private async run(target: InvokeTarget, payload: Buffer, options: { requestId: string; tail?: boolean; clientContext?: string }): Promise<InvokeResult> {
    const { config } = target;
    const key = `${target.fn.id}:${config.Version}:${config.RevisionId}`;
    this.retire(target.fn.id, config.Version, key);
    let env = this.idle.get(key)?.pop();
    if (env) clearTimeout(env.idleTimer);
    let initDuration: number | undefined;
    let initFailure: Outcome | undefined;
    if (!env) {
      env = this.create(target, await this.executor(config));
      this.all.add(env);
      const init = await env.start();
      initDuration = env.initDurationMs;
      if (!init.ok) initFailure = { payload: init.body, errorType: init.errorType, durationMs: 0 };
    }
    const log = env.spec.log;
    if (options.tail) log.startCapture();
    log.line(`START RequestId: ${options.requestId} Version: ${config.Version}`);
    const outcome = initFailure ?? (await env.invoke({ requestId: options.requestId, payload, invokedFunctionArn: target.invokedArn, clientContext: options.clientContext }));
    // Output the runtime wrote just before it answered is still in its pipe: let it land first.
    await new Promise((r) => setImmediate(r));
    if (outcome.timedOut) log.line(`${new Date().toISOString()} ${options.requestId} Task timed out after ${config.Timeout!.toFixed(2)} seconds`);
    log.line(`END RequestId: ${options.requestId}`);
    const report = [
      `REPORT RequestId: ${options.requestId}`,
      `Duration: ${outcome.durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.max(1, Math.ceil(outcome.durationMs))} ms`,
      `Memory Size: ${config.MemorySize} MB`,
      `Max Memory Used: ${env.maxMemoryMb()} MB`,
      ...(initDuration !== undefined ? [`Init Duration: ${initDuration.toFixed(2)} ms`] : []),
      ...(outcome.timedOut ? ['Status: timeout'] : []),
    ];
    log.line(`${report.join('\t')}\t`);
    const logResult = options.tail ? log.endCapture() : undefined;
    log.flush();
    if (env.dead) this.all.delete(env);
    else this.release(key, env);
    return { ...outcome, logResult };
  }

  private create(target: InvokeTarget, executor: Executor): Environment {
    const { fn, config } = target;
    const now = this.deps.clock.now();
    const id = randomBytes(16).toString('hex');
    const logGroupName = config.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn.name}`;
    const logStreamName = `${now.getUTCFullYear()}/${pad(now.getUTCMonth() + 1)}/${pad(now.getUTCDate())}/[${config.Version}]${id}`;
    const log = new FunctionLog(this.logs, { accountId: fn.accountId, region: fn.region, logGroupName, logStreamName }, (err) =>
      this.deps.logger.warn({ err, function: fn.name }, 'could not write the function log'),
    );
    const credentials = this.roles.credentials(config.Role!, fn.name, 12 * 3600, functionArn(fn));
    const endpoint = this.deps.config.buildEndpointUrl ?? this.endpoint();
    const variables: Record<string, string> = {
      ...(config.Environment?.Variables ?? {}),
      _HANDLER: config.Handler ?? '',
      AWS_EXECUTION_ENV: `AWS_Lambda_${config.Runtime ?? 'image'}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: config.Version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.MemorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: fn.region,
      AWS_DEFAULT_REGION: fn.region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
      ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}),
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
    };
    const env = new Environment(
      executor,
      {
        runtime: config.Runtime ?? 'provided.al2023',
        taskDir: this.code.taskDir(config.codeKey),
        workDir: join(this.deps.filesDir, 'environments', id),
        image: config.imageUri ?? baseImage(config.Runtime ?? ''),
        timeoutSeconds: config.Timeout ?? 3,
        variables,
        log,
      },
    );
    log.line(`INIT_START Runtime Version: ${(config.Runtime ?? 'provided').replace(/\.x$/, '')}.v1\tRuntime Version ARN: arn:aws:lambda:${fn.region}::runtime:${config.codeKey.slice(0, 64)}`);
    return env;
  }

  private release(key: string, env: Environment): void {
    const list = this.idle.get(key) ?? [];
    list.push(env);
    this.idle.set(key, list);
    env.idleTimer = setTimeout(() => {
      const at = list.indexOf(env);
      if (at >= 0) list.splice(at, 1);
      this.all.delete(env);
      env.dispose();
    }, this.deps.config.functionIdleSeconds * 1000);
    env.idleTimer.unref();
  }

  /** Warm environments of an older configuration of the same version are never used again. */
  private retire(functionId: number, version: string, current: string): void {
    const prefix = `${functionId}:${version}:`;
    for (const [key, list] of this.idle) {
      if (!key.startsWith(prefix) || key === current) continue;
      for (const env of list.splice(0)) {
        this.all.delete(env);
        env.dispose();
      }
      this.idle.delete(key);
    }
  }

  /** Shuts down every environment of a function (it was deleted), or all of them (the server stops). */
  shutdown(functionId?: number): void {
    for (const [key, list] of this.idle) {
      if (functionId !== undefined && !key.startsWith(`${functionId}:`)) continue;
      for (const env of list.splice(0)) {
        this.all.delete(env);
        env.dispose();
      }
    }
    if (functionId === undefined) for (const env of this.all) env.dispose();
  }
}
