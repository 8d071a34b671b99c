import { AwsError } from '../core/errors.js';

/** CloudWatch Logs' named exceptions, with the texts the real service sends. */
const err = (code: string, message: string) => new AwsError(code, message);

export const invalidParameter = (message: string) => err('InvalidParameterException', message);
export const groupNotFound = () => err('ResourceNotFoundException', 'The specified log group does not exist.');
export const streamNotFound = () => err('ResourceNotFoundException', 'The specified log stream does not exist.');
export const groupExists = () => err('ResourceAlreadyExistsException', 'The specified log group already exists');
export const streamExists = () => err('ResourceAlreadyExistsException', 'The specified log stream already exists');
export const invalidNextToken = () => invalidParameter('The specified nextToken is invalid.');
export const tooManyTags = () => err('TooManyTagsException', 'A resource can have no more than 50 tags.');
export const nameAndIdentifier = () => invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
export const nameOrIdentifier = () => invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');

/** The model-shaped validation text, sent as InvalidParameterException as CloudWatch Logs does. */
export function constraint(member: string, value: unknown, text: string): AwsError {
  return invalidParameter(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${text}`);
}
