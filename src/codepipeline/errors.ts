import { AwsError } from '../core/errors.js';

/** CodePipeline's named exceptions, with the texts the real service sends where they are known. */
const err = (code: string, message: string) => new AwsError(code, message, 400);

export const validation = (message: string) => err('ValidationException', message);
export const invalidStructure = (message: string) => err('InvalidStructureException', message);
export const invalidAction = (message: string) => err('InvalidActionDeclarationException', message);
export const invalidStage = (message: string) => err('InvalidStageDeclarationException', message);
export const invalidBlocker = (message: string) => err('InvalidBlockerDeclarationException', message);
export const pipelineNotFound = (accountId: string, name: string) =>
  err('PipelineNotFoundException', `Account '${accountId}' does not have a pipeline with name '${name}'`);
export const pipelineNameInUse = (accountId: string, name: string) =>
  err('PipelineNameInUseException', `A pipeline with the name '${name}' already exists in account '${accountId}'`);
export const pipelineVersionNotFound = (version: number, name: string) =>
  err('PipelineVersionNotFoundException', `Pipeline '${name}' does not have version '${version}'`);
export const executionNotFound = (id: string, name: string) =>
  err('PipelineExecutionNotFoundException', `Pipeline execution with id '${id}' does not exist in pipeline with name '${name}'`);
export const stageNotFound = (stage: string, name: string) => err('StageNotFoundException', `Stage '${stage}' does not exist in pipeline '${name}'`);
export const actionNotFound = (action: string, stage: string) => err('ActionNotFoundException', `Action '${action}' does not exist in stage '${stage}'`);
export const invalidApprovalToken = () => err('InvalidApprovalTokenException', 'The approval action token is not valid or the approval is no longer pending.');
export const approvalAlreadyCompleted = () => err('ApprovalAlreadyCompletedException', 'The approval request has already been completed.');
export const notStoppable = (message: string) => err('PipelineExecutionNotStoppableException', message);
export const duplicatedStop = (id: string) =>
  err('DuplicatedStopRequestException', `Pipeline execution '${id}' is already being stopped. Use abandon to stop it at once.`);
export const stageNotRetryable = (message: string) => err('StageNotRetryableException', message);
export const notLatestExecution = (id: string, stage: string) =>
  err('NotLatestPipelineExecutionException', `Pipeline execution '${id}' is not the latest execution in stage '${stage}'`);
export const conflict = (message: string) => err('ConflictException', message);
export const invalidNextToken = () => err('InvalidNextTokenException', 'The next token is not valid.');
export const resourceNotFound = (arn: string) => err('ResourceNotFoundException', `The resource with ARN ${arn} was not found.`);
export const invalidTags = (message: string) => err('InvalidTagsException', message);
export const tooManyTags = () => err('TooManyTagsException', 'The tags limit for a resource has been exceeded.');
export const actionTypeNotFound = (t: { category?: string; owner?: string; provider?: string; version?: string }) =>
  err('ActionTypeNotFoundException', `ActionType (Category: '${t.category}', Owner: '${t.owner}', Provider: '${t.provider}', Version: '${t.version}') is not available`);
export const jobNotFound = (id: string) => err('JobNotFoundException', `Job '${id}' does not exist`);
export const invalidJobState = (message: string) => err('InvalidJobStateException', message);
export const invalidNonce = () => err('InvalidNonceException', 'The nonce was not valid.');
export const limitExceeded = (message: string) => err('LimitExceededException', message);
export const webhookNotFound = () => err('WebhookNotFoundException', 'The specified webhook was not found.');
