import type {
  CreatePolicyRequest,
  CreatePolicyResponse,
  CreatePolicyVersionRequest,
  CreatePolicyVersionResponse,
  DeletePolicyRequest,
  DeletePolicyVersionRequest,
  GetPolicyRequest,
  GetPolicyResponse,
  GetPolicyVersionRequest,
  GetPolicyVersionResponse,
  ListPoliciesRequest,
  ListPoliciesResponse,
  ListPolicyVersionsRequest,
  ListPolicyVersionsResponse,
  PolicyVersion,
  SetDefaultPolicyVersionRequest,
} from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.js';
import { operation, type OperationSpec } from '../../core/service.js';
import { entityArn } from './arns.js';
import { awsManagedPolicies } from './aws-managed-policies.js';
import { checkDocument, encodeDocument, policySize } from './documents.js';
import { awsManagedPolicyDenied, deleteConflict, limitExceeded, policyExists, policyVersionNotFound, quotaExceeded } from './errors.js';
import { entityId } from './ids.js';
import { paginate } from './pagination.js';
import { checkTags, tagConditionKeys } from './requests.js';
import type { IamStore, ManagedPolicy, PolicyVersionRecord } from './store.js';
import { policyView } from './views.js';

export const POLICY_SIZE = 6144;
const VERSIONS_PER_POLICY = 5;

/** A managed policy document must pass the validator (version 2012-10-17 required) and IAM's size quota. */
export function checkManagedDocument(text: string): void {
  checkDocument(text, 'managed');
  if (policySize(text) > POLICY_SIZE) throw quotaExceeded('PolicySize', POLICY_SIZE);
}

function versionView(v: PolicyVersionRecord, withDocument: boolean): PolicyVersion {
  return {
    Document: withDocument ? encodeDocument(v.document) : undefined,
    VersionId: v.versionId,
    IsDefaultVersion: v.isDefault,
    CreateDate: new Date(v.createdAt),
  };
}

