import { rootCaller } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { delivered, type Delivery, type DeliveryOutcome } from '../core/delivery.js';
import { parseCodeBuildArn } from './arns.js';
import { INITIATOR } from './build-operations.js';

/** The StartBuild parameters a delivered message carries: a JSON object that is not itself an event (an input transform's output). */
function startParameters(message: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(message) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && !('detail-type' in parsed)) return parsed as Record<string, unknown>;
  } catch {
    // A message that is not JSON carries no StartBuild parameters.
  }
  return {};
}

/**
 * Project ARNs as delivery targets (EventBridge rules): StartBuild as the delivery's role (the
 * sender assumed it), or as the account when there is none, with the parameters the message carries
 * (`sourceVersion`, `environmentVariablesOverride`...). Through the internal client, so validation
 * and IAM apply as to any StartBuild; an AWS error comes back to the registry as worth a retry.
 */
export function registerProjectReceiver(deps: ServiceDeps): void {
  deps.delivery.register({
    service: 'codebuild',
    accepts: (arn) => parseCodeBuildArn(arn)?.resourceType === 'project',
    receive: async (delivery: Delivery): Promise<DeliveryOutcome> => {
      const { region, accountId, resource: projectName } = parseCodeBuildArn(delivery.targetArn)!;
      const input: Record<string | symbol, unknown> = { ...startParameters(delivery.message), projectName };
      input[INITIATOR] = delivery.sourceService.split('.')[0];
      const { build } = await deps.internal.call<{ build: { id: string } }>('codebuild', 'StartBuild', input, {
        caller: delivery.role ?? rootCaller(accountId),
        region,
      });
      return delivered(`Started build ${build.id} of project ${projectName}.`);
    },
  });
}
