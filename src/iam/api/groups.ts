import type {
  AddUserToGroupRequest,
  CreateGroupRequest,
  CreateGroupResponse,
  DeleteGroupRequest,
  GetGroupRequest,
  GetGroupResponse,
  ListGroupsForUserRequest,
  ListGroupsForUserResponse,
  ListGroupsRequest,
  ListGroupsResponse,
  RemoveUserFromGroupRequest,
} from '@aws-sdk/client-iam';
import { operation, type OperationSpec } from '../../core/service.js';
import { deleteConflict, groupExists, quotaExceeded, userNotInGroup } from './errors.js';
import { entityId } from './ids.js';
import { paginate } from './pagination.js';
import { arnOf } from './requests.js';
import type { IamStore } from './store.js';
import { groupView, userView } from './views.js';

const GROUPS_PER_USER = 10;

export function groupOperations(store: IamStore): Record<string, OperationSpec> {
  const db = store.db;
  const groupArn = (i: { GroupName?: string }, ctx: Parameters<typeof arnOf>[1]) => arnOf(store, ctx, 'group', i.GroupName);
  return {
    CreateGroup: operation<CreateGroupRequest, CreateGroupResponse>({
      iam: { action: 'iam:CreateGroup', resource: (i, ctx) => arnOf(store, ctx, 'group', i.GroupName, i.Path) },
      handler: (input, ctx) => {
        const name = input.GroupName!;
        if (store.findGroup(ctx.accountId, name)) throw groupExists(name);
        db.prepare('INSERT INTO iam_groups (id, account_id, name, path, created_at) VALUES (?, ?, ?, ?, ?)').run(
          entityId('AGPA'),
          ctx.accountId,
          name,
          input.Path ?? '/',
          store.now(),
        );
        return { Group: groupView(store.requireGroup(ctx.accountId, name)) };
      },
    }),

    GetGroup: operation<GetGroupRequest, GetGroupResponse>({
      iam: { action: 'iam:GetGroup', resource: groupArn },
      handler: (input, ctx) => {
        const group = store.requireGroup(ctx.accountId, input.GroupName!);
        const page = paginate(store.membersOfGroup(group.id), input.Marker, input.MaxItems);
        return { Group: groupView(group), Users: page.items.map((u) => userView(store, u, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),

    ListGroups: operation<ListGroupsRequest, ListGroupsResponse>({
      iam: { action: 'iam:ListGroups', resource: () => '*' },
      handler: (input, ctx) => {
        const prefix = input.PathPrefix ?? '/';
        const page = paginate(
          store.groups(ctx.accountId).filter((g) => g.path.startsWith(prefix)),
          input.Marker,
          input.MaxItems,
        );
        return { Groups: page.items.map(groupView), IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),

    DeleteGroup: operation<DeleteGroupRequest, object>({
      iam: { action: 'iam:DeleteGroup', resource: groupArn },
      handler: (input, ctx) => {
        const group = store.requireGroup(ctx.accountId, input.GroupName!);
        if (store.membersOfGroup(group.id).length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
        if (store.inlinePolicies(group.id).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
        if (store.attachedPolicyArns(group.id).length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
        db.prepare('DELETE FROM iam_groups WHERE id = ?').run(group.id);
        return {};
      },
    }),

    AddUserToGroup: operation<AddUserToGroupRequest, object>({
      iam: { action: 'iam:AddUserToGroup', resource: groupArn },
      handler: (input, ctx) => {
        const group = store.requireGroup(ctx.accountId, input.GroupName!);
        const user = store.requireUser(ctx.accountId, input.UserName!);
        const groups = store.groupsOfUser(user.id);
        if (groups.some((g) => g.id === group.id)) return {};
        if (groups.length >= GROUPS_PER_USER) throw quotaExceeded('GroupsPerUser', GROUPS_PER_USER);
        db.prepare('INSERT INTO iam_group_members (group_id, user_id) VALUES (?, ?)').run(group.id, user.id);
        return {};
      },
    }),

    RemoveUserFromGroup: operation<RemoveUserFromGroupRequest, object>({
      iam: { action: 'iam:RemoveUserFromGroup', resource: groupArn },
      handler: (input, ctx) => {
        const group = store.requireGroup(ctx.accountId, input.GroupName!);
        const user = store.requireUser(ctx.accountId, input.UserName!);
        const removed = db.prepare('DELETE FROM iam_group_members WHERE group_id = ? AND user_id = ?').run(group.id, user.id);
        if (removed.changes === 0) throw userNotInGroup(user.name, group.name);
        return {};
      },
    }),

    ListGroupsForUser: operation<ListGroupsForUserRequest, ListGroupsForUserResponse>({
      iam: { action: 'iam:ListGroupsForUser', resource: (i, ctx) => arnOf(store, ctx, 'user', i.UserName) },
      handler: (input, ctx) => {
        const user = store.requireUser(ctx.accountId, input.UserName!);
        const page = paginate(store.groupsOfUser(user.id), input.Marker, input.MaxItems);
        return { Groups: page.items.map(groupView), IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),
  };
}
