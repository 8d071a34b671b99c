import type { EvaluationResult as SimulationResult, PolicyEvaluationDecisionType, PolicySourceType, Statement } from '@aws-sdk/client-iam';
import type { EvaluationResult, MatchedStatement, PolicyType } from '../policy/index.js';
import { statementSpans, type StatementSpan } from './simulation-positions.js';

/**
 * Turns the evaluator's answer for one action on one resource into the EvaluationResult IAM's
 * simulator sends, following the API reference:
 * - MatchedStatements: the statements that decide: the matching Deny statements for an explicit
 *   deny ("the deny statement is the only entry included"), the matching Allow statements for
 *   an allow, none for an implicit deny;
 * - MissingContextValues: at the top level when the resource is `*`; with a resource ARN the list
 *   moves into ResourceSpecificResults and the top-level one is empty;
 * - EvalDecisionDetails: absent for a same-account simulation on `*`, present but empty for a
 *   same-account one on a resource ARN, and for a cross-account one a summary per policy type;
 * - PermissionsBoundaryDecisionDetail only when a permissions boundary takes part;
 * - no OrganizationsDecisionDetail: accounts here belong to no organization.
 * SourcePolicyType carries the texts IAM really sends ("IAM Policy", "Resource Policy"), not the
 * enum its model declares.
 */
const SOURCE_TYPE: Record<PolicyType, string> = {
  identity: 'IAM Policy',
  resource: 'Resource Policy',
  // (unconfirmed) the boundary's text; only the identity and resource texts were seen in IAM's answers.
  permissionsBoundary: 'Permissions Boundary Policy',
  session: 'Session Policy',
};

/** A policy taking part in a simulation: how IAM names it in MatchedStatements, and its text for positions. */
export class SimulatedPolicy {
  private spans: StatementSpan[] | undefined;

  constructor(
    /** PolicyInputList.1, ResourcePolicy, or the stored policy's name. */
    readonly sourceId: string,
    readonly text: string,
  ) {}

  statement(match: MatchedStatement): Statement {
    this.spans ??= statementSpans(this.text);
    const span = this.spans[match.index];
    return {
      SourcePolicyId: this.sourceId,
      SourcePolicyType: SOURCE_TYPE[match.policyType] as PolicySourceType,
      StartPosition: span?.start,
      EndPosition: span?.end,
    };
  }
}

export interface ResultInput {
  action: string;
  resource: string;
  evaluation: EvaluationResult;
  /** Evaluator policy ids -> the policies they stand for. */
  policies: ReadonlyMap<string, SimulatedPolicy>;
  missing: string[];
  crossAccount: boolean;
  hasBoundary: boolean;
}

export function simulationResult(input: ResultInput): SimulationResult {
  const { evaluation, resource } = input;
  const decision = evaluation.decision as PolicyEvaluationDecisionType;
  const deciding = evaluation.matchedStatements.filter((m) =>
    evaluation.decision === 'explicitDeny' ? m.effect === 'Deny' : evaluation.decision === 'allowed' ? m.effect === 'Allow' : false,
  );
  const statements = deciding.map((m) => input.policies.get(m.policyId)!.statement(m));
  const boundary = input.hasBoundary ? { AllowedByPermissionsBoundary: allowedBy(evaluation.matchedStatements, 'permissionsBoundary') } : undefined;
  const details = input.crossAccount ? crossAccountDetails(evaluation.matchedStatements, input.hasBoundary) : undefined;
  const common = { EvalActionName: input.action, EvalResourceName: resource, EvalDecision: decision, MatchedStatements: statements };
  if (resource === '*') {
    return { ...common, MissingContextValues: input.missing, EvalDecisionDetails: details, PermissionsBoundaryDecisionDetail: boundary };
  }
  return {
    ...common,
    MissingContextValues: [],
    EvalDecisionDetails: details ?? {},
    PermissionsBoundaryDecisionDetail: boundary,
    ResourceSpecificResults: [
      {
        EvalResourceName: resource,
        EvalResourceDecision: decision,
        MatchedStatements: statements,
        MissingContextValues: input.missing,
        EvalDecisionDetails: details,
        PermissionsBoundaryDecisionDetail: boundary,
      },
    ],
  };
}

/** A policy type allows when one of its Allow statements matched and none of its Deny statements did. */
function allowedBy(matched: readonly MatchedStatement[], type: PolicyType): boolean {
  const own = matched.filter((m) => m.policyType === type);
  return own.some((m) => m.effect === 'Allow') && !own.some((m) => m.effect === 'Deny');
}

function sideDecision(matched: readonly MatchedStatement[], types: PolicyType[], allowed: boolean): PolicyEvaluationDecisionType {
  if (matched.some((m) => types.includes(m.policyType) && m.effect === 'Deny')) return 'explicitDeny';
  return allowed ? 'allowed' : 'implicitDeny';
}

/**
 * (unconfirmed) the keys: IAM says the map summarises "how each policy type contributes"; the
 * names used are the SourcePolicyType texts of the two accounts' sides.
 */
function crossAccountDetails(matched: readonly MatchedStatement[], hasBoundary: boolean): Record<string, PolicyEvaluationDecisionType> {
  const identityAllowed = matched.some((m) => m.policyType === 'identity' && m.effect === 'Allow') && (!hasBoundary || allowedBy(matched, 'permissionsBoundary'));
  return {
    [SOURCE_TYPE.identity]: sideDecision(matched, ['identity', 'permissionsBoundary'], identityAllowed),
    [SOURCE_TYPE.resource]: sideDecision(matched, ['resource'], matched.some((m) => m.policyType === 'resource' && m.effect === 'Allow')),
  };
}
