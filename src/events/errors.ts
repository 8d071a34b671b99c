import { AwsError } from '../core/errors.js';

/** EventBridge's named exceptions, with the texts the real service sends. */
const err = (code: string, message: string) => new AwsError(code, message);

export const validation = (message: string) => err('ValidationException', message);
export const busNotFound = (name: string) => err('ResourceNotFoundException', `Event bus ${name} does not exist.`);
export const busExists = (name: string) => err('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
export const ruleNotFound = (name: string, bus: string) => err('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
export const connectionNotFound = (name: string) => err('ResourceNotFoundException', `Connection '${name}' does not exist.`);
export const connectionExists = (name: string) => err('ResourceAlreadyExistsException', `Connection ${name} already exists.`);
export const apiDestinationNotFound = (name: string) => err('ResourceNotFoundException', `An api-destination '${name}' does not exist.`);
export const apiDestinationExists = (name: string) => err('ResourceAlreadyExistsException', `An api-destination ${name} already exists.`);
export const limitExceeded = () => err('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
export const invalidNextToken = () => validation('The NextToken provided is invalid.');
export const scheduleInvalid = () => validation('Parameter ScheduleExpression is not valid.');
