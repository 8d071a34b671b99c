import type { RequestContext } from '../core/context.js';
import { AwsError } from '../core/errors.js';
import { operation, type IamDeclaration, type OperationSpec } from '../core/service.js';
import { DEPLOYMENT_ID } from './arns.js';
import type { CodeDeployContext } from './context.js';
import { FINISHED, type CommandRecord } from './records.js';
import type { SpecSigner } from './signing.js';
import { deploymentSpecification } from './spec.js';
import type { HostWaiters } from './waiters.js';

interface Envelope {
  Format?: string;
  Payload?: string;
}

/** Signed specifications kept for the deployments most recently asked about. */
const SIGNED_KEPT = 64;

const clientError = (message: string) => new AwsError('ClientException', message, 400);

/** The two stacks of the agent command service: the default one, and the secure one IAM authorizes. */
export type CommandStack = 'codedeploy-commands' | 'codedeploy-commands-secure';

export interface CommandServiceDeps {
  c: CodeDeployContext;
  waiters: HostWaiters;
  signer: SpecSigner;
}

/**
 * The agent command service (reference §6): an agent long-polls for its host's next lifecycle
 * command, fetches the signed deployment specification, acknowledges, runs the event and reports
 * completion. Host identity is the IAM user or session the instance was registered with; under
 * IAM enforcement the signed caller must be that host.
 */
export function commandOperations(stack: CommandStack, { c, waiters, signer }: CommandServiceDeps): Record<string, OperationSpec> {
  const { store, engine, deps } = c;
  const declare = <I>(action: string): IamDeclaration<I> =>
    // The default stack authorizes by host identity alone; the secure stack also asks IAM.
    stack === 'codedeploy-commands' ? { action: `${stack}:${action}`, resource: () => '*', decidedBy: 'none-required' } : { action: `${stack}:${action}`, resource: () => '*' };

  // Every host and command of a deployment gets the same specification, so it is signed once.
  const signed = new Map<string, string>();
  const signedSpecification = (d: Parameters<typeof deploymentSpecification>[0]): string => {
    let payload = signed.get(d.deploymentId);
    if (!payload) {
      payload = signer.sign(JSON.stringify(deploymentSpecification(d)));
      if (signed.size >= SIGNED_KEPT) signed.delete(signed.keys().next().value!);
      signed.set(d.deploymentId, payload);
    }
    return payload;
  };

  const checkHost = (ctx: RequestContext, hostId: string) => {
    if (deps.config.enforceIam && ctx.caller.arn !== hostId) {
      throw new AwsError('AccessDeniedException', `The caller ${ctx.caller.arn} is not the host ${hostId}.`, 400);
    }
  };
  const command = (ctx: RequestContext, id: string | undefined): CommandRecord => {
    const found = id ? store.command(id) : undefined;
    if (!found) throw clientError('The HostCommandIdentifier is not valid.');
    checkHost(ctx, found.hostId);
    return found;
  };

  return {
    PollHostCommand: operation<{ HostIdentifier?: string }, Record<string, unknown>>({
      iam: declare('PollHostCommand'),
      handler: async (input, ctx) => {
        const hostId = input.HostIdentifier!;
        checkHost(ctx, hostId);
        if (!store.instanceByHost(hostId)) throw clientError(`The host ${hostId} is not registered with CodeDeploy.`);
        const deadline = Date.now() + deps.config.deployPollSeconds * 1000;
        for (;;) {
          const next = engine.claim(hostId);
          if (next) {
            const d = store.deployment(next.deploymentId)!;
            return {
              HostCommand: {
                HostCommandIdentifier: next.id,
                HostIdentifier: hostId,
                DeploymentExecutionId: engine.executionId(d),
                CommandName: next.name,
                Nonce: next.nonce,
              },
            };
          }
          const left = deadline - Date.now();
          if (left <= 0) return {};
          if ((await waiters.wait(hostId, ctx.requestId, left)) === 'aborted') return {};
        }
      },
    }),

    GetDeploymentSpecification: operation<{ DeploymentExecutionId?: string; HostIdentifier?: string }, Record<string, unknown>>({
      iam: declare('GetDeploymentSpecification'),
      handler: (input, ctx) => {
        const hostId = input.HostIdentifier!;
        checkHost(ctx, hostId);
        const id = /deployment\/([^/]+)$/.exec(input.DeploymentExecutionId!)?.[1] ?? '';
        const d = DEPLOYMENT_ID.test(id) ? store.deployment(id) : undefined;
        if (!d) throw clientError(`The deployment execution ${input.DeploymentExecutionId} does not exist.`);
        if (!store.targets(id).some((t) => t.hostId === hostId)) throw clientError(`The host ${hostId} is not a target of deployment ${id}.`);
        const format = deps.config.deploySpecFormat;
        const envelope: Envelope = { Format: format, Payload: format === 'PKCS7/JSON' ? signedSpecification(d) : JSON.stringify(deploymentSpecification(d)) };
        return { DeploymentSystem: 'CodeDeploy', DeploymentSpecification: { GenericEnvelope: envelope } };
      },
    }),

    PutHostCommandAcknowledgement: operation<{ HostCommandIdentifier?: string; Diagnostics?: Envelope }, Record<string, unknown>>({
      iam: declare('PutHostCommandAcknowledgement'),
      handler: (input, ctx) => ({ CommandStatus: engine.acknowledge(command(ctx, input.HostCommandIdentifier).id) }),
    }),

    PutHostCommandComplete: operation<{ HostCommandIdentifier?: string; CommandStatus?: string; Diagnostics?: Envelope }, Record<string, never>>({
      iam: declare('PutHostCommandComplete'),
      handler: (input, ctx) => {
        const found = command(ctx, input.HostCommandIdentifier);
        const status = input.CommandStatus;
        if (status !== 'Succeeded' && status !== 'Failed') throw clientError(`A command completes Succeeded or Failed, not ${status}.`);
        engine.complete(found.id, status, input.Diagnostics?.Payload);
        return {};
      },
    }),

    PostHostCommandUpdate: operation<{ HostCommandIdentifier?: string }, Record<string, unknown>>({
      iam: declare('PostHostCommandUpdate'),
      handler: (input, ctx) => {
        const found = command(ctx, input.HostCommandIdentifier);
        const d = store.deployment(found.deploymentId);
        return { CommandStatus: !d || FINISHED.includes(d.status) ? 'Failed' : engine.status(found.id) };
      },
    }),
  };
}
