/**
 * Texts of the exceptions of pull requests, approval rules and templates, comments and triggers,
 * as CodeCommit's API reference words them.
 */
export const REVIEW_MESSAGES: Record<string, string> = {
  // Pull requests.
  PullRequestDoesNotExistException:
    'The pull request ID could not be found. Make sure that you have specified the correct repository name and pull request ID, and then try again.',
  InvalidPullRequestIdException:
    'The pull request ID is not valid. Make sure that you have provided the full ID and that the pull request is in the specified repository, and then try again.',
  PullRequestIdRequiredException: 'A pull request ID is required, but none was provided.',
  PullRequestAlreadyClosedException: 'The pull request status cannot be updated because it is already closed.',
  SourceAndDestinationAreSameException:
    'The source branch and destination branch for the pull request are the same. You must specify different branches for the source and destination.',
  TitleRequiredException: 'A pull request title is required. It cannot be empty or null.',
  InvalidTitleException: 'The title of the pull request is not valid. Pull request titles cannot exceed 100 characters in length.',
  InvalidDescriptionException: 'The pull request description is not valid. Descriptions cannot be more than 1,000 characters.',
  TargetsRequiredException: 'An array of target objects is required. It cannot be empty or null.',
  InvalidTargetsException:
    'The targets for the pull request is not valid or not in a valid format. Targets are a list of target objects. Each target object must contain the full values for the repository name, source branch, and destination branch for a pull request.',
  TargetRequiredException:
    'A pull request target is required. It cannot be empty or null. A pull request target must contain the full values for the repository name, source branch, and destination branch for the pull request.',
  InvalidTargetException:
    'The target for the pull request is not valid. A target must contain the full values for the repository name, source branch, and destination branch for the pull request.',
  MultipleRepositoriesInPullRequestException:
    'You cannot include more than one repository in a pull request. Make sure you have specified only one repository name in your request, and then try again.',
  MaximumOpenPullRequestsExceededException:
    'You cannot create the pull request because the repository has too many open pull requests. The maximum number of open pull requests for a repository is 1,000. Close one or more open pull requests, and then try again.',
  ReferenceNameRequiredException: 'A reference name is required, but none was provided.',
  InvalidReferenceNameException:
    'The specified reference name format is not valid. Reference names must conform to the Git references format (for example, refs/heads/main). For more information, see Git Internals - Git References or consult your Git documentation.',
  ReferenceDoesNotExistException: 'The specified reference does not exist. You must provide a full commit ID.',
  ReferenceTypeNotSupportedException: 'The specified reference is not a supported type.',
  ClientRequestTokenRequiredException:
    'A client request token is required. A client request token is an unique, client-generated idempotency token that, when provided in a request, ensures the request cannot be repeated with a changed parameter. If a request is received with the same parameters and a token is included, the request returns information about the initial request that used that token.',
  InvalidClientRequestTokenException: 'The client request token is not valid.',
  IdempotencyParameterMismatchException:
    'The client request token is not valid. Either the token is not in a valid format, or the token has been used in a previous request and cannot be reused.',
  TipOfSourceReferenceIsDifferentException:
    'The tip of the source branch in the destination repository does not match the tip of the source branch specified in your request. The pull request might have been updated. Make sure that you have the latest changes.',
  RepositoryNotAssociatedWithPullRequestException:
    'The repository does not contain any pull requests with that pull request ID. Use GetPullRequest to verify the correct repository name for the pull request ID.',
  PullRequestApprovalRulesNotSatisfiedException:
    'The pull request cannot be merged because one or more approval rules applied to the pull request have conditions that have not been met.',
  InvalidPullRequestStatusException: 'The pull request status is not valid. The only valid values are OPEN and CLOSED.',
  InvalidPullRequestStatusUpdateException: 'The pull request status update is not valid. The only valid update is from OPEN to CLOSED.',
  PullRequestStatusRequiredException: 'A pull request status is required, but none was provided.',
  InvalidAuthorArnException:
    'The Amazon Resource Name (ARN) is not valid. Make sure that you have provided the full ARN for the author of the pull request, and then try again.',
  InvalidPullRequestEventTypeException: 'The pull request event type is not valid.',
  InvalidActorArnException:
    'The Amazon Resource Name (ARN) is not valid. Make sure that you have provided the full ARN for the user who initiated the change for the pull request, and then try again.',
  // Approvals and approval rules.
  RevisionIdRequiredException: 'A revision ID is required, but was not provided.',
  InvalidRevisionIdException: 'The revision ID is not valid. Use GetPullRequest to determine the value.',
  RevisionNotCurrentException:
    'The revision ID provided in the request does not match the current revision ID. Use GetPullRequest to retrieve the current revision ID.',
  ApprovalStateRequiredException: 'An approval state is required, but was not specified.',
  InvalidApprovalStateException: 'The state for the approval is not valid. Valid values include APPROVE and REVOKE.',
  PullRequestCannotBeApprovedByAuthorException:
    'The approval cannot be applied because the user approving the pull request matches the user who created the pull request. You cannot approve a pull request that you created.',
  MaximumNumberOfApprovalsExceededException: 'The number of approvals required for the approval rule exceeds the maximum number allowed.',
  ApprovalRuleNameRequiredException: 'An approval rule name is required, but was not specified.',
  InvalidApprovalRuleNameException: 'The name for the approval rule is not valid.',
  ApprovalRuleNameAlreadyExistsException: 'An approval rule with that name already exists. Approval rule names must be unique within the scope of a pull request.',
  ApprovalRuleContentRequiredException: 'The content for the approval rule is empty. You must provide some content for an approval rule. The content cannot be null.',
  InvalidApprovalRuleContentException: 'The content for the approval rule is not valid.',
  NumberOfRulesExceededException: 'The approval rule cannot be added. The pull request has the maximum number of approval rules associated with it.',
  ApprovalRuleDoesNotExistException: 'The specified approval rule does not exist.',
  InvalidRuleContentSha256Exception: 'The SHA-256 hash signature for the rule content is not valid.',
  CannotModifyApprovalRuleFromTemplateException:
    'The approval rule cannot be modified for the pull request because it was created by an approval rule template and applied to the pull request automatically.',
  CannotDeleteApprovalRuleFromTemplateException:
    'The approval rule cannot be deleted from the pull request because it was created by an approval rule template and applied to the pull request automatically.',
  OverrideStatusRequiredException: 'An override status is required, but no value was provided. Valid values include OVERRIDE and REVOKE.',
  InvalidOverrideStatusException: 'The override status is not valid. Valid statuses are OVERRIDE and REVOKE.',
  OverrideAlreadySetException: 'The pull request has already had its approval rules set to override.',
  // Approval rule templates.
  ApprovalRuleTemplateNameRequiredException: 'An approval rule template name is required, but was not specified.',
  InvalidApprovalRuleTemplateNameException:
    'The name of the approval rule template is not valid. Template names must be between 1 and 100 valid characters in length. For more information about limits in CodeCommit, see Quotas in the CodeCommit User Guide.',
  ApprovalRuleTemplateDoesNotExistException:
    'The specified approval rule template does not exist. Verify that the name is correct and that you are signed in to the Amazon Web Services Region where the template was created, and then try again.',
  ApprovalRuleTemplateNameAlreadyExistsException:
    'You cannot create an approval rule template with that name because a template with that name already exists in this Amazon Web Services Region for your Amazon Web Services account. Approval rule template names must be unique.',
  ApprovalRuleTemplateContentRequiredException:
    'The content for the approval rule template is empty. You must provide some content for an approval rule template. The content cannot be null.',
  InvalidApprovalRuleTemplateContentException: 'The content of the approval rule template is not valid.',
  InvalidApprovalRuleTemplateDescriptionException:
    'The description for the approval rule template is not valid because it exceeds the maximum characters allowed for a description. For more information about limits in CodeCommit, see Quotas in the CodeCommit User Guide.',
  NumberOfRuleTemplatesExceededException: 'The maximum number of approval rule templates has been exceeded for this Amazon Web Services Region.',
  ApprovalRuleTemplateInUseException:
    'The approval rule template is associated with one or more repositories. You cannot delete a template that is associated with a repository. Remove all associations, and then try again.',
  MaximumRuleTemplatesAssociatedWithRepositoryException:
    'The maximum number of approval rule templates for a repository has been exceeded. You cannot associate more than 25 approval rule templates with a repository.',
  // Comments and reactions.
  CommentDoesNotExistException: 'No comment exists with the provided ID. Verify that you have used the correct ID, and then try again.',
  CommentIdRequiredException: 'The comment ID is missing or null. A comment ID is required.',
  InvalidCommentIdException: 'The comment ID is not in a valid format. Make sure that you have provided the full comment ID.',
  CommentDeletedException: 'This comment has already been deleted. You cannot edit or delete a deleted comment.',
  CommentContentRequiredException: 'The comment is empty. You must provide some content for a comment. The content cannot be null.',
  CommentContentSizeLimitExceededException: 'The comment is too large. Comments are limited to 10,240 characters.',
  CommentNotCreatedByCallerException: 'You cannot modify or delete this comment. Only comment authors can modify or delete their comments.',
  InvalidFileLocationException: 'The location of the file is not valid. Make sure that you include the file name and extension.',
  InvalidRelativeFileVersionEnumException:
    'Either the enum is not in a valid format, or the specified file version enum is not valid in respect to the current file version.',
  InvalidFilePositionException: 'The position is not valid. Make sure that the line number exists in the version of the file you want to comment on.',
  BeforeCommitIdAndAfterCommitIdAreSameException:
    'The before commit ID and the after commit ID are the same, which is not valid. The before commit ID and the after commit ID must be different commit IDs.',
  InvalidReactionValueException: 'The value of the reaction is not valid. For more information, see the CodeCommit User Guide.',
  ReactionValueRequiredException: 'A reaction value is required.',
  ReactionLimitExceededException: 'The number of reactions has been exceeded. Reactions are limited to one reaction per user for each individual comment ID.',
  InvalidReactionUserArnException: 'The Amazon Resource Name (ARN) of the user or identity is not valid.',
  // Repository triggers.
  RepositoryTriggersListRequiredException: 'The list of triggers for the repository is required, but was not specified.',
  MaximumRepositoryTriggersExceededException: 'The number of triggers allowed for the repository was exceeded.',
  InvalidRepositoryTriggerNameException: 'The name of the trigger is not valid.',
  InvalidRepositoryTriggerDestinationArnException:
    'The Amazon Resource Name (ARN) for the trigger is not valid for the specified destination. The most common reason for this error is that the ARN does not meet the requirements for the service type.',
  InvalidRepositoryTriggerRegionException:
    'The Amazon Web Services Region for the trigger target does not match the Amazon Web Services Region for the repository. Triggers must be created in the same Amazon Web Services Region as the target for the trigger.',
  InvalidRepositoryTriggerCustomDataException: 'The custom data provided for the trigger is not valid.',
  MaximumBranchesExceededException: 'The number of branches for the trigger was exceeded.',
  InvalidRepositoryTriggerBranchNameException: 'One or more branch names specified for the trigger is not valid.',
  InvalidRepositoryTriggerEventsException:
    'One or more events specified for the trigger is not valid. Check to make sure that all events specified match the requirements for allowed events.',
  RepositoryTriggerNameRequiredException: 'A name for the trigger is required, but was not specified.',
  RepositoryTriggerDestinationArnRequiredException: 'A destination ARN for the target service for the trigger is required, but was not specified.',
  RepositoryTriggerBranchNameListRequiredException: 'At least one branch name is required, but was not specified in the trigger configuration.',
  RepositoryTriggerEventsListRequiredException: 'At least one event for the trigger is required, but was not specified.',
};
