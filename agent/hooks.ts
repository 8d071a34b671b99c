import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseAppSpec, type AppSpec, type HookScript } from './appspec.js';
import { ErrorCode, ScriptError, ScriptLog } from './diagnostics.js';

/**
 * Runs one lifecycle event's scripts as agent v1's `hook_executor.rb` does: scripts in order, the
 * §5 environment, output to `logs/scripts.log`, SIGTERM to the process group on timeout, and the
 * error codes and messages of the real agent.
 */
export interface HookContext {
  lifecycleEvent: string;
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentGroupId: string;
  /** `<root>/<group>/<deployment>` of the deployment whose scripts run; none before a first success. */
  deploymentRootDir: string | undefined;
  appSpecFilename: string;
  /** Variables the revision adds (BUNDLE_BUCKET, BUNDLE_COMMIT, ...). */
  revisionEnv: Record<string, string>;
  /** The agent's own environment, inherited by scripts. */
  baseEnv?: NodeJS.ProcessEnv;
}

/** Reads the AppSpec of a deployment's unpacked archive (`appspec.yml`, else `appspec.yaml`). */
export async function readAppSpec(archiveDir: string, filename: string): Promise<AppSpec> {
  let path = join(archiveDir, filename);
  if (filename === 'appspec.yml' && !existsSync(path) && existsSync(join(archiveDir, 'appspec.yaml'))) path = join(archiveDir, 'appspec.yaml');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    // Ruby's File.read error, as the real agent reports it.
    throw new Error(`No such file or directory @ rb_sysopen - ${path}`);
  }
  return parseAppSpec(text);
}

