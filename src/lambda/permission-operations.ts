import type { AddPermissionRequest, AddPermissionResponse, GetPolicyRequest, GetPolicyResponse, RemovePermissionRequest } from '@aws-sdk/client-lambda';
import { operation, type OperationSpec } from '../core/service.js';
import { functionArn, requestedArn } from './arns.js';
import type { LambdaParts } from './context.js';
import { conflict, invalidParameter, notFound, staleRevision } from './errors.js';
import type { PolicyStatement } from './store.js';

const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;
const ACCOUNT = /^\d{12}$/;
const AWS_ARN = /^arn:aws[a-zA-Z-]*:(iam|sts)::\d{12}:.+$/;

/** The Principal element AddPermission writes for what the request names. */
function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (SERVICE_PRINCIPAL.test(principal)) return { Service: principal };
  if (ACCOUNT.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (AWS_ARN.test(principal)) return { AWS: principal };
  throw invalidParameter('The provided principal was invalid. Please check the principal and try again.');
}

export function permissionOperations(p: LambdaParts): Record<string, OperationSpec> {
  const { store, functions } = p;
  /** The function and the qualifier a policy belongs to ('' for the unqualified function), which must exist. */
  const target = (ctx: { accountId: string; region: string }, name: string, qualifier: string | undefined) => {
    const { fn, ref } = functions.get(ctx, name, qualifier);
    if (ref.qualifier === '$LATEST') throw invalidParameter('We currently do not support adding policies for $LATEST.');
    if (ref.qualifier !== undefined) functions.config(fn, ref.qualifier);
    return { fn, qualifier: ref.qualifier ?? '' };
  };
  return {
    AddPermission: operation<AddPermissionRequest, AddPermissionResponse>({
      iam: { action: 'lambda:AddPermission', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => {
        const { fn, qualifier } = target(ctx, input.FunctionName!, input.Qualifier);
        const current = store.policy(fn.id, qualifier);
        if (input.RevisionId && current && input.RevisionId !== current.revisionId) throw staleRevision('GetPolicy');
        if (current?.statements.some((s) => s.Sid === input.StatementId)) {
          throw conflict(`The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
        }
        const condition: NonNullable<PolicyStatement['Condition']> = {};
        if (input.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': input.SourceAccount };
        if (input.SourceArn) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
        if (input.PrincipalOrgID) condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': input.PrincipalOrgID };
        if (input.FunctionUrlAuthType) condition.StringEquals = { ...condition.StringEquals, 'lambda:FunctionUrlAuthType': input.FunctionUrlAuthType };
        const action = input.Action!.includes(':') || input.Action === '*' ? input.Action! : `lambda:${input.Action}`;
        const statement: PolicyStatement = {
          Sid: input.StatementId!,
          Effect: 'Allow',
          Principal: principalOf(input.Principal!),
          Action: action,
          Resource: functionArn(fn, qualifier || undefined),
          ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
        };
        store.savePolicy(fn.id, qualifier, [...(current?.statements ?? []), statement], functions.newRevision());
        return { Statement: JSON.stringify(statement) };
      },
    }),

    RemovePermission: operation<RemovePermissionRequest, Record<string, never>>({
      iam: { action: 'lambda:RemovePermission', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => {
        const { fn, qualifier } = target(ctx, input.FunctionName!, input.Qualifier);
        const current = store.policy(fn.id, qualifier);
        if (input.RevisionId && current && input.RevisionId !== current.revisionId) throw staleRevision('GetPolicy');
        if (!current?.statements.some((s) => s.Sid === input.StatementId)) throw notFound(`Statement ${input.StatementId} is not found in resource policy.`);
        store.savePolicy(fn.id, qualifier, current.statements.filter((s) => s.Sid !== input.StatementId), functions.newRevision());
        return {};
      },
    }),

    GetPolicy: operation<GetPolicyRequest, GetPolicyResponse>({
      iam: { action: 'lambda:GetPolicy', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => {
        const { fn, ref } = functions.get(ctx, input.FunctionName!, input.Qualifier);
        if (ref.qualifier !== undefined && ref.qualifier !== '$LATEST') functions.config(fn, ref.qualifier);
        const policy = store.policy(fn.id, ref.qualifier && ref.qualifier !== '$LATEST' ? ref.qualifier : '');
        if (!policy) throw notFound('The resource you requested does not exist.');
        return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements }), RevisionId: policy.revisionId };
      },
    }),
  };
}
