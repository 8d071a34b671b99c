import { AwsError } from '../core/errors.js';

/** CodeCommit's named exceptions, with the texts the real service sends. */
const err = (code: string, message: string) => new AwsError(code, message);

export const repositoryDoesNotExist = (name: string) => err('RepositoryDoesNotExistException', `${name} does not exist`);
export const repositoryNameExists = (name: string) => err('RepositoryNameExistsException', `Repository named ${name} already exists`);
export const branchDoesNotExist = () => err('BranchDoesNotExistException', 'The specified branch does not exist.');
export const branchNameExists = () =>
  err('BranchNameExistsException', 'Cannot create the branch with the specified name because the commit conflicts with an existing branch with the same name. Branch names must be unique.');
export const commitDoesNotExist = () =>
  err('CommitDoesNotExistException', 'The specified commit does not exist or no commit was specified, and the specified repository has no default branch.');
export const defaultBranchCannotBeDeleted = () =>
  err('DefaultBranchCannotBeDeletedException', 'The specified branch is the default branch for the repository, and cannot be deleted. To delete this branch, you must first set another branch as the default branch.');
export const invalidContinuationToken = () => err('InvalidContinuationTokenException', 'The specified continuation token is not valid.');
export const invalidSystemTagUsage = () => err('InvalidSystemTagUsageException', 'The specified tag is not valid. Key names cannot be prefixed with aws:.');
export const tooManyTags = () => err('TooManyTagsException', 'The maximum number of tags for an CodeCommit resource has been exceeded.');
export const encryptionKeyInvalidId = () => err('EncryptionKeyInvalidIdException', 'The Key Management Service encryption key is not valid.');
export const maximumRepositoryNamesExceeded = (max: number) =>
  err('MaximumRepositoryNamesExceededException', `repositoryNames has too many repository names.  Maximum allowed is ${max}`);

/**
 * Texts of the "required" and "invalid" exceptions CodeCommit raises for bad input. Where real
 * output has been quoted publicly it is used; otherwise the model's own description of the error.
 */
export const INPUT_MESSAGES: Record<string, string> = {
  RepositoryNameRequiredException: 'A repository name is required, but was not specified.',
  InvalidRepositoryNameException:
    'The repository name is not valid. Repository names can be any valid combination of letters, numbers, periods, underscores, and dashes between 1 and 100 characters in length. Names are case sensitive. For more information, see Limits in the AWS CodeCommit User Guide.',
  InvalidRepositoryDescriptionException: 'The specified repository description is not valid.',
  RepositoryNamesRequiredException: 'At least one repository name object is required, but was not specified.',
  BranchNameRequiredException: 'A branch name is required, but was not specified.',
  InvalidBranchNameException: 'The specified reference name is not valid.',
  CommitIdRequiredException: 'A commit ID was not specified.',
  InvalidCommitIdException: 'The specified commit ID is not valid.',
  InvalidSortByException: 'The specified sort by value is not valid.',
  InvalidOrderException: 'The specified sort order is not valid.',
  ResourceArnRequiredException:
    'A valid Amazon Resource Name (ARN) for an CodeCommit resource is required. For a list of valid resources in CodeCommit, see CodeCommit Resources and Operations in the CodeCommit User Guide.',
  InvalidResourceArnException:
    'The value for the resource ARN is not valid. For more information about resources in CodeCommit, see CodeCommit Resources and Operations in the CodeCommit User Guide.',
  TagsMapRequiredException: 'A map of tags is required.',
  InvalidTagsMapException: 'The map of tags is not valid.',
  TagKeysListRequiredException: 'A list of tag keys is required. The list cannot be empty or null.',
  InvalidTagKeysListException: 'The list of tags is not valid.',
  TooManyTagsException: 'The maximum number of tags for an CodeCommit resource has been exceeded.',
  EncryptionKeyRequiredException: 'A KMS encryption key ID is required but was not specified.',
  EncryptionKeyInvalidIdException: 'The Key Management Service encryption key is not valid.',
};

/** The pattern failure of a repository name has its own text in real output. */
export const INVALID_REPOSITORY_NAME_CHARACTERS = "Repository names are restricted to alphanumeric characters, plus '.', '_', and '-'";

export function inputError(code: string, message = INPUT_MESSAGES[code] ?? code): AwsError {
  return err(code, message);
}
