import type { AttachedPermissionsBoundary, Group, Policy, Role, User } from '@aws-sdk/client-iam';
import { encodeDocument } from './documents.js';
import type { GroupRecord, IamStore, ManagedPolicy, RoleRecord, UserRecord } from './store.js';

/**
 * Records as IAM's API shows them. List operations show fewer members than Get operations
 * (no tags, permissions boundary or last use), as IAM documents for ListUsers and ListRoles.
 */
function boundary(arn: string | null): AttachedPermissionsBoundary | undefined {
  return arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined;
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

export function userView(store: IamStore, user: UserRecord, full: boolean): User {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: new Date(user.createdAt),
    PasswordLastUsed: user.passwordLastUsed === null ? undefined : new Date(user.passwordLastUsed),
    ...(full ? { PermissionsBoundary: boundary(user.permissionsBoundary), Tags: nonEmpty(store.tags(user.id)) } : {}),
  };
}

export function groupView(group: GroupRecord): Group {
  return { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: group.arn, CreateDate: new Date(group.createdAt) };
}

export function roleView(store: IamStore, role: RoleRecord, full: boolean): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodeDocument(role.trustPolicy),
    Description: role.description ?? undefined,
    MaxSessionDuration: role.maxSessionDuration,
    ...(full
      ? {
          PermissionsBoundary: boundary(role.permissionsBoundary),
          Tags: nonEmpty(store.tags(role.id)),
          RoleLastUsed: role.lastUsedAt === null ? {} : { LastUsedDate: new Date(role.lastUsedAt), Region: role.lastUsedRegion ?? undefined },
        }
      : {}),
  };
}

export function policyView(store: IamStore, accountId: string, policy: ManagedPolicy, full: boolean): Policy {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: store.attachmentCount(accountId, policy.arn),
    PermissionsBoundaryUsageCount: store.boundaryUsageCount(accountId, policy.arn),
    IsAttachable: true,
    CreateDate: new Date(policy.createdAt),
    UpdateDate: new Date(policy.updatedAt),
    ...(full ? { Description: policy.description ?? undefined, Tags: policy.scope === 'Local' ? nonEmpty(store.tags(policy.id)) : undefined } : {}),
  };
}
