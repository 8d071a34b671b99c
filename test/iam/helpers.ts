import { evaluate, type ContextValues, type EvaluationResult, type Principal } from '../../src/iam/policy/index.js';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REPO = `arn:aws:codecommit:us-east-1:${ACCOUNT}:my-repo`;

export const alice: Principal = { type: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userId: 'AIDAALICE' };
export const root: Principal = { type: 'root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, userId: ACCOUNT };
export const roleArn = `arn:aws:iam::${ACCOUNT}:role/builder`;
export const builderRole: Principal = { type: 'role', arn: roleArn, accountId: ACCOUNT };
export const builderSession: Principal = {
  type: 'role-session',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/builder/ci`,
  accountId: ACCOUNT,
  userId: 'AROABUILDER:ci',
  roleArn,
};
export const federatedBob: Principal = {
  type: 'federated-user',
  arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
  accountId: ACCOUNT,
  userArn: `arn:aws:iam::${ACCOUNT}:user/bob`,
};

type Statement = Record<string, unknown>;

export function policy(...statements: Statement[]): object {
  return { Version: '2012-10-17', Statement: statements };
}

export const allowAll = policy({ Effect: 'Allow', Action: '*', Resource: '*' });

/** Whether an Allow statement carrying this Condition block lets the request through. */
export function conditionHolds(condition: Record<string, unknown>, context: ContextValues = {}, version = '2012-10-17'): boolean {
  const document = { Version: version, Statement: [{ Effect: 'Allow', Action: 'codecommit:GetRepository', Resource: '*', Condition: condition }] };
  return evaluate({ action: 'codecommit:GetRepository', resource: REPO, context, principal: alice, identityPolicies: [{ id: 'p', document }] }).decision === 'allowed';
}

/** Evaluates one identity policy for alice. */
export function decide(document: object, action: string, resource = REPO, context: ContextValues = {}): EvaluationResult['decision'] {
  return evaluate({ action, resource, context, principal: alice, identityPolicies: [{ id: 'p', document }] }).decision;
}
