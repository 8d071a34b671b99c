import { setTimeout as sleep } from 'node:timers/promises';
import { CommandClient, CommandServiceError, type HostCommand } from './command-client.js';
import type { AgentConfig, Identity } from './config.js';
import { parseEnvelope } from './deployment-spec.js';
import { diagnostics, ErrorCode, failureDiagnostics, succeeded } from './diagnostics.js';
import { CommandExecutor } from './executor.js';
import { CommandTracker } from './tracker.js';

export type AgentLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/** As many commands at once as agent v1's thread pool runs. */
const MAX_PARALLEL = 16;
const MAX_BACKOFF_S = 60;

/**
 * The agent's main loop (agent v1 `command_poller.rb`): fail what a previous run left in
 * progress, then long-poll for commands and run each one: specification, acknowledgement
 * (with IsCommandNoop), tracking file, execution, completion with Diagnostics.
 */
export class CommandPoller {
  private readonly abort = new AbortController();
  private readonly client: CommandClient;
  private readonly executor: CommandExecutor;
  private readonly tracker: CommandTracker;
  private readonly running = new Set<Promise<void>>();
  private loop?: Promise<void>;

  constructor(
    private readonly config: AgentConfig,
    private readonly identity: Identity,
    private readonly log: AgentLog,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.client = new CommandClient(config, identity);
    this.executor = new CommandExecutor(config, identity, env);
    this.tracker = new CommandTracker(config.rootDir);
  }

  start(): void {
    this.loop = this.run();
  }

  /** Stops polling at once and waits for the commands already running to complete. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    await this.recoverFromRestart();
    let failures = 0;
    while (!this.stopped) {
      let command: HostCommand | undefined;
      try {
        command = await this.client.pollHostCommand(this.abort.signal);
        failures = 0;
      } catch (err) {
        if (this.stopped) break;
        failures++;
        const base = err instanceof CommandServiceError && err.throttled ? 5 : Math.max(this.config.waitBetweenRuns, 1);
        const delay = Math.min(base * 2 ** Math.min(failures - 1, 6), MAX_BACKOFF_S);
        this.log('error', `Error polling for host commands: ${(err as Error).message}; retrying in ${delay}s`);
        await this.pause(delay);
        continue;
      }
      if (!command) {
        await this.pause(this.config.waitBetweenRuns);
        continue;
      }
      if (!this.accept(command)) continue;
      while (this.running.size >= MAX_PARALLEL && !this.stopped) await Promise.race(this.running);
      const job = this.process(command).finally(() => this.running.delete(job));
      this.running.add(job);
    }
  }

  private async pause(seconds: number): Promise<void> {
    await sleep(seconds * 1000, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }

  /** The real agent drops a command not meant for it, or without a name, before doing anything. */
  private accept(command: HostCommand): boolean {
    this.log('debug', `PollHostCommand: Host Identifier = ${command.HostIdentifier}; Host Command Identifier = ${command.HostCommandIdentifier}; Deployment Execution ID = ${command.DeploymentExecutionId}; Command Name = ${command.CommandName}`);
    if (!command.HostIdentifier || !this.identity.hostIdentifier.includes(command.HostIdentifier)) {
      this.log('error', `Host Identifier mismatch: ${this.identity.hostIdentifier} != ${command.HostIdentifier}`);
      return false;
    }
    if (!command.CommandName) {
      this.log('error', 'Command Name missing');
      return false;
    }
    return true;
  }

  private async recoverFromRestart(): Promise<void> {
    try {
      const id = await this.tracker.interrupted();
      if (id === undefined) return;
      this.log('warn', 'Deployment tracking file found. The agent likely restarted while running a customer-supplied script. Failing the lifecycle event.');
      await this.client.putHostCommandComplete(id, 'Failed', diagnostics(ErrorCode.FailedAfterRestart, '', 'Failed: Failing in-progress lifecycle event after an agent restart.'));
      await this.tracker.clear();
    } catch (err) {
      // Like the real agent, a failed recovery must not keep the agent from starting.
      this.log('error', `Exception thrown during restart recovery: ${(err as Error).message}`);
    }
  }

  private async specification(command: HostCommand) {
    const out = await this.client.getDeploymentSpecification(command.DeploymentExecutionId);
    if (out.DeploymentSystem !== 'CodeDeploy') throw new Error(`Deployment System mismatch: CodeDeploy != ${out.DeploymentSystem ?? ''}`);
    if (!out.DeploymentSpecification) throw new Error('Deployment Specification missing');
    return parseEnvelope(out.DeploymentSpecification.GenericEnvelope);
  }

  private async process(command: HostCommand): Promise<void> {
    const id = command.HostCommandIdentifier;
    const complete = (status: 'Succeeded' | 'Failed', payload: string) =>
      this.client.putHostCommandComplete(id, status, payload).catch((err: Error) => this.log('error', `PutHostCommandComplete failed for ${command.CommandName}: ${err.message}`));
    try {
      const spec = await this.specification(command);
      const noop = await this.executor.isNoop(command.CommandName, spec);
      const status = await this.client.putHostCommandAcknowledgement(id, noop);
      if (status === 'Failed' && noop) await complete('Succeeded', succeeded('CompletedNoopCommand'));
      if (status === 'Succeeded' || status === 'Failed') return;
      await this.tracker.start(spec.deploymentId, id);
      try {
        await this.executor.execute(command.CommandName, spec);
        await complete('Succeeded', succeeded());
      } catch (err) {
        this.log('error', `Error during perform of ${command.CommandName}: ${(err as Error).message}`);
        await complete('Failed', failureDiagnostics(err));
      } finally {
        await this.tracker.finish(spec.deploymentId);
      }
    } catch (err) {
      this.log('warn', `${command.CommandName} failed before it ran: ${(err as Error).message}`);
      await complete('Failed', failureDiagnostics(err));
    }
  }
}
