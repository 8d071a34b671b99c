import { AwsError } from '../core/errors.js';

/** CloudWatch's errors by their Query codes (the JSON front names them by shape and adds the code). */
export const invalidParameterValue = (message: string) => new AwsError('InvalidParameterValue', message);
export const invalidParameterCombination = (message: string) => new AwsError('InvalidParameterCombination', message);
export const missingParameter = (message: string) => new AwsError('MissingParameter', message);
export const invalidNextToken = () => new AwsError('InvalidNextToken', 'The service cannot process the NextToken provided.');
export const resourceNotFound = (message: string) => new AwsError('ResourceNotFound', message, 404);
export const resourceNotFoundException = (message: string) => new AwsError('ResourceNotFoundException', message, 404);
export const limitExceeded = (message: string) => new AwsError('LimitExceeded', message);
