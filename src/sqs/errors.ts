import { AwsError } from '../core/errors.js';

/**
 * SQS's errors, thrown by their JSON shape name. The Query code of each (what `x-amzn-query-error`
 * carries, and what Query answers and botocore's `Error.Code` show) is AWS's; shapes not listed
 * here keep their name as their code.
 */
const QUERY_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  InvalidParameterValueException: 'InvalidParameterValue',
  MissingRequiredParameterException: 'MissingParameter',
  QueueNameExists: 'QueueAlreadyExists',
  PurgeQueueInProgress: 'AWS.SimpleQueueService.PurgeQueueInProgress',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
  QueueDeletedRecently: 'AWS.SimpleQueueService.QueueDeletedRecently',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
  AccessDeniedException: 'AccessDenied',
  ValidationException: 'ValidationError',
};

export const queryErrorCode = (code: string): string => QUERY_CODES[code] ?? code;

const err = (code: string, message: string, status = 400) => new AwsError(code, message, status);

export const queueDoesNotExist = () => err('QueueDoesNotExist', 'The specified queue does not exist.');
export const invalidParameterValue = (message: string) => err('InvalidParameterValueException', message);
/** AWS's form for a value out of its range: `Value 21 for parameter WaitTimeSeconds is invalid. Reason: ...` */
export const invalidValue = (value: unknown, parameter: string, reason: string) =>
  invalidParameterValue(`Value ${value} for parameter ${parameter} is invalid. Reason: ${reason}`);
export const missingParameter = (name: string) => err('MissingRequiredParameterException', `The request must contain the parameter ${name}.`);
export const queueNameExists = (attribute: string) =>
  err('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${attribute}`);
export const invalidAttributeName = (message: string) => err('InvalidAttributeName', message);
export const invalidAttributeValue = (message: string) => err('InvalidAttributeValue', message);
export const purgeInProgress = (name: string) =>
  err('PurgeQueueInProgress', `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`, 403);
export const receiptHandleIsInvalid = (handle: string) =>
  err('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
export const messageNotInflight = () => err('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
export const emptyBatch = (entryShape: string) => err('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`);
export const tooManyEntries = (count: number) =>
  err('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${count}.`);
export const idsNotDistinct = (id: string) => err('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
export const invalidBatchEntryId = () =>
  err('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
export const batchTooLong = (size: number, limit: number) =>
  err('BatchRequestTooLong', `Batch requests cannot be longer than ${limit} bytes. You have sent ${size} bytes.`);
export const resourceNotFound = (message: string) => err('ResourceNotFoundException', message, 404);
export const unsupported = (message: string) => err('UnsupportedOperation', message);
export const overLimit = (message: string) => err('OverLimit', message, 403);
