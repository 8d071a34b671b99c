import type { AgentConfig, Identity } from './config.js';
import { readBody, signedRequest } from './http.js';

/** The version this agent reports in `x-amz-codedeploy-agent-version`. */
export const AGENT_VERSION = 'codesuite-agent-1.0';

export interface Envelope {
  Format: string;
  Payload: string;
}

export interface HostCommand {
  HostCommandIdentifier: string;
  HostIdentifier: string;
  DeploymentExecutionId: string;
  CommandName: string;
  Nonce?: number;
}

export type CommandStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';

/** An error answer of the command service: `{__type, message}` and the HTTP status. */
export class CommandServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(`${code}: ${message}`);
  }

  /** HTTP 429 or a throttling message: the agent backs off before trying again. */
  get throttled(): boolean {
    return this.status === 429 || /throttl|rateexceeded/i.test(this.code + this.message);
  }
}

/**
 * The agent's side of the CodeDeploy command protocol (AWS JSON 1.1, PascalCase members): the
 * default stack `CodeDeployCommandService_v20141006` signed as `codedeploy-commands`, or with
 * `:enable_auth_policy:` the secure stack `CodeDeployCommandService` / `codedeploy-commands-secure`.
 */
export class CommandClient {
  private readonly endpoint: URL;
  private readonly targetPrefix: string;
  private readonly service: string;

  constructor(
    private readonly config: AgentConfig,
    private readonly identity: Identity,
  ) {
    const secure = config.enableAuthPolicy;
    this.targetPrefix = secure ? 'CodeDeployCommandService' : 'CodeDeployCommandService_v20141006';
    this.service = secure ? 'codedeploy-commands-secure' : 'codedeploy-commands';
    this.endpoint = new URL(config.deployControlEndpoint ?? `https://${this.service}.${identity.region}.amazonaws.com`);
  }

  private async call<T>(operation: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
    const res = await signedRequest({
      method: 'POST',
      url: this.endpoint,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${this.targetPrefix}.${operation}`,
        'x-amz-codedeploy-agent-version': AGENT_VERSION,
      },
      body: JSON.stringify(input),
      region: this.identity.region,
      service: this.service,
      credentials: await this.identity.credentials(),
      timeoutMs: this.config.httpReadTimeout * 1000,
      signal,
    });
    const text = (await readBody(res)).toString('utf8');
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new CommandServiceError('SerializationException', `unreadable answer to ${operation}: ${text.slice(0, 200)}`, res.statusCode ?? 0);
    }
    if ((res.statusCode ?? 500) >= 300) {
      const type = String(parsed.__type ?? res.headers['x-amzn-errortype'] ?? 'UnknownError');
      const message = String(parsed.message ?? parsed.Message ?? '');
      throw new CommandServiceError(type.slice(type.lastIndexOf('#') + 1).split(':')[0], message, res.statusCode ?? 500);
    }
    return parsed as T;
  }

  /** The long poll; `signal` ends it early when the agent stops. */
  async pollHostCommand(signal?: AbortSignal): Promise<HostCommand | undefined> {
    const out = await this.call<{ HostCommand?: HostCommand | null }>('PollHostCommand', { HostIdentifier: this.identity.hostIdentifier }, signal);
    return out.HostCommand ?? undefined;
  }

  async getDeploymentSpecification(deploymentExecutionId: string): Promise<{ DeploymentSystem?: string; DeploymentSpecification?: { GenericEnvelope?: Envelope } }> {
    return this.call('GetDeploymentSpecification', { DeploymentExecutionId: deploymentExecutionId, HostIdentifier: this.identity.hostIdentifier });
  }

  async putHostCommandAcknowledgement(hostCommandIdentifier: string, isCommandNoop: boolean): Promise<CommandStatus | undefined> {
    const out = await this.call<{ CommandStatus?: CommandStatus }>('PutHostCommandAcknowledgement', {
      HostCommandIdentifier: hostCommandIdentifier,
      Diagnostics: { Format: 'JSON', Payload: JSON.stringify({ IsCommandNoop: isCommandNoop }) },
    });
    return out.CommandStatus;
  }

  async putHostCommandComplete(hostCommandIdentifier: string, status: 'Succeeded' | 'Failed', diagnostics: string): Promise<void> {
    await this.call('PutHostCommandComplete', {
      HostCommandIdentifier: hostCommandIdentifier,
      CommandStatus: status,
      Diagnostics: { Format: 'JSON', Payload: diagnostics },
    });
  }
}
