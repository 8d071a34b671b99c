import type {
  CreateUserRequest,
  CreateUserResponse,
  DeleteUserRequest,
  GetUserRequest,
  GetUserResponse,
  ListUsersRequest,
  ListUsersResponse,
  UpdateUserRequest,
} from '@aws-sdk/client-iam';
import { operation, type OperationSpec } from '../../core/service.js';
import { parseCaller, rootArn } from './arns.js';
import { deleteConflict, nonUserCredentials, userExists } from './errors.js';
import { entityId } from './ids.js';
import { paginate } from './pagination.js';
import { arnOf, boundaryConditionKey, checkBoundary, checkTags, tagConditionKeys } from './requests.js';
import type { IamStore } from './store.js';
import { userView } from './views.js';

export function userOperations(store: IamStore): Record<string, OperationSpec> {
  const db = store.db;
  return {
    CreateUser: operation<CreateUserRequest, CreateUserResponse>({
      iam: {
        action: 'iam:CreateUser',
        resource: (i, ctx) => arnOf(store, ctx, 'user', i.UserName, i.Path),
        conditionKeys: (i) => ({ ...tagConditionKeys(i.Tags), ...boundaryConditionKey(i.PermissionsBoundary) }),
      },
      handler: (input, ctx) => {
        const name = input.UserName!;
        if (store.findUser(ctx.accountId, name)) throw userExists(name);
        if (input.PermissionsBoundary !== undefined) checkBoundary(store, ctx.accountId, input.PermissionsBoundary);
        checkTags([], input.Tags ?? []);
        const id = entityId('AIDA');
        db.transaction(() => {
          db.prepare('INSERT INTO iam_users (id, account_id, name, path, created_at, permissions_boundary) VALUES (?, ?, ?, ?, ?, ?)').run(
            id,
            ctx.accountId,
            name,
            input.Path ?? '/',
            store.now(),
            input.PermissionsBoundary ?? null,
          );
          store.putTags(id, input.Tags ?? []);
        })();
        return { User: userView(store, store.userById(id)!, true) };
      },
    }),

    GetUser: operation<GetUserRequest, GetUserResponse>({
      iam: { action: 'iam:GetUser', resource: (i, ctx) => (i.UserName === undefined ? ctx.principalArn : arnOf(store, ctx, 'user', i.UserName)) },
      handler: (input, ctx) => {
        if (input.UserName !== undefined) return { User: userView(store, store.requireUser(ctx.accountId, input.UserName), true) };
        const caller = parseCaller(ctx.principalArn);
        // The root user has no name or path; IAM answers with the account id as its id.
        if (caller.kind === 'root') {
          return { User: { UserId: ctx.accountId, Arn: rootArn(ctx.accountId), CreateDate: new Date(store.accountCreatedAt(ctx.accountId)) } as GetUserResponse['User'] };
        }
        if (caller.kind === 'user') return { User: userView(store, store.requireUser(ctx.accountId, caller.name), true) };
        throw nonUserCredentials();
      },
    }),

    ListUsers: operation<ListUsersRequest, ListUsersResponse>({
      iam: { action: 'iam:ListUsers', resource: () => '*' },
      handler: (input, ctx) => {
        const prefix = input.PathPrefix ?? '/';
        const users = store.users(ctx.accountId).filter((u) => u.path.startsWith(prefix));
        const page = paginate(users, input.Marker, input.MaxItems);
        return { Users: page.items.map((u) => userView(store, u, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),

    UpdateUser: operation<UpdateUserRequest, object>({
      iam: { action: 'iam:UpdateUser', resource: (i, ctx) => arnOf(store, ctx, 'user', i.UserName) },
      handler: (input, ctx) => {
        const user = store.requireUser(ctx.accountId, input.UserName!);
        const newName = input.NewUserName ?? user.name;
        const other = store.findUser(ctx.accountId, newName);
        if (other && other.id !== user.id) throw userExists(newName);
        db.prepare('UPDATE iam_users SET name = ?, path = ? WHERE id = ?').run(newName, input.NewPath ?? user.path, user.id);
        return {};
      },
    }),

    DeleteUser: operation<DeleteUserRequest, object>({
      iam: { action: 'iam:DeleteUser', resource: (i, ctx) => arnOf(store, ctx, 'user', i.UserName) },
      handler: (input, ctx) => {
        const user = store.requireUser(ctx.accountId, input.UserName!);
        const count = (sql: string) => db.prepare(sql).pluck().get(user.id) as number;
        if (store.inlinePolicies(user.id).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
        if (store.attachedPolicyArns(user.id).length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
        if (count('SELECT COUNT(*) FROM iam_access_keys WHERE user_id = ?') > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
        if (count('SELECT COUNT(*) FROM iam_service_credentials WHERE user_id = ?') > 0) {
          throw deleteConflict('Cannot delete entity, must remove referenced objects first.');
        }
        if (store.groupsOfUser(user.id).length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
        db.transaction(() => {
          store.deleteEntityData(user.id);
          db.prepare('DELETE FROM iam_users WHERE id = ?').run(user.id);
        })();
        return {};
      },
    }),
  };
}
