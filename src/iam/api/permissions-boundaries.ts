import type {
  DeleteRolePermissionsBoundaryRequest,
  DeleteUserPermissionsBoundaryRequest,
  PutRolePermissionsBoundaryRequest,
  PutUserPermissionsBoundaryRequest,
} from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.js';
import { operation, type OperationSpec } from '../../core/service.js';
import { arnOf, boundaryConditionKey, checkBoundary } from './requests.js';
import type { IamStore } from './store.js';

/** A user's or role's permissions boundary: one managed policy (the account's or AWS's) that caps its identity policies. */
export function permissionsBoundaryOperations(store: IamStore): Record<string, OperationSpec> {
  const db = store.db;
  const userArn = (i: { UserName?: string }, ctx: RequestContext) => arnOf(store, ctx, 'user', i.UserName);
  const roleArn = (i: { RoleName?: string }, ctx: RequestContext) => arnOf(store, ctx, 'role', i.RoleName);
  const userBoundary = (i: { UserName?: string }, ctx: RequestContext) =>
    boundaryConditionKey(i.UserName === undefined ? undefined : store.findUser(ctx.accountId, i.UserName)?.permissionsBoundary);
  const roleBoundary = (i: { RoleName?: string }, ctx: RequestContext) =>
    boundaryConditionKey(i.RoleName === undefined ? undefined : store.findRole(ctx.accountId, i.RoleName)?.permissionsBoundary);

  return {
    PutUserPermissionsBoundary: operation<PutUserPermissionsBoundaryRequest, object>({
      iam: { action: 'iam:PutUserPermissionsBoundary', resource: userArn, conditionKeys: (i) => boundaryConditionKey(i.PermissionsBoundary) },
      handler: (input, ctx) => {
        const user = store.requireUser(ctx.accountId, input.UserName!);
        checkBoundary(store, ctx.accountId, input.PermissionsBoundary!);
        db.prepare('UPDATE iam_users SET permissions_boundary = ? WHERE id = ?').run(input.PermissionsBoundary!, user.id);
        return {};
      },
    }),

    DeleteUserPermissionsBoundary: operation<DeleteUserPermissionsBoundaryRequest, object>({
      iam: { action: 'iam:DeleteUserPermissionsBoundary', resource: userArn, conditionKeys: userBoundary },
      handler: (input, ctx) => {
        const user = store.requireUser(ctx.accountId, input.UserName!);
        db.prepare('UPDATE iam_users SET permissions_boundary = NULL WHERE id = ?').run(user.id);
        return {};
      },
    }),

    PutRolePermissionsBoundary: operation<PutRolePermissionsBoundaryRequest, object>({
      iam: { action: 'iam:PutRolePermissionsBoundary', resource: roleArn, conditionKeys: (i) => boundaryConditionKey(i.PermissionsBoundary) },
      handler: (input, ctx) => {
        const role = store.requireRole(ctx.accountId, input.RoleName!);
        checkBoundary(store, ctx.accountId, input.PermissionsBoundary!);
        db.prepare('UPDATE iam_roles SET permissions_boundary = ? WHERE id = ?').run(input.PermissionsBoundary!, role.id);
        return {};
      },
    }),

    DeleteRolePermissionsBoundary: operation<DeleteRolePermissionsBoundaryRequest, object>({
      iam: { action: 'iam:DeleteRolePermissionsBoundary', resource: roleArn, conditionKeys: roleBoundary },
      handler: (input, ctx) => {
        const role = store.requireRole(ctx.accountId, input.RoleName!);
        db.prepare('UPDATE iam_roles SET permissions_boundary = NULL WHERE id = ?').run(role.id);
        return {};
      },
    }),
  };
}
