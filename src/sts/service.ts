import type { GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import { operation, type ServiceDefinition } from '../core/service.js';

/** STS over the AWS Query protocol. Until IAM enforcement resolves keys, every caller is the account root. */
export function createSts(_deps: ServiceDeps): ServiceDefinition {
  return {
    name: 'sts',
    model: loadModel('sts'),
    operations: {
      GetCallerIdentity: operation<object, GetCallerIdentityResponse>({
        // AWS documents that GetCallerIdentity needs no permission: a deny cannot stop it.
        iam: { action: 'sts:GetCallerIdentity', resource: () => '*' },
        handler: (_input, ctx) => ({ UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn }),
      }),
    },
  };
}