/** Ruby's `Time.now.to_s[0..-7]`: local time without the zone. */
function timestamp(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The events whose scripts come from the last successful revision while this one is absent. */
const FROM_LAST_SUCCESSFUL = new Set(['ApplicationStop', 'BeforeBlockTraffic', 'AfterBlockTraffic']);

/**
 * Whose archive an event's scripts come from: the current deployment's, or (for the stop and
 * block events while the current archive is not on the host yet) the last successful one. A
 * blue/green rollback runs block events from the most recent download and allow events from
 * the last success.
 */
export function scriptRootFor(event: string, current: string, lastSuccessful: string | undefined, mostRecent: string | undefined, deployment: { type: string; creator: string }): string | undefined {
  if (existsSync(join(current, 'deployment-archive'))) return current;
  if (deployment.type === 'BLUE_GREEN' && deployment.creator === 'codeDeployRollback') {
    if (event === 'BeforeBlockTraffic' || event === 'AfterBlockTraffic') return mostRecent;
    if (event === 'BeforeAllowTraffic' || event === 'AfterAllowTraffic') return lastSuccessful;
  }
  return FROM_LAST_SUCCESSFUL.has(event) ? lastSuccessful : current;
}

/** Whether an event has nothing to run (no archive to take scripts from, or no scripts). */
export async function isNoop(ctx: HookContext): Promise<boolean> {
  if (!ctx.deploymentRootDir || !existsSync(join(ctx.deploymentRootDir, 'deployment-archive'))) return true;
  const appSpec = await readAppSpec(join(ctx.deploymentRootDir, 'deployment-archive'), ctx.appSpecFilename);
  return (appSpec.hooks[ctx.lifecycleEvent] ?? []).length === 0;
}

export async function runHooks(ctx: HookContext): Promise<ScriptLog> {
  const log = new ScriptLog();
  if (!ctx.deploymentRootDir) return log;
  const archiveDir = join(ctx.deploymentRootDir, 'deployment-archive');
  if (!existsSync(archiveDir)) return log;
  const appSpec = await readAppSpec(archiveDir, ctx.appSpecFilename);
  const scripts = appSpec.hooks[ctx.lifecycleEvent] ?? [];
  if (scripts.length === 0) return log;
  const logFile = join(ctx.deploymentRootDir, 'logs', 'scripts.log');
  await mkdir(join(ctx.deploymentRootDir, 'logs'), { recursive: true });
  let writes = Promise.resolve();
  const write = (message: string) => {
    log.append(message);
    const line = `${timestamp()} ${message}`;
    // A log line that cannot be written must not fail the script it describes.
    writes = writes.then(() => appendFile(logFile, line)).catch(() => undefined);
    return writes;
  };
  await write(`LifecycleEvent - ${ctx.lifecycleEvent}\n`);
  const env = {
    ...(ctx.baseEnv ?? process.env),
    LIFECYCLE_EVENT: ctx.lifecycleEvent,
    DEPLOYMENT_ID: ctx.deploymentId,
    APPLICATION_NAME: ctx.applicationName,
    DEPLOYMENT_GROUP_NAME: ctx.deploymentGroupName,
    DEPLOYMENT_GROUP_ID: ctx.deploymentGroupId,
    ...ctx.revisionEnv,
  };
  try {
    for (const script of scripts) await runOne(script, archiveDir, env, log, write);
  } finally {
    await writes;
  }
  return log;
}

async function runOne(script: HookScript, archiveDir: string, env: NodeJS.ProcessEnv, log: ScriptLog, write: (m: string) => Promise<void>): Promise<void> {
  const path = join(archiveDir, script.location);
  if (!existsSync(path)) throw new ScriptError(ErrorCode.ScriptMissing, script.location, log, `Script does not exist at specified location: ${script.location}`);
  if (!executable(path)) {
    try {
      // chmod +x: the execute bits added to whatever the mode was.
      await chmod(path, (await stat(path)).mode | 0o111);
    } catch {
      throw new ScriptError(ErrorCode.ScriptNotExecutable, script.location, log, `Unable to set script at specified location: ${script.location} as executable`);
    }
  }
  await write(`Script - ${script.location}\n`);
  await runScript(script, path, env, log, write);
}

/** `su <user> -c <path>` for runas, `sudo` in front for the undocumented `sudo: true`. */
function command(script: HookScript, path: string): { file: string; args: string[] } {
  if (script.runas && script.sudo) return { file: 'sudo', args: ['su', script.runas, '-c', path] };
  if (script.runas) return { file: 'su', args: [script.runas, '-c', path] };
  if (script.sudo) return { file: 'sudo', args: [path] };
  return { file: path, args: [] };
}

const KILL_GRACE_MS = 5000;
/** setTimeout fires at once past 2^31-1 ms; longer AppSpec timeouts wait this long (~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function runScript(script: HookScript, path: string, env: NodeJS.ProcessEnv, log: ScriptLog, write: (m: string) => Promise<void>): Promise<void> {
  const { file, args } = command(script, path);
  return new Promise((done, fail) => {
    // Its own process group, so a timeout reaches everything the script started.
    const child = spawn(file, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Promise<void>[] = [];
    for (const [stream, tag] of [[child.stdout, '[stdout]'], [child.stderr, '[stderr]']] as const) {
      const rl = createInterface({ input: stream, crlfDelay: Infinity });
      lines.push(
        new Promise((closed) => {
          rl.on('line', (line) => void write(`${tag}${line}\n`));
          rl.on('close', () => closed());
        }),
      );
    }
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      signalGroup(child.pid, 'SIGTERM');
      setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
      fail(new ScriptError(ErrorCode.ScriptTimedOut, script.location, log, `Script at specified location: ${script.location} failed to complete in ${script.timeout} seconds`));
    }, Math.min(script.timeout * 1000, MAX_TIMER_MS));
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Not a ScriptError: like a Ruby exception from Open3, it reports as UnknownError.
      fail(err);
    });
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void Promise.all(lines).then(() => {
        if (code === 0) return done();
        // Killed by a signal: Ruby's exitstatus is nil, and the message ends empty.
        const status = code === null ? '' : String(code);
        const who = script.runas ? ` run as user ${script.runas}` : '';
        fail(new ScriptError(ErrorCode.ScriptFailed, script.location, log, `Script at specified location: ${script.location}${who} failed with exit code ${status}`));
      });
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
