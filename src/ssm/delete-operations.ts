import type { DeleteParameterRequest, DeleteParameterResult, DeleteParametersRequest, DeleteParametersResult } from '@aws-sdk/client-ssm';
import { isAwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { parameterNotFound } from './errors.js';
import { parameterIam } from './iam.js';
import { parseReference } from './names.js';
import type { ParameterRecord } from './parameter-store.js';
import type { Parameters, Scope } from './parameters.js';

/** Deletion names a whole parameter: a name or ARN without a version or label selector. */
function findExact(params: Parameters, scope: Scope, given: string): ParameterRecord | undefined {
  try {
    const ref = parseReference(given, scope);
    return ref.selector === undefined ? params.findRef(scope, ref) : undefined;
  } catch (err) {
    if (isAwsError(err) && err.code === 'ParameterNotFound') return undefined;
    throw err;
  }
}

export function deleteOperations(params: Parameters): Record<string, OperationSpec> {
  return {
    DeleteParameter: operation<DeleteParameterRequest, DeleteParameterResult>({
      iam: parameterIam(params, 'ssm:DeleteParameter', (i) => i.Name),
      handler: (input, ctx) => {
        const parameter = findExact(params, ctx, input.Name!);
        if (!parameter) throw parameterNotFound(input.Name!);
        params.store.delete(parameter.id);
        return {};
      },
    }),

    DeleteParameters: operation<DeleteParametersRequest, DeleteParametersResult>({
      iam: parameterIam(params, 'ssm:DeleteParameters', (i) => i.Names?.[0]),
      handler: (input, ctx) => {
        const deleted: string[] = [];
        const invalid: string[] = [];
        params.store.transaction(() => {
          for (const name of new Set(input.Names!)) {
            const parameter = findExact(params, ctx, name);
            if (parameter) {
              params.store.delete(parameter.id);
              deleted.push(name);
            } else {
              invalid.push(name);
            }
          }
        });
        return { DeletedParameters: deleted, InvalidParameters: invalid };
      },
    }),
  };
}
