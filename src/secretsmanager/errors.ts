import { AwsError } from '../core/errors.js';

/** Secrets Manager's named exceptions, with the texts the real service sends where they are known. */
const err = (code: string, message: string, status = 400) => new AwsError(code, message, status);

export const secretNotFound = () => err('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
export const versionNotFound = (what: 'staging label' | 'VersionId', value: string) =>
  err('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}: ${value}`);
export const secretExists = (name: string) => err('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
export const versionExists = () => err('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
export const markedForDeletion = () => err('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
export const nameScheduledForDeletion = () =>
  err('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
export const stageVersionMismatch = () => err('InvalidRequestException', 'You provided a VersionStage that is not associated to the provided VersionId.');
export const invalidParameter = (message: string) => err('InvalidParameterException', message);
export const bothValues = () => invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
export const recoveryWindowRange = () => invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
export const recoveryWindowWithForce = () => invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
export const invalidNextToken = () => err('InvalidNextTokenException', 'The NextToken value is invalid.');
export const invalidName = () =>
  err('ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
export const decryptionFailure = () => err('DecryptionFailure', "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
export const noReplication = () => err('NotImplemented', 'codesuite does not replicate secrets to other Regions.', 501);
