import type {
  DeleteResourcePolicyInput,
  DeleteResourcePolicyOutput,
  GetResourcePolicyInput,
  GetResourcePolicyOutput,
  PutResourcePolicyInput,
  PutResourcePolicyOutput,
} from '@aws-sdk/client-codebuild';
import { operation, type OperationSpec } from '../core/service.js';
import { parseCodeBuildArn } from './arns.js';
import type { CodeBuildContext } from './context.js';
import { invalidInput, resourceNotFound } from './errors.js';

function resourceExists(c: CodeBuildContext, arn: string): boolean {
  const parsed = parseCodeBuildArn(arn);
  if (!parsed) return false;
  if (parsed.resourceType === 'project') return c.store.project(parsed, parsed.resource) !== undefined;
  if (parsed.resourceType === 'report-group') return c.store.reportGroup(arn) !== undefined;
  return false;
}

/** Account ids a resource policy grants to (`"AWS": "123456789012"`, `arn:aws:iam::123456789012:root`, users and roles). */
function grantedAccounts(policy: string): Set<string> {
  const accounts = new Set<string>();
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const s of statements as { Effect?: string; Principal?: unknown }[]) {
      if (s?.Effect !== 'Allow') continue;
      const principal = s.Principal as { AWS?: string | string[] } | string | undefined;
      const values = typeof principal === 'string' ? [principal] : [principal?.AWS ?? []].flat();
      for (const v of values) {
        const m = /^(\d{12})$/.exec(v) ?? /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(v);
        if (m) accounts.add(m[1]);
      }
    }
  } catch {
    // Stored policies were checked when they were put.
  }
  return accounts;
}

/** ARNs of another account's projects or report groups whose resource policies grant `accountId`. */
export function sharedWith(c: CodeBuildContext, accountId: string, type: 'project' | 'report-group'): string[] {
  const rows = c.deps.db.prepare('SELECT resource_arn, account_id, policy FROM codebuild_resource_policies').all() as { resource_arn: string; account_id: string; policy: string }[];
  return rows
    .filter((r) => r.account_id !== accountId && parseCodeBuildArn(r.resource_arn)?.resourceType === type && grantedAccounts(r.policy).has(accountId))
    .map((r) => r.resource_arn);
}

export function policyOperations(c: CodeBuildContext): Record<string, OperationSpec> {
  return {
    PutResourcePolicy: operation<PutResourcePolicyInput, PutResourcePolicyOutput>({
      iam: { action: 'codebuild:PutResourcePolicy', resource: (i) => i.resourceArn ?? '' },
      handler: (input, ctx) => {
        const arn = input.resourceArn!;
        if (!resourceExists(c, arn)) throw resourceNotFound(`Resource not found: ${arn}`);
        let doc: unknown;
        try {
          doc = JSON.parse(input.policy!);
        } catch {
          throw invalidInput('Invalid input: the resource policy is not valid JSON');
        }
        if (doc === null || typeof doc !== 'object' || !('Statement' in doc)) throw invalidInput('Invalid input: the resource policy has no Statement');
        c.store.putPolicy(parseCodeBuildArn(arn) ?? ctx, arn, input.policy!);
        return { resourceArn: arn };
      },
    }),

    GetResourcePolicy: operation<GetResourcePolicyInput, GetResourcePolicyOutput>({
      iam: { action: 'codebuild:GetResourcePolicy', resource: (i) => i.resourceArn ?? '' },
      handler: (input) => {
        const policy = c.store.policy(input.resourceArn!);
        if (policy === undefined) throw resourceNotFound(`Resource policy not found: ${input.resourceArn}`);
        return { policy };
      },
    }),

    DeleteResourcePolicy: operation<DeleteResourcePolicyInput, DeleteResourcePolicyOutput>({
      iam: { action: 'codebuild:DeleteResourcePolicy', resource: (i) => i.resourceArn ?? '' },
      handler: (input) => {
        c.store.deletePolicy(input.resourceArn!);
        return {};
      },
    }),
  };
}
