import { AwsError } from '../core/errors.js';

/** Lambda's named errors, with the texts AWS sends (see shared/reference/lambda.md). */
export const invalidParameter = (message: string) => new AwsError('InvalidParameterValueException', message, 400);
export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message, 404);
export const functionNotFound = (arn: string) => notFound(`Function not found: ${arn}`);
export const conflict = (message: string) => new AwsError('ResourceConflictException', message, 409);
export const staleRevision = (api = 'GetFunction/GetAlias') =>
  new AwsError(
    'PreconditionFailedException',
    `The Revision Id provided does not match the latest Revision Id. Call the ${api} API to retrieve the latest Revision Id`,
    412,
  );
export const tooLarge = (message: string) => new AwsError('RequestEntityTooLargeException', message, 413);
export const throttled = (reason: string) => new AwsError('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: reason });
export const notReady = (state: string) =>
  conflict(`The operation cannot be performed at this time. The function is currently in the following state: ${state}`);
export const updateInProgress = (arn: string) =>
  conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${arn}`);
