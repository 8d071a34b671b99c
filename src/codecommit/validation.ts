import type { AwsError } from '../core/errors.js';
import type { ServiceModel } from '../core/models/model.js';
import type { Violation } from '../core/models/validate.js';
import { INVALID_REPOSITORY_NAME_CHARACTERS, inputError } from './errors.js';

/**
 * CodeCommit does not answer bad input with a generic ValidationException: each member has a
 * "required" and an "invalid" exception of its own. Which one applies is decided by the member;
 * an exception is only used if the model lists it for the operation.
 */
const BY_MEMBER: Record<string, { required?: string; invalid: string }> = {
  repositoryName: { required: 'RepositoryNameRequiredException', invalid: 'InvalidRepositoryNameException' },
  oldName: { required: 'RepositoryNameRequiredException', invalid: 'InvalidRepositoryNameException' },
  newName: { required: 'RepositoryNameRequiredException', invalid: 'InvalidRepositoryNameException' },
  repositoryNames: { required: 'RepositoryNamesRequiredException', invalid: 'InvalidRepositoryNameException' },
  repositoryDescription: { invalid: 'InvalidRepositoryDescriptionException' },
  branchName: { required: 'BranchNameRequiredException', invalid: 'InvalidBranchNameException' },
  defaultBranchName: { required: 'BranchNameRequiredException', invalid: 'InvalidBranchNameException' },
  commitId: { required: 'CommitIdRequiredException', invalid: 'InvalidCommitIdException' },
  sortBy: { invalid: 'InvalidSortByException' },
  order: { invalid: 'InvalidOrderException' },
  resourceArn: { required: 'ResourceArnRequiredException', invalid: 'InvalidResourceArnException' },
  tags: { required: 'TagsMapRequiredException', invalid: 'InvalidTagsMapException' },
  tagKeys: { required: 'TagKeysListRequiredException', invalid: 'InvalidTagKeysListException' },
  kmsKeyId: { required: 'EncryptionKeyRequiredException', invalid: 'EncryptionKeyInvalidIdException' },
};

export function codeCommitValidationError(model: ServiceModel) {
  return (operation: string, violations: Violation[]): AwsError | undefined => {
    const allowed = new Set((model.operations[operation].errors ?? []).map((e) => e.shape));
    const first = violations[0];
    const names = BY_MEMBER[first.member];
    if (!names) return undefined;
    const code = first.constraint === 'required' ? names.required : names.invalid;
    if (!code || !allowed.has(code)) return undefined;
    return code === 'InvalidRepositoryNameException' && first.constraint === 'pattern'
      ? inputError(code, INVALID_REPOSITORY_NAME_CHARACTERS)
      : inputError(code);
  };
}
