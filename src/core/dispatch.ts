import type { RequestContext } from './context.js';
import { AwsError } from './errors.js';
import { SerializationError, validateInput, violationMessage } from './models/validate.js';
import type { IamDeclaration, ServiceDefinition } from './service.js';

export type Decision = { allowed: true } | { allowed: false; message: string };

/** Decides whether a caller may perform an operation; IAM enforcement plugs in here. */
export type Authorizer = (request: { iam: IamDeclaration; input: unknown; ctx: RequestContext }) => Decision | Promise<Decision>;

/** Without IAM enforcement every caller may do everything. */
export const allowAll: Authorizer = () => ({ allowed: true });

/** Names the protocol fronts give to the same failures. */
export interface ProtocolErrors {
  unknownOperation: (operation: string) => AwsError;
  validationCode: string;
  accessDenied: (message: string) => AwsError;
  /** How member names are spelled in validation messages. */
  memberName?: (name: string) => string;
}

/**
 * The one road every AWS API call takes after its protocol front decoded it: the operation must
 * exist in the model, the input must satisfy the model, IAM must allow it, then the handler runs.
 */
export async function dispatch(
  service: ServiceDefinition,
  operationName: string,
  input: unknown,
  ctx: RequestContext,
  errors: ProtocolErrors,
  authorize: Authorizer,
): Promise<unknown> {
  // Operation names come from the request: only the model's own operations are operations, never
  // what every object inherits (`toString`, `constructor`, `__proto__`).
  if (!Object.hasOwn(service.model.operations, operationName)) throw errors.unknownOperation(operationName);
  const model = service.model.operations[operationName];
  if (!Object.hasOwn(service.operations, operationName)) {
    throw new AwsError('NotImplemented', `codesuite does not implement ${service.model.metadata.serviceId} ${operationName} yet.`, 501);
  }
  let violations;
  try {
    violations = validateInput(service.model, model.input?.shape, input, service.validationMemberName ?? errors.memberName);
  } catch (err) {
    if (err instanceof SerializationError) throw new AwsError('SerializationException', err.message);
    throw err;
  }
  if (violations.length > 0) {
    throw service.validationError?.(operationName, violations) ?? new AwsError(errors.validationCode, violationMessage(violations));
  }
  const typed = (input ?? {}) as Record<string, unknown>;
  const spec = service.operations[operationName];
  const decision = await authorize({ iam: spec.iam, input: typed, ctx });
  if (!decision.allowed) throw errors.accessDenied(decision.message);
  return spec.handler(typed, ctx);
}
