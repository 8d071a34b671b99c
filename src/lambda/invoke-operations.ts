import type { InvocationRequest, InvocationResponse } from '@aws-sdk/client-lambda';
import { AwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { functionArn, requestedArn } from './arns.js';
import type { AsyncInvocations } from './async-invoke.js';
import type { LambdaParts } from './context.js';
import { tooLarge } from './errors.js';
import { routeInvocation } from './routing.js';

const MAX_SYNC_REQUEST = 6_291_456;
const MAX_ASYNC_REQUEST = 1_048_576;

/** The resource policy of the function or of the qualifier a request names, for IAM to weigh. */
export function resourcePolicyOf(p: LambdaParts, ctx: { accountId: string; region: string }, name: string | undefined, qualifier?: string): string | undefined {
  if (!name) return undefined;
  try {
    const { fn, ref } = p.functions.get(ctx, name, qualifier);
    const policy = p.store.policy(fn.id, ref.qualifier ?? '');
    return policy && JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements });
  } catch {
    return undefined;
  }
}

/** An event must be JSON (AWS parses it before it runs anything). */
function checkJson(payload: Buffer): void {
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new AwsError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`, 400);
  }
}

export function invokeOperations(p: LambdaParts, async: AsyncInvocations): Record<string, OperationSpec> {
  return {
    Invoke: operation<InvocationRequest, InvocationResponse>({
      iam: {
        action: 'lambda:InvokeFunction',
        resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier),
        resourcePolicy: (i, ctx) => resourcePolicyOf(p, ctx, i.FunctionName, i.Qualifier),
      },
      handler: async (input, ctx) => {
        const { fn, ref } = p.functions.get(ctx, input.FunctionName!, input.Qualifier);
        const payload = input.Payload && input.Payload.length > 0 ? Buffer.from(input.Payload) : Buffer.from('{}');
        const type = input.InvocationType ?? 'RequestResponse';
        const limit = type === 'Event' ? MAX_ASYNC_REQUEST : MAX_SYNC_REQUEST;
        if (payload.length > limit) throw tooLarge(`Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
        checkJson(payload);
        const invokedArn = functionArn(fn, ref.qualifier);
        // Resolves the version now, so an unknown qualifier or a function not yet active is refused for every type.
        const config = routeInvocation(p.functions, p.store, fn, ref.qualifier);
        if (type === 'DryRun') return { StatusCode: 204 };
        if (type === 'Event') {
          async.enqueue({ requestId: ctx.requestId, functionArn: invokedArn, payload });
          return { StatusCode: 202 };
        }
        const result = await p.invoker.invoke({ fn, config, invokedArn }, payload, {
          requestId: ctx.requestId,
          tail: input.LogType === 'Tail',
          clientContext: input.ClientContext ? Buffer.from(input.ClientContext, 'base64').toString('utf8') : undefined,
        });
        return {
          StatusCode: 200,
          ExecutedVersion: config.Version,
          ...(result.errorType ? { FunctionError: 'Unhandled' } : {}),
          ...(result.logResult !== undefined ? { LogResult: result.logResult } : {}),
          Payload: result.payload,
        };
      },
    }),
  };
}
