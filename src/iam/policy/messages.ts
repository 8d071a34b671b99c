/**
 * AWS's access-denied wording (IAM UG, troubleshoot access denied): "User: <arn> is not authorized
 * to perform: <action> on resource: <arn> " followed by "with an explicit deny in a <type> policy"
 * or "because no <type> policy allows the <action> action".
 */
import type { EvaluationRequest, EvaluationResult, PolicyType } from './evaluate.js';

const POLICY_TYPE_TEXT: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  permissionsBoundary: 'permissions boundary',
  session: 'session policy',
};

/** The message's closing clause; empty when the request was allowed. */
export function accessDeniedReason(result: EvaluationResult, action: string): string {
  const { reason } = result;
  if (reason.kind === 'noAllow') return `because no ${POLICY_TYPE_TEXT[reason.policyType]} allows the ${action} action`;
  if (reason.kind !== 'explicitDeny') return '';
  const text = POLICY_TYPE_TEXT[reason.policyType];
  const article = /^[aeiou]/.test(text) ? 'an' : 'a';
  // Managed identity policies are named by ARN; inline ones have no ARN to show.
  const policyId = reason.statement.policyId;
  const suffix = reason.policyType === 'identity' && policyId.startsWith('arn:') ? `: ${policyId}` : '';
  return `with an explicit deny in ${article} ${text}${suffix}`;
}

export function accessDeniedMessage(request: Pick<EvaluationRequest, 'principal' | 'action' | 'resource'>, result: EvaluationResult): string {
  return `User: ${request.principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${accessDeniedReason(result, request.action)}`;
}
