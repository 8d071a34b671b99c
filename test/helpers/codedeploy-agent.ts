import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './sha256.js';

export interface HostCommand {
  HostCommandIdentifier: string;
  HostIdentifier: string;
  DeploymentExecutionId: string;
  CommandName: string;
  Nonce: number;
}

export interface Outcome {
  status: 'Succeeded' | 'Failed';
  /** The agent's diagnostics payload: `{"error_code":…,"script_name":…,"message":…,"log":…}`. */
  diagnostics?: Record<string, unknown>;
}

export interface AgentOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  /** The secure stack (`:enable_auth_policy: true`). */
  secure?: boolean;
}

export class CommandServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(`${status} ${type}: ${message}`);
  }
}

/**
 * A protocol-level test agent: it speaks the CodeDeploy command protocol over HTTP exactly as the
 * real agent does (SigV4-signed AWS JSON 1.1: poll, get the specification, acknowledge, complete)
 * and lets the test decide each lifecycle event's outcome. It runs no scripts.
 */
export class TestAgent {
  readonly log: string[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly signer: SignatureV4;
  private readonly prefix: string;

  constructor(
    private readonly endpoint: string,
    readonly hostId: string,
    private readonly options: AgentOptions = {},
  ) {
    this.signer = new SignatureV4({
      credentials: options.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
      region: options.region ?? 'us-east-1',
      service: options.secure ? 'codedeploy-commands-secure' : 'codedeploy-commands',
      sha256: Sha256,
    });
    this.prefix = options.secure ? 'CodeDeployCommandService' : 'CodeDeployCommandService_v20141006';
  }

  async call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): Promise<T> {
    const url = new URL(this.endpoint);
    const body = JSON.stringify(input);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${this.prefix}.${operation}`,
        'x-amz-codedeploy-agent-version': 'codesuite-test-agent',
      },
      body,
    });
    const response = await fetch(`${this.endpoint}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) throw new CommandServiceError(response.status, String(json.__type ?? ''), String(json.message ?? ''));
    return json as T;
  }

  async poll(): Promise<HostCommand | undefined> {
    return (await this.call<{ HostCommand?: HostCommand }>('PollHostCommand', { HostIdentifier: this.hostId })).HostCommand;
  }

  async specification(command: HostCommand): Promise<{ DeploymentSystem: string; DeploymentSpecification: { GenericEnvelope: { Format: string; Payload: string } } }> {
    return this.call('GetDeploymentSpecification', { DeploymentExecutionId: command.DeploymentExecutionId, HostIdentifier: this.hostId });
  }

  async acknowledge(command: HostCommand, noop = false): Promise<string | undefined> {
    const out = await this.call<{ CommandStatus?: string }>('PutHostCommandAcknowledgement', {
      HostCommandIdentifier: command.HostCommandIdentifier,
      Diagnostics: { Format: 'JSON', Payload: JSON.stringify({ IsCommandNoop: noop }) },
    });
    return out.CommandStatus;
  }

  async complete(command: HostCommand, outcome: Outcome): Promise<void> {
    const diagnostics = outcome.diagnostics ?? (outcome.status === 'Succeeded' ? { error_code: 0, script_name: '', message: 'Succeeded', log: '' } : { error_code: 5, script_name: '', message: 'Failed', log: '' });
    await this.call('PutHostCommandComplete', {
      HostCommandIdentifier: command.HostCommandIdentifier,
      CommandStatus: outcome.status,
      Diagnostics: { Format: 'JSON', Payload: JSON.stringify(diagnostics) },
    });
  }

  /**
   * Polls and carries out commands until stopped, the way the real agent's loop does; `decide`
   * gives each lifecycle event's outcome (Succeeded when it returns nothing).
   */
  start(decide: (command: HostCommand) => Outcome | void | Promise<Outcome | void> = () => undefined): void {
    this.stopped = false;
    this.loop = (async () => {
      while (!this.stopped) {
        let command: HostCommand | undefined;
        try {
          command = await this.poll();
        } catch {
          if (!this.stopped) await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        if (!command) continue;
        const spec = await this.specification(command);
        if (spec.DeploymentSystem !== 'CodeDeploy') throw new Error(`unexpected deployment system ${spec.DeploymentSystem}`);
        const status = await this.acknowledge(command);
        if (status === 'Succeeded' || status === 'Failed') continue;
        this.log.push(command.CommandName);
        await this.complete(command, (await decide(command)) ?? { status: 'Succeeded' });
      }
    })();
  }

  /** Stops after the poll in flight (the server answers it when it stops, or within its poll wait). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop?.catch(() => undefined);
  }
}
