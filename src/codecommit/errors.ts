import { AwsError } from '../core/errors.js';
import { REVIEW_MESSAGES } from './review-messages.js';

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
  // Content API: files, folders, commits and differences.
  PathRequiredException: 'The folderPath for a location cannot be null.',
  InvalidPathException: 'The specified path is not valid.',
  PathDoesNotExistException: 'The specified path does not exist.',
  FileDoesNotExistException: 'The specified file does not exist. Verify that you have used the correct file name, full path, and extension.',
  FolderDoesNotExistException:
    'The specified folder does not exist. Either the folder name is not correct, or you did not enter the full path to the folder.',
  FileTooLargeException:
    'The specified file exceeds the file size limit for CodeCommit. For more information about limits in CodeCommit, see Quotas in the CodeCommit User Guide.',
  BlobIdRequiredException: 'A blob ID is required, but was not specified.',
  InvalidBlobIdException: 'The specified blob is not valid.',
  BlobIdDoesNotExistException: 'The specified blob does not exist.',
  CommitRequiredException: 'A commit was not specified.',
  InvalidCommitException: 'The specified commit is not valid.',
  CommitIdDoesNotExistException: 'The specified commit ID does not exist.',
  CommitIdsListRequiredException: 'A list of commit IDs is required, but was either not specified or the list was empty.',
  CommitIdsLimitExceededException:
    'The maximum number of allowed commit IDs in a batch request is 100. Verify that your batch requests contains no more than 100 commit IDs, and then try again.',
  InvalidMaxResultsException: 'The specified number of maximum results is not valid.',
  ParentCommitIdRequiredException:
    'A parent commit ID is required. To view the full commit ID of a branch in a repository, use GetBranch or a Git command (for example, git pull or git log).',
  InvalidParentCommitIdException:
    'The parent commit ID is not valid. The commit ID cannot be empty, and must match the head commit ID for the branch of the repository where you want to add or update a file.',
  ParentCommitDoesNotExistException:
    'The parent commit ID is not valid because it does not exist. The specified parent commit ID does not exist in the specified branch of the repository.',
  ParentCommitIdOutdatedException:
    'The file could not be added because the provided parent commit ID is not the current tip of the specified branch. To view the full commit ID of the current head of the branch, use GetBranch.',
  BranchNameIsTagNameException:
    'The specified branch name is not valid because it is a tag name. Enter the name of a branch in the repository. For a list of valid branch names, use ListBranches.',
  FileContentRequiredException: 'The file cannot be added because it is empty. Empty files cannot be added to the repository with this API.',
  FileContentSizeLimitExceededException:
    'The file cannot be added because it is too large. The maximum file size is 6 MB, and the combined file content change size is 7 MB. Consider making these changes using a Git client.',
  FolderContentSizeLimitExceededException:
    'The commit cannot be created because at least one of the overall changes in the commit results in a folder whose contents exceed the limit of 6 MB. Either reduce the number and size of your changes, or split the changes across multiple folders.',
  SameFileContentException:
    'The file was not added or updated because the content of the file is exactly the same as the content of that file in the repository and branch that you specified.',
  FileNameConflictsWithDirectoryNameException:
    'A file cannot be added to the repository because the specified file name has the same name as a directory in this repository. Either provide another name for the file, or add the file in a directory that does not match the file name.',
  DirectoryNameConflictsWithFileNameException:
    'A file cannot be added to the repository because the specified path name has the same name as a file that already exists in this repository. Either provide a different name for the file, or specify a different path for the file.',
  FilePathConflictsWithSubmodulePathException:
    'The commit cannot be created because a specified file path points to a submodule. Verify that the destination files have valid file paths that do not point to a submodule.',
  InvalidFileModeException: 'The specified file mode permission is not valid. For a list of valid file mode permissions, see PutFile.',
  FileModeRequiredException:
    'The commit cannot be created because no file mode has been specified. A file mode is required to update mode permissions for a file.',
  NameLengthExceededException: 'The user name is not valid because it has exceeded the character limit for author names.',
  InvalidEmailException:
    'The specified email address either contains one or more characters that are not allowed, or it exceeds the maximum number of characters allowed for an email address.',
  CommitMessageLengthExceededException: 'The commit message is too long. Provide a shorter string.',
  FileEntryRequiredException:
    'The commit cannot be created because no files have been specified as added, updated, or changed (PutFile or DeleteFile) for the commit.',
  MaximumFileEntriesExceededException:
    'The number of specified files to change as part of this commit exceeds the maximum number of files that can be changed in a single commit. Consider using a Git client for these changes.',
  PutFileEntryConflictException: 'The commit cannot be created because one or more files specified in the commit reference both a file and a folder.',
  SourceFileOrContentRequiredException: 'The commit cannot be created because no source files or file content have been specified for the commit.',
  FileContentAndSourceFileSpecifiedException:
    'The commit cannot be created because both a source file and file content have been specified for the same file. You cannot provide both. Either specify a source file or provide the file content directly.',
  SamePathRequestException:
    'The commit cannot be created because one or more changes in this commit duplicate actions in the same file path. For example, you cannot make the same delete request to the same file in the same file path twice, or make a delete request and a move request to the same file as part of the same commit.',
  RestrictedSourceFileException: 'The commit cannot be created because one of the changes specifies copying or moving a .gitkeep file.',
  NoChangeException:
    'The commit cannot be created because no changes will be made to the repository as a result of this commit. A commit must contain at least one change.',
  // Merges.
  MergeOptionRequiredException: 'A merge option or stategy is required, and none was provided.',
  InvalidMergeOptionException: 'The specified merge option is not valid for this operation. Not all merge strategies are supported for all operations.',
  InvalidConflictDetailLevelException: 'The specified conflict detail level is not valid.',
  InvalidConflictResolutionStrategyException: 'The specified conflict resolution strategy is not valid.',
  InvalidConflictResolutionException: 'The specified conflict resolution list is not valid.',
  InvalidMaxConflictFilesException: 'The specified value for the number of conflict files to return is not valid.',
  InvalidMaxMergeHunksException: 'The specified value for the number of merge hunks to return is not valid.',
  InvalidSourceCommitSpecifierException: 'The source commit specifier is not valid. You must provide a valid branch name, tag, or full commit ID.',
  InvalidDestinationCommitSpecifierException:
    'The destination commit specifier is not valid. You must provide a valid branch name, tag, or full commit ID.',
  InvalidTargetBranchException: 'The specified target branch is not valid.',
  TipsDivergenceExceededException:
    'The divergence between the tips of the provided commit specifiers is too great to determine whether there might be any merge conflicts. Locally compare the specifiers using git diff or a diff tool.',
  ManualMergeRequiredException:
    'The pull request cannot be merged automatically into the destination branch. You must manually merge the branches and resolve any conflicts.',
  ConcurrentReferenceUpdateException:
    'The merge cannot be completed because the target branch has been modified. Another user might have modified the target branch while the merge was in progress. Wait a few minutes, and then try again.',
  MaximumConflictResolutionEntriesExceededException: 'The number of allowed conflict resolution entries was exceeded.',
  MultipleConflictResolutionEntriesException:
    'More than one conflict resolution entries exists for the conflict. A conflict can have only one conflict resolution entry.',
  ReplacementTypeRequiredException: 'A replacement type is required.',
  InvalidReplacementTypeException: 'Automerge was specified for resolving the conflict, but the specified replacement type is not valid.',
  ReplacementContentRequiredException: 'USE_NEW_CONTENT was specified, but no replacement content has been provided.',
  InvalidReplacementContentException: 'Automerge was specified for resolving the conflict, but the replacement type is not valid or content is missing.',
  MaximumFileContentToLoadExceededException: 'The number of files to load exceeds the allowed limit.',
  MaximumItemsToCompareExceededException:
    'The number of items to compare between the source or destination branches and the merge base has exceeded the maximum allowed.',
  ...REVIEW_MESSAGES,
};

/** The pattern failure of a repository name has its own text in real output. */
export const INVALID_REPOSITORY_NAME_CHARACTERS = "Repository names are restricted to alphanumeric characters, plus '.', '_', and '-'";

export function inputError(code: string, message = INPUT_MESSAGES[code] ?? code): AwsError {
  return err(code, message);
}
