import type { AwsError } from '../core/errors.js';
import type { ServiceModel } from '../core/models/model.js';
import type { Violation } from '../core/models/validate.js';
import { INVALID_REPOSITORY_NAME_CHARACTERS, inputError } from './errors.js';

/**
 * CodeCommit does not answer bad input with a generic ValidationException: each member has a
 * "required" and an "invalid" exception of its own. Which one applies is decided by the member;
 * an exception is only used if the model lists it for the operation.
 */
const BY_MEMBER: Record<string, { required?: Codes; invalid: Codes }> = {
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
  // Content API members.
  filePath: { required: 'PathRequiredException', invalid: 'InvalidPathException' },
  folderPath: { required: 'PathRequiredException', invalid: 'InvalidPathException' },
  filePaths: { required: 'PathRequiredException', invalid: 'InvalidPathException' },
  beforePath: { invalid: 'InvalidPathException' },
  afterPath: { invalid: 'InvalidPathException' },
  blobId: { required: 'BlobIdRequiredException', invalid: 'InvalidBlobIdException' },
  commitIds: { required: 'CommitIdsListRequiredException', invalid: 'InvalidCommitIdException' },
  commitSpecifier: { required: 'CommitRequiredException', invalid: 'InvalidCommitException' },
  afterCommitSpecifier: { required: 'CommitRequiredException', invalid: 'InvalidCommitException' },
  beforeCommitSpecifier: { invalid: 'InvalidCommitException' },
  sourceCommitSpecifier: { required: 'CommitRequiredException', invalid: ['InvalidSourceCommitSpecifierException', 'InvalidCommitException'] },
  destinationCommitSpecifier: {
    required: 'CommitRequiredException',
    invalid: ['InvalidDestinationCommitSpecifierException', 'InvalidCommitException'],
  },
  parentCommitId: { required: 'ParentCommitIdRequiredException', invalid: 'InvalidParentCommitIdException' },
  targetBranch: { required: 'BranchNameRequiredException', invalid: ['InvalidTargetBranchException', 'InvalidBranchNameException'] },
  // Blobs are measured after base64 decoding, so an oversized file fails its `max` constraint.
  fileContent: { required: 'FileContentRequiredException', invalid: 'FileContentSizeLimitExceededException' },
  content: {
    required: ['CommentContentRequiredException', 'ReplacementContentRequiredException'],
    invalid: ['CommentContentSizeLimitExceededException', 'FileContentSizeLimitExceededException'],
  },
  fileMode: { required: 'FileModeRequiredException', invalid: 'InvalidFileModeException' },
  email: { invalid: 'InvalidEmailException' },
  name: { required: 'RepositoryTriggerNameRequiredException', invalid: ['NameLengthExceededException', 'InvalidRepositoryTriggerNameException'] },
  authorName: { invalid: 'NameLengthExceededException' },
  commitMessage: { invalid: 'CommitMessageLengthExceededException' },
  MaxResults: { invalid: 'InvalidMaxResultsException' },
  maxResults: { invalid: 'InvalidMaxResultsException' },
  maxConflictFiles: { invalid: 'InvalidMaxConflictFilesException' },
  maxMergeHunks: { invalid: 'InvalidMaxMergeHunksException' },
  NextToken: { invalid: 'InvalidContinuationTokenException' },
  nextToken: { invalid: 'InvalidContinuationTokenException' },
  mergeOption: { required: 'MergeOptionRequiredException', invalid: 'InvalidMergeOptionException' },
  conflictDetailLevel: { invalid: 'InvalidConflictDetailLevelException' },
  conflictResolutionStrategy: { invalid: 'InvalidConflictResolutionStrategyException' },
  conflictResolution: { invalid: 'InvalidConflictResolutionException' },
  replacementType: { required: 'ReplacementTypeRequiredException', invalid: 'InvalidReplacementTypeException' },
  // Pull requests, approvals, templates, comments and triggers.
  pullRequestId: { required: 'PullRequestIdRequiredException', invalid: 'InvalidPullRequestIdException' },
  title: { required: 'TitleRequiredException', invalid: 'InvalidTitleException' },
  description: { invalid: 'InvalidDescriptionException' },
  targets: { required: 'TargetsRequiredException', invalid: 'InvalidTargetsException' },
  sourceReference: { required: 'ReferenceNameRequiredException', invalid: 'InvalidReferenceNameException' },
  destinationReference: { invalid: 'InvalidReferenceNameException' },
  clientRequestToken: { required: 'ClientRequestTokenRequiredException', invalid: 'InvalidClientRequestTokenException' },
  pullRequestStatus: { required: 'PullRequestStatusRequiredException', invalid: 'InvalidPullRequestStatusException' },
  pullRequestEventType: { invalid: 'InvalidPullRequestEventTypeException' },
  actorArn: { invalid: 'InvalidActorArnException' },
  authorArn: { invalid: 'InvalidAuthorArnException' },
  sourceCommitId: { invalid: 'InvalidCommitIdException' },
  revisionId: { required: 'RevisionIdRequiredException', invalid: 'InvalidRevisionIdException' },
  approvalState: { required: 'ApprovalStateRequiredException', invalid: 'InvalidApprovalStateException' },
  overrideStatus: { required: 'OverrideStatusRequiredException', invalid: 'InvalidOverrideStatusException' },
  approvalRuleName: { required: 'ApprovalRuleNameRequiredException', invalid: 'InvalidApprovalRuleNameException' },
  approvalRuleContent: { required: 'ApprovalRuleContentRequiredException', invalid: 'InvalidApprovalRuleContentException' },
  newRuleContent: {
    required: ['ApprovalRuleContentRequiredException', 'ApprovalRuleTemplateContentRequiredException'],
    invalid: ['InvalidApprovalRuleContentException', 'InvalidApprovalRuleTemplateContentException'],
  },
  existingRuleContentSha256: { invalid: 'InvalidRuleContentSha256Exception' },
  approvalRuleTemplateName: { required: 'ApprovalRuleTemplateNameRequiredException', invalid: 'InvalidApprovalRuleTemplateNameException' },
  oldApprovalRuleTemplateName: { required: 'ApprovalRuleTemplateNameRequiredException', invalid: 'InvalidApprovalRuleTemplateNameException' },
  newApprovalRuleTemplateName: { required: 'ApprovalRuleTemplateNameRequiredException', invalid: 'InvalidApprovalRuleTemplateNameException' },
  approvalRuleTemplateContent: { required: 'ApprovalRuleTemplateContentRequiredException', invalid: 'InvalidApprovalRuleTemplateContentException' },
  approvalRuleTemplateDescription: { invalid: 'InvalidApprovalRuleTemplateDescriptionException' },
  commentId: { required: 'CommentIdRequiredException', invalid: 'InvalidCommentIdException' },
  inReplyTo: { required: 'CommentIdRequiredException', invalid: 'InvalidCommentIdException' },
  reactionValue: { required: 'ReactionValueRequiredException', invalid: 'InvalidReactionValueException' },
  reactionUserArn: { invalid: 'InvalidReactionUserArnException' },
  beforeCommitId: { required: 'CommitIdRequiredException', invalid: 'InvalidCommitIdException' },
  afterCommitId: { required: 'CommitIdRequiredException', invalid: 'InvalidCommitIdException' },
  location: { invalid: 'InvalidFileLocationException' },
  filePosition: { invalid: 'InvalidFilePositionException' },
  relativeFileVersion: { invalid: 'InvalidRelativeFileVersionEnumException' },
  triggers: { required: 'RepositoryTriggersListRequiredException', invalid: 'MaximumRepositoryTriggersExceededException' },
  destinationArn: { required: 'RepositoryTriggerDestinationArnRequiredException', invalid: 'InvalidRepositoryTriggerDestinationArnException' },
  customData: { invalid: 'InvalidRepositoryTriggerCustomDataException' },
  branches: { invalid: ['InvalidRepositoryTriggerBranchNameException'] },
  events: { required: 'RepositoryTriggerEventsListRequiredException', invalid: 'InvalidRepositoryTriggerEventsException' },
};

/** One exception name, or candidates in order of preference (the first one the operation lists wins). */
type Codes = string | string[];

export function codeCommitValidationError(model: ServiceModel) {
  return (operation: string, violations: Violation[]): AwsError | undefined => {
    const allowed = new Set((model.operations[operation].errors ?? []).map((e) => e.shape));
    const first = violations[0];
    const names = BY_MEMBER[first.member];
    if (!names) return undefined;
    const candidates = first.constraint === 'required' ? names.required : names.invalid;
    const code = [candidates ?? []].flat().find((c) => allowed.has(c));
    if (!code) return undefined;
    return code === 'InvalidRepositoryNameException' && first.constraint === 'pattern'
      ? inputError(code, INVALID_REPOSITORY_NAME_CHARACTERS)
      : inputError(code);
  };
}
