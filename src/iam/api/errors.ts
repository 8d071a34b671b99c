import { AwsError } from '../../core/errors.js';

/**
 * IAM's errors with the codes and statuses of its model and the texts the real service sends.
 * Texts marked (unconfirmed) were not found quoted from the real service; they follow its style.
 */
const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);
const alreadyExists = (message: string) => new AwsError('EntityAlreadyExists', message, 409);

export const deleteConflict = (message: string) => new AwsError('DeleteConflict', message, 409);
export const limitExceeded = (message: string) => new AwsError('LimitExceeded', message, 409);
export const invalidInput = (message: string) => new AwsError('InvalidInput', message, 400);
export const validationError = (message: string) => new AwsError('ValidationError', message, 400);
export const malformedPolicyDocument = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);

export const userNotFound = (name: string) => noSuchEntity(`The user with name ${name} cannot be found.`);
export const groupNotFound = (name: string) => noSuchEntity(`The group with name ${name} cannot be found.`);
export const roleNotFound = (name: string) => noSuchEntity(`The role with name ${name} cannot be found.`);
export const inlinePolicyNotFound = (owner: 'user' | 'group' | 'role', name: string) =>
  noSuchEntity(`The ${owner} policy with name ${name} cannot be found.`);
export const policyNotFound = (arn: string) => noSuchEntity(`Policy ${arn} was not found.`);
export const policyNotAttachable = (arn: string) => noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
export const policyVersionNotFound = (arn: string, versionId: string) =>
  noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
export const accessKeyNotFound = (id: string) => noSuchEntity(`The Access Key with id ${id} cannot be found.`);
/** (unconfirmed) */
export const serviceCredentialNotFound = (id: string) => noSuchEntity(`The Service Specific Credential with id ${id} cannot be found.`);
/** (unconfirmed) */
export const userNotInGroup = (user: string, group: string) => noSuchEntity(`User ${user} is not in group ${group}.`);

export const userExists = (name: string) => alreadyExists(`User with name ${name} already exists.`);
export const groupExists = (name: string) => alreadyExists(`Group with name ${name} already exists.`);
export const roleExists = (name: string) => alreadyExists(`Role with name ${name} already exists.`);
export const policyExists = (name: string) => alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);

export const quotaExceeded = (quota: string, value: number) => limitExceeded(`Cannot exceed quota for ${quota}: ${value}`);

export const invalidArn = (arn: string) => invalidInput(`ARN ${arn} is not valid.`);

export const nonUserCredentials = () => validationError('Must specify userName when calling with non-User credentials');

/** (unconfirmed) */
export const serviceNotSupported = (service: string) =>
  new AwsError('NotSupportedService', `The service ${service} is not supported for service-specific credentials.`, 404);

/**
 * AWS managed policies belong to the `aws` account: changing one is a cross-account write that
 * no identity policy can grant, so IAM answers with an access denial.
 */
export const awsManagedPolicyDenied = (principalArn: string, action: string, arn: string) =>
  new AwsError('AccessDenied', `User: ${principalArn} is not authorized to perform: iam:${action} on resource: policy ${arn}`, 403);
