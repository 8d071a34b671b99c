import { AwsError } from '../core/errors.js';

/** Parameter Store's named exceptions, with the texts the real service sends where they are known. */
const err = (code: string, message: string, status = 400) => new AwsError(code, message, status);

export const validation = (message: string) => err('ValidationException', message);

export const parameterNotFound = (name: string) => err('ParameterNotFound', `Parameter ${name} not found.`);
export const parameterAlreadyExists = () =>
  err('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
export const parameterVersionNotFound = (version: number | string, name: string) =>
  err('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
export const parameterVersionLabelLimitExceeded = () =>
  err(
    'ParameterVersionLabelLimitExceeded',
    'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.',
  );
export const parameterMaxVersionLimitExceeded = (name: string, oldest: number) =>
  err(
    'ParameterMaxVersionLimitExceeded',
    `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
  );
export const parameterPatternMismatch = (pattern: string) =>
  err('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`);
export const invalidAllowedPattern = () => err('InvalidAllowedPatternException', "The request doesn't meet the regular expression requirement.");
export const hierarchyLevelLimitExceeded = () =>
  err(
    'HierarchyLevelLimitExceededException',
    'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.',
  );
export const invalidKeyId = () => err('InvalidKeyId', "The query key ID isn't valid.");
export const parameterLimitExceeded = () =>
  err('ParameterLimitExceeded', 'You have exceeded the number of parameters for this Amazon Web Services account. Delete one or more parameters and try again.');
export const invalidNextToken = () => err('InvalidNextToken', "The specified token isn't valid.");
export const invalidResourceId = () => err('InvalidResourceId', "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
export const tooManyTags = () => err('TooManyTagsError', 'The Targets parameter includes too many tags. Remove one or more tags and try the command again.');
export const invalidPolicyType = (type: string) =>
  err(
    'InvalidPolicyTypeException',
    `The policy type ${type} isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.`,
  );
export const invalidPolicyAttribute = (message: string) => err('InvalidPolicyAttributeException', message);
export const incompatiblePolicy = () =>
  err(
    'IncompatiblePolicyException',
    "There is a conflict in the policies specified for this parameter. You can't, for example, specify two Expiration policies for a parameter. Review your policies, and try again.",
  );
export const policiesLimitExceeded = () => err('PoliciesLimitExceededException', 'You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.');
export const invalidFilterKey = (message: string) => err('InvalidFilterKey', message);
export const invalidFilterOption = (message: string) => err('InvalidFilterOption', message);
export const invalidFilterValue = (message: string) => err('InvalidFilterValue', message);
export const reservedName = (name: string) => err('AccessDeniedException', `No access to reserved parameter name: ${name}.`);
export const decryptionFailed = () => err('InternalServerError', 'An error occurred on the server side.', 500);

/** The text AWS sends for any malformed parameter name (invalid characters, empty sub-paths...). */
export const INVALID_NAME =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
export const RESERVED_PREFIX = 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).';
export const NOT_FULLY_QUALIFIED = 'Parameter name must be a fully qualified name.';
/** The text for a malformed path (GetParametersByPath, the Path filter). */
export const INVALID_PATH =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';
