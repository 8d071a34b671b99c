/** The IAM policy language: parsing with AWS's validation texts, and the authorization decision. */
export { PolicyParseError, POLICY_ERRORS } from './errors.js';
export { parsePolicy, type CompiledPolicy, type CompiledStatement, type ParseOptions } from './parse.js';
export type { PolicyKind, PolicyVersion } from './validate.js';
export type { ContextScalar, ContextValue, ContextValues } from './context.js';
export type { Principal } from './principals.js';
export {
  evaluate,
  type DecisionReason,
  type EvaluationRequest,
  type EvaluationResult,
  type MatchedStatement,
  type PolicyInput,
  type PolicyType,
} from './evaluate.js';
export { accessDeniedMessage, accessDeniedReason } from './messages.js';
export { actionConditionKeys, actionExists } from './iam-data.js';
