import { AwsError } from '../core/errors.js';

/** CodeStar Notifications' named exceptions, with the HTTP statuses its model gives them. */
export const validation = (message: string) => new AwsError('ValidationException', message, 400);
export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message, 404);
export const alreadyExists = (message: string) => new AwsError('ResourceAlreadyExistsException', message, 409);
export const limitExceeded = (message: string) => new AwsError('LimitExceededException', message, 400);
export const configuration = (message: string) => new AwsError('ConfigurationException', message, 400);
export const invalidNextToken = () => new AwsError('InvalidNextTokenException', 'The specified NextToken is not valid.', 400);

export const ruleNotFound = (arn: string) => notFound(`Notification rule ${arn} does not exist.`);
