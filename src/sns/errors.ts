import { AwsError } from '../core/errors.js';

/** SNS's named errors, with the texts the real service sends (notifications.md §1). */
const err = (code: string, message: string, status = 400) => new AwsError(code, message, status);

export const invalidParameter = (what: string) => err('InvalidParameter', `Invalid parameter: ${what}`);
export const invalidParameterValue = (message: string) => err('ParameterValueInvalid', message);
export const topicNotFound = () => err('NotFound', 'Topic does not exist', 404);
export const subscriptionNotFound = () => err('NotFound', 'Subscription does not exist', 404);
export const resourceNotFound = () => err('ResourceNotFound', 'Resource does not exist', 404);
export const authorizationError = (message: string) => err('AuthorizationError', message, 403);
export const batchIdsNotDistinct = () => err('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
export const tooManyEntries = () => err('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
export const emptyBatch = () => err('EmptyBatchRequest', 'The batch request does not contain any entries.');
export const invalidBatchEntryId = () =>
  err('InvalidBatchEntryId', 'The Id of a batch entry in a batch request does not abide by the specification.');
export const batchTooLong = () => err('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
export const tagPolicy = (message: string) => err('TagPolicy', message);
