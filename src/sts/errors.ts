import { AwsError } from '../core/errors.js';

/**
 * STS's errors with the codes, statuses and texts the real service sends. Texts marked
 * (unconfirmed) were not found quoted from the real service; they follow its style.
 */
const accessDenied = (message: string) => new AwsError('AccessDenied', message, 403);
const invalidParameterValue = (message: string) => new AwsError('InvalidParameterValue', message, 400);
const validationError = (message: string) => new AwsError('ValidationError', message, 400);

export const notAuthorized = (callerArn: string, action: string, resource: string) =>
  accessDenied(`User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`);
export const rootCannotAssumeRoles = () => accessDenied('Roles may not be assumed by root accounts.');
export const sessionCredentialsNotAllowed = (operation: string) => accessDenied(`Cannot call ${operation} with session credentials`);
/** codesuite has no MFA devices yet, so no serial number is ever associated with the caller. */
export const mfaFailed = () =>
  accessDenied('MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.');

export const invalidArn = (arn: string) => validationError(`${arn} is invalid`);
export const durationOverRoleMax = () => validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
export const durationOverChainLimit = () =>
  validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');

export const duplicateTagKeys = () => invalidParameterValue('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
export const transitiveKeyNotInTags = () => invalidParameterValue('The specified transitive tag key must be included in the requested tags.');
export const transitiveKeyConflict = () =>
  invalidParameterValue("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
/** (unconfirmed) AWS documents that a source identity cannot change within a chain of sessions, not the error. */
export const sourceIdentityChanged = () => invalidParameterValue('The source identity of a role session cannot be changed by role chaining.');

export const malformedPolicyDocument = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);
export const packedPolicyTooLarge = (percent: number, policies: boolean) =>
  new AwsError(
    'PackedPolicyTooLarge',
    policies ? `Packed policy consumes ${percent}% of allotted space, please use smaller policy.` : `Packed size of session tags consumes ${percent}% of allotted space.`,
    400,
  );

export const expiredToken = () => new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
export const invalidToken = () => new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
