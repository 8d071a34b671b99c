import { AwsError } from '../core/errors.js';

export const invalidInput = (message: string) => new AwsError('InvalidInputException', message);
export const resourceNotFound = (message: string) => new AwsError('ResourceNotFoundException', message);
export const alreadyExists = (message: string) => new AwsError('ResourceAlreadyExistsException', message);
export const accountLimitExceeded = (message: string) => new AwsError('AccountLimitExceededException', message);
export const projectNotFound = (arn: string) => resourceNotFound(`Project cannot be found: ${arn}`);
