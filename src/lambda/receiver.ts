import { delivered, giveUp, type Delivery, type DeliveryOutcome, type Receiver } from '../core/delivery.js';
import { evaluate } from '../iam/policy/index.js';
import { functionArn, functionRef } from './arns.js';
import type { AsyncInvocations } from './async-invoke.js';
import type { LambdaParts } from './context.js';
import { resourcePolicyOf } from './invoke-operations.js';

const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[^:]+:\d{12}:function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/**
 * Functions as delivery targets (EventBridge rules, SNS subscriptions, CodeCommit triggers, other
 * functions' destinations). A service principal needs the function's resource policy to allow it
 * for the sending resource (AddPermission with SourceArn/SourceAccount); a sender acting as a role
 * goes through Invoke as that role, so IAM weighs the role's policies with the resource policy.
 * An accepted event joins the asynchronous invocation queue, as on AWS.
 */
export function functionReceiver(p: LambdaParts, async: AsyncInvocations): Receiver {
  return {
    service: 'lambda',
    accepts: (arn) => FUNCTION_ARN.test(arn),
    receive: async (d: Delivery): Promise<DeliveryOutcome> => {
      const ref = functionRef({ accountId: '', region: '' }, d.targetArn);
      const scope = { accountId: ref.accountId, region: ref.region };
      if (d.role) {
        const out = await p.deps.internal.call<{ StatusCode: number }>(
          'lambda',
          'Invoke',
          { FunctionName: d.targetArn, InvocationType: 'Event', Payload: Buffer.from(d.message) },
          { caller: d.role, region: ref.region },
        );
        return delivered(`Invoked asynchronously as ${d.role.arn} (status ${out.StatusCode}).`);
      }
      const fn = p.store.find(ref.accountId, ref.region, ref.name);
      if (!fn) return giveUp(`Function not found: ${functionArn(ref, ref.qualifier)}`);
      const policy = resourcePolicyOf(p, scope, d.targetArn);
      const decision = evaluate({
        action: 'lambda:InvokeFunction',
        resource: functionArn(ref, ref.qualifier),
        principal: { type: 'service', arn: d.sourceService, accountId: d.sourceAccount },
        identityPolicies: [],
        ...(policy ? { resourcePolicy: { id: 'default', document: policy } } : {}),
        context: { 'aws:SourceArn': d.sourceArn, 'aws:SourceAccount': d.sourceAccount, 'aws:PrincipalServiceName': d.sourceService },
        resourceAccount: ref.accountId,
      });
      if (decision.decision !== 'allowed') {
        return giveUp(
          `${d.sourceService} is not authorized to perform: lambda:InvokeFunction on ${functionArn(ref, ref.qualifier)} for ${d.sourceArn}: the function's resource-based policy does not allow it (AddPermission).`,
        );
      }
      const requestId = p.deps.ids.uuid();
      async.enqueue({ requestId, functionArn: functionArn(ref, ref.qualifier), payload: Buffer.from(d.message) });
      return delivered(`Queued for asynchronous invocation, request ${requestId}.`);
    },
  };
}