export function policyOperations(store: IamStore): Record<string, OperationSpec> {
  const db = store.db;
  const policyArn = (i: { PolicyArn?: string }) => i.PolicyArn ?? '*';

  /** The policies a write may change: the account's own; AWS's belong to another account. */
  function writable(ctx: RequestContext, arn: string, action: string): ManagedPolicy {
    const policy = store.requirePolicy(ctx.accountId, arn);
    if (policy.scope === 'AWS') throw awsManagedPolicyDenied(ctx.principalArn, action, arn);
    return policy;
  }

  function requireVersion(policy: ManagedPolicy, versionId: string): PolicyVersionRecord {
    const version = store.policyVersions(policy).find((v) => v.versionId === versionId);
    if (!version) throw policyVersionNotFound(policy.arn, versionId);
    return version;
  }

  return {
    CreatePolicy: operation<CreatePolicyRequest, CreatePolicyResponse>({
      iam: {
        action: 'iam:CreatePolicy',
        resource: (i, ctx) => entityArn(ctx.accountId, 'policy', i.Path ?? '/', i.PolicyName ?? ''),
        conditionKeys: (i) => tagConditionKeys(i.Tags),
      },
      handler: (input, ctx) => {
        const name = input.PolicyName!;
        const path = input.Path ?? '/';
        if (db.prepare('SELECT 1 FROM iam_policies WHERE account_id = ? AND name = ? COLLATE NOCASE').get(ctx.accountId, name)) throw policyExists(name);
        checkManagedDocument(input.PolicyDocument!);
        checkTags([], input.Tags ?? []);
        const id = entityId('ANPA');
        const now = store.now();
        db.transaction(() => {
          db.prepare(
            `INSERT INTO iam_policies (id, account_id, name, path, description, default_version, next_version, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, 'v1', 2, ?, ?)`,
          ).run(id, ctx.accountId, name, path, input.Description ?? null, now, now);
          db.prepare("INSERT INTO iam_policy_versions (policy_id, version_id, document, created_at) VALUES (?, 'v1', ?, ?)").run(id, input.PolicyDocument!, now);
          store.putTags(id, input.Tags ?? []);
        })();
        const policy = store.findPolicy(ctx.accountId, entityArn(ctx.accountId, 'policy', path, name))!;
        return { Policy: policyView(store, ctx.accountId, policy, true) };
      },
    }),

    GetPolicy: operation<GetPolicyRequest, GetPolicyResponse>({
      iam: { action: 'iam:GetPolicy', resource: policyArn },
      handler: (input, ctx) => ({ Policy: policyView(store, ctx.accountId, store.requirePolicy(ctx.accountId, input.PolicyArn!), true) }),
    }),

    ListPolicies: operation<ListPoliciesRequest, ListPoliciesResponse>({
      iam: { action: 'iam:ListPolicies', resource: () => '*' },
      handler: (input, ctx) => {
        const scope = input.Scope ?? 'All';
        const prefix = input.PathPrefix ?? '/';
        const aws = scope === 'Local' ? [] : awsManagedPolicies().map((p) => store.findPolicy(ctx.accountId, p.arn)!);
        const local = scope === 'AWS' ? [] : store.localPolicies(ctx.accountId);
        const policies = [...aws, ...local]
          .filter((p) => p.path.startsWith(prefix))
          .filter((p) => !input.OnlyAttached || store.attachmentCount(ctx.accountId, p.arn) > 0)
          .filter((p) => {
            if (input.PolicyUsageFilter === 'PermissionsPolicy') return store.attachmentCount(ctx.accountId, p.arn) > 0;
            if (input.PolicyUsageFilter === 'PermissionsBoundary') return store.boundaryUsageCount(ctx.accountId, p.arn) > 0;
            return true;
          })
          .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
        const page = paginate(policies, input.Marker, input.MaxItems);
        return { Policies: page.items.map((p) => policyView(store, ctx.accountId, p, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),

    DeletePolicy: operation<DeletePolicyRequest, object>({
      iam: { action: 'iam:DeletePolicy', resource: policyArn },
      handler: (input, ctx) => {
        const policy = writable(ctx, input.PolicyArn!, 'DeletePolicy');
        if (store.attachmentCount(ctx.accountId, policy.arn) > 0 || store.boundaryUsageCount(ctx.accountId, policy.arn) > 0) {
          throw deleteConflict('Cannot delete a policy attached to entities.');
        }
        if (store.policyVersions(policy).length > 1) {
          throw deleteConflict(
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
          );
        }
        db.transaction(() => {
          store.deleteEntityData(policy.id);
          db.prepare('DELETE FROM iam_policies WHERE id = ?').run(policy.id);
        })();
        return {};
      },
    }),

    CreatePolicyVersion: operation<CreatePolicyVersionRequest, CreatePolicyVersionResponse>({
      iam: { action: 'iam:CreatePolicyVersion', resource: policyArn },
      handler: (input, ctx) => {
        const policy = writable(ctx, input.PolicyArn!, 'CreatePolicyVersion');
        checkManagedDocument(input.PolicyDocument!);
        if (store.policyVersions(policy).length >= VERSIONS_PER_POLICY) {
          throw limitExceeded(
            `A managed policy can have up to ${VERSIONS_PER_POLICY} versions. Before you create a new version, you must delete an existing version.`,
          );
        }
        const next = db.prepare('SELECT next_version FROM iam_policies WHERE id = ?').pluck().get(policy.id) as number;
        const versionId = `v${next}`;
        const now = store.now();
        db.transaction(() => {
          db.prepare('INSERT INTO iam_policy_versions (policy_id, version_id, document, created_at) VALUES (?, ?, ?, ?)').run(policy.id, versionId, input.PolicyDocument!, now);
          db.prepare('UPDATE iam_policies SET next_version = ?, updated_at = ?, default_version = CASE WHEN ? THEN ? ELSE default_version END WHERE id = ?').run(
            next + 1,
            now,
            input.SetAsDefault ? 1 : 0,
            versionId,
            policy.id,
          );
        })();
        return { PolicyVersion: { VersionId: versionId, IsDefaultVersion: input.SetAsDefault === true, CreateDate: new Date(now) } };
      },
    }),

    GetPolicyVersion: operation<GetPolicyVersionRequest, GetPolicyVersionResponse>({
      iam: { action: 'iam:GetPolicyVersion', resource: policyArn },
      handler: (input, ctx) => {
        const policy = store.requirePolicy(ctx.accountId, input.PolicyArn!);
        return { PolicyVersion: versionView(requireVersion(policy, input.VersionId!), true) };
      },
    }),

    ListPolicyVersions: operation<ListPolicyVersionsRequest, ListPolicyVersionsResponse>({
      iam: { action: 'iam:ListPolicyVersions', resource: policyArn },
      handler: (input, ctx) => {
        const policy = store.requirePolicy(ctx.accountId, input.PolicyArn!);
        const page = paginate(store.policyVersions(policy), input.Marker, input.MaxItems);
        return { Versions: page.items.map((v) => versionView(v, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),

    SetDefaultPolicyVersion: operation<SetDefaultPolicyVersionRequest, object>({
      iam: { action: 'iam:SetDefaultPolicyVersion', resource: policyArn },
      handler: (input, ctx) => {
        const policy = writable(ctx, input.PolicyArn!, 'SetDefaultPolicyVersion');
        requireVersion(policy, input.VersionId!);
        db.prepare('UPDATE iam_policies SET default_version = ? WHERE id = ?').run(input.VersionId!, policy.id);
        return {};
      },
    }),

    DeletePolicyVersion: operation<DeletePolicyVersionRequest, object>({
      iam: { action: 'iam:DeletePolicyVersion', resource: policyArn },
      handler: (input, ctx) => {
        const policy = writable(ctx, input.PolicyArn!, 'DeletePolicyVersion');
        const version = requireVersion(policy, input.VersionId!);
        if (version.isDefault) throw deleteConflict('Cannot delete the default version of a policy.');
        db.prepare('DELETE FROM iam_policy_versions WHERE policy_id = ? AND version_id = ?').run(policy.id, version.versionId);
        return {};
      },
    }),
  };
}
