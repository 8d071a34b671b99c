import type {
  CreateRoleRequest,
  CreateRoleResponse,
  DeleteRoleRequest,
  GetRoleRequest,
  GetRoleResponse,
  ListRolesRequest,
  ListRolesResponse,
  UpdateAssumeRolePolicyRequest,
  UpdateRoleDescriptionRequest,
  UpdateRoleDescriptionResponse,
  UpdateRoleRequest,
} from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.js';
import { operation, type OperationSpec } from '../../core/service.js';
import { checkDocument, policySize, trustPolicyAwsPrincipals } from './documents.js';
import { deleteConflict, malformedPolicyDocument, quotaExceeded, roleExists } from './errors.js';
import { entityId } from './ids.js';
import { paginate } from './pagination.js';
import { arnOf, boundaryConditionKey, checkBoundary, checkTags, tagConditionKeys } from './requests.js';
import type { IamStore } from './store.js';
import { roleView } from './views.js';

const TRUST_POLICY_SIZE = 2048;
const DEFAULT_MAX_SESSION_DURATION = 3600;

export function roleOperations(store: IamStore): Record<string, OperationSpec> {
  const db = store.db;
  const roleArn = (i: { RoleName?: string }, ctx: RequestContext) => arnOf(store, ctx, 'role', i.RoleName);
  const currentBoundary = (i: { RoleName?: string }, ctx: RequestContext) =>
    boundaryConditionKey(i.RoleName === undefined ? undefined : store.findRole(ctx.accountId, i.RoleName)?.permissionsBoundary);

  /**
   * Trust policies go through the policy validator, then IAM's quota on their size, then the
   * check that same-account users and roles they name exist (IAM resolves such principals).
   */
  function checkTrustPolicy(text: string, ctx: RequestContext): void {
    checkDocument(text, 'trust');
    if (policySize(text) > TRUST_POLICY_SIZE) throw quotaExceeded('ACLSizePerRole', TRUST_POLICY_SIZE);
    for (const principal of trustPolicyAwsPrincipals(text)) {
      const m = /^arn:aws:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/.exec(principal);
      if (!m || m[1] !== ctx.accountId) continue;
      const exists = m[2] === 'user' ? store.findUser(ctx.accountId, m[3]) : store.findRole(ctx.accountId, m[3]);
      if (!exists) throw malformedPolicyDocument(`Invalid principal in policy: "AWS":"${principal}"`);
    }
  }

  return {
    CreateRole: operation<CreateRoleRequest, CreateRoleResponse>({
      iam: {
        action: 'iam:CreateRole',
        resource: (i, ctx) => arnOf(store, ctx, 'role', i.RoleName, i.Path),
        conditionKeys: (i) => ({ ...tagConditionKeys(i.Tags), ...boundaryConditionKey(i.PermissionsBoundary) }),
      },
      handler: (input, ctx) => {
        const name = input.RoleName!;
        if (store.findRole(ctx.accountId, name)) throw roleExists(name);
        checkTrustPolicy(input.AssumeRolePolicyDocument!, ctx);
        if (input.PermissionsBoundary !== undefined) checkBoundary(store, ctx.accountId, input.PermissionsBoundary);
        checkTags([], input.Tags ?? []);
        const id = entityId('AROA');
        db.transaction(() => {
          db.prepare(
            `INSERT INTO iam_roles (id, account_id, name, path, created_at, trust_policy, description, max_session_duration, permissions_boundary)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            id,
            ctx.accountId,
            name,
            input.Path ?? '/',
            store.now(),
            input.AssumeRolePolicyDocument!,
            input.Description ?? null,
            input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
            input.PermissionsBoundary ?? null,
          );
          store.putTags(id, input.Tags ?? []);
        })();
        const { RoleLastUsed: _unused, ...role } = roleView(store, store.requireRole(ctx.accountId, name), true);
        return { Role: role };
      },
    }),

    GetRole: operation<GetRoleRequest, GetRoleResponse>({
      iam: { action: 'iam:GetRole', resource: roleArn, conditionKeys: currentBoundary },
      handler: (input, ctx) => ({ Role: roleView(store, store.requireRole(ctx.accountId, input.RoleName!), true) }),
    }),

    ListRoles: operation<ListRolesRequest, ListRolesResponse>({
      iam: { action: 'iam:ListRoles', resource: () => '*' },
      handler: (input, ctx) => {
        const prefix = input.PathPrefix ?? '/';
        const page = paginate(
          store.roles(ctx.accountId).filter((r) => r.path.startsWith(prefix)),
          input.Marker,
          input.MaxItems,
        );
        return { Roles: page.items.map((r) => roleView(store, r, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),

    UpdateRole: operation<UpdateRoleRequest, object>({
      iam: { action: 'iam:UpdateRole', resource: roleArn, conditionKeys: currentBoundary },
      handler: (input, ctx) => {
        const role = store.requireRole(ctx.accountId, input.RoleName!);
        db.prepare('UPDATE iam_roles SET description = ?, max_session_duration = ? WHERE id = ?').run(
          input.Description ?? role.description,
          input.MaxSessionDuration ?? role.maxSessionDuration,
          role.id,
        );
        return {};
      },
    }),

    UpdateRoleDescription: operation<UpdateRoleDescriptionRequest, UpdateRoleDescriptionResponse>({
      iam: { action: 'iam:UpdateRoleDescription', resource: roleArn },
      handler: (input, ctx) => {
        const role = store.requireRole(ctx.accountId, input.RoleName!);
        db.prepare('UPDATE iam_roles SET description = ? WHERE id = ?').run(input.Description!, role.id);
        return { Role: roleView(store, store.requireRole(ctx.accountId, role.name), true) };
      },
    }),

    UpdateAssumeRolePolicy: operation<UpdateAssumeRolePolicyRequest, object>({
      iam: { action: 'iam:UpdateAssumeRolePolicy', resource: roleArn, conditionKeys: currentBoundary },
      handler: (input, ctx) => {
        const role = store.requireRole(ctx.accountId, input.RoleName!);
        checkTrustPolicy(input.PolicyDocument!, ctx);
        db.prepare('UPDATE iam_roles SET trust_policy = ? WHERE id = ?').run(input.PolicyDocument!, role.id);
        return {};
      },
    }),

    DeleteRole: operation<DeleteRoleRequest, object>({
      iam: { action: 'iam:DeleteRole', resource: roleArn, conditionKeys: currentBoundary },
      handler: (input, ctx) => {
        const role = store.requireRole(ctx.accountId, input.RoleName!);
        if (store.inlinePolicies(role.id).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
        if (store.attachedPolicyArns(role.id).length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
        db.transaction(() => {
          store.deleteEntityData(role.id);
          db.prepare('DELETE FROM iam_roles WHERE id = ?').run(role.id);
        })();
        return {};
      },
    }),
  };
}
