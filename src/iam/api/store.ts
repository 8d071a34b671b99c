import type { Tag } from '@aws-sdk/client-iam';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/store/db.js';
import { AWS_ACCOUNT, entityArn, parsePolicyArn } from './arns.js';
import { awsManagedPolicy } from './aws-managed-policies.js';
import { groupNotFound, invalidArn, policyNotFound, roleNotFound, userNotFound } from './errors.js';

export interface UserRecord {
  id: string;
  accountId: string;
  name: string;
  path: string;
  arn: string;
  createdAt: number;
  permissionsBoundary: string | null;
  passwordLastUsed: number | null;
}

export interface GroupRecord {
  id: string;
  accountId: string;
  name: string;
  path: string;
  arn: string;
  createdAt: number;
}

export interface RoleRecord {
  id: string;
  accountId: string;
  name: string;
  path: string;
  arn: string;
  createdAt: number;
  trustPolicy: string;
  description: string | null;
  maxSessionDuration: number;
  permissionsBoundary: string | null;
  lastUsedAt: number | null;
  lastUsedRegion: string | null;
}

/** A managed policy of either owner: the customer's own (Local) or AWS's, seen from one account. */
export interface ManagedPolicy {
  scope: 'AWS' | 'Local';
  id: string;
  arn: string;
  name: string;
  path: string;
  description: string | null;
  defaultVersionId: string;
  createdAt: number;
  updatedAt: number;
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createdAt: number;
  isDefault: boolean;
}

export interface InlinePolicy {
  name: string;
  document: string;
}

type Row = Record<string, unknown>;

const userFromRow = (r: Row): UserRecord => ({
  id: r.id as string,
  accountId: r.account_id as string,
  name: r.name as string,
  path: r.path as string,
  arn: entityArn(r.account_id as string, 'user', r.path as string, r.name as string),
  createdAt: r.created_at as number,
  permissionsBoundary: r.permissions_boundary as string | null,
  passwordLastUsed: r.password_last_used as number | null,
});

const groupFromRow = (r: Row): GroupRecord => ({
  id: r.id as string,
  accountId: r.account_id as string,
  name: r.name as string,
  path: r.path as string,
  arn: entityArn(r.account_id as string, 'group', r.path as string, r.name as string),
  createdAt: r.created_at as number,
});

const roleFromRow = (r: Row): RoleRecord => ({
  id: r.id as string,
  accountId: r.account_id as string,
  name: r.name as string,
  path: r.path as string,
  arn: entityArn(r.account_id as string, 'role', r.path as string, r.name as string),
  createdAt: r.created_at as number,
  trustPolicy: r.trust_policy as string,
  description: r.description as string | null,
  maxSessionDuration: r.max_session_duration as number,
  permissionsBoundary: r.permissions_boundary as string | null,
  lastUsedAt: r.last_used_at as number | null,
  lastUsedRegion: r.last_used_region as string | null,
});

const localPolicyFromRow = (r: Row): ManagedPolicy => ({
  scope: 'Local',
  id: r.id as string,
  arn: entityArn(r.account_id as string, 'policy', r.path as string, r.name as string),
  name: r.name as string,
  path: r.path as string,
  description: r.description as string | null,
  defaultVersionId: r.default_version as string,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

/** Versions sort newest first, as ListPolicyVersions answers. */
export const versionNumber = (versionId: string) => Number(versionId.slice(1));

/** The IAM tables, read and written by the operation files; the one place that maps rows to records. */
export class IamStore {
  constructor(
    readonly db: Db,
    private readonly clock: Clock,
  ) {}

  now(): number {
    return this.clock.now().getTime();
  }

  /** When the account was first seen: the root user's CreateDate. */
  accountCreatedAt(accountId: string): number {
    this.db.prepare('INSERT OR IGNORE INTO iam_accounts (account_id, created_at) VALUES (?, ?)').run(accountId, this.now());
    return this.db.prepare('SELECT created_at FROM iam_accounts WHERE account_id = ?').pluck().get(accountId) as number;
  }

  findUser(accountId: string, name: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM iam_users WHERE account_id = ? AND name = ? COLLATE NOCASE').get(accountId, name) as Row | undefined;
    return row && userFromRow(row);
  }

  requireUser(accountId: string, name: string): UserRecord {
    const user = this.findUser(accountId, name);
    if (!user) throw userNotFound(name);
    return user;
  }

  userById(id: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM iam_users WHERE id = ?').get(id) as Row | undefined;
    return row && userFromRow(row);
  }

  users(accountId: string): UserRecord[] {
    return (this.db.prepare('SELECT * FROM iam_users WHERE account_id = ? ORDER BY name COLLATE NOCASE').all(accountId) as Row[]).map(userFromRow);
  }

  findGroup(accountId: string, name: string): GroupRecord | undefined {
    const row = this.db.prepare('SELECT * FROM iam_groups WHERE account_id = ? AND name = ? COLLATE NOCASE').get(accountId, name) as Row | undefined;
    return row && groupFromRow(row);
  }

  requireGroup(accountId: string, name: string): GroupRecord {
    const group = this.findGroup(accountId, name);
    if (!group) throw groupNotFound(name);
    return group;
  }

  groups(accountId: string): GroupRecord[] {
    return (this.db.prepare('SELECT * FROM iam_groups WHERE account_id = ? ORDER BY name COLLATE NOCASE').all(accountId) as Row[]).map(groupFromRow);
  }

  groupsOfUser(userId: string): GroupRecord[] {
    const rows = this.db
      .prepare('SELECT g.* FROM iam_groups g JOIN iam_group_members m ON m.group_id = g.id WHERE m.user_id = ? ORDER BY g.name COLLATE NOCASE')
      .all(userId) as Row[];
    return rows.map(groupFromRow);
  }

  membersOfGroup(groupId: string): UserRecord[] {
    const rows = this.db
      .prepare('SELECT u.* FROM iam_users u JOIN iam_group_members m ON m.user_id = u.id WHERE m.group_id = ? ORDER BY u.name COLLATE NOCASE')
      .all(groupId) as Row[];
    return rows.map(userFromRow);
  }

  findRole(accountId: string, name: string): RoleRecord | undefined {
    const row = this.db.prepare('SELECT * FROM iam_roles WHERE account_id = ? AND name = ? COLLATE NOCASE').get(accountId, name) as Row | undefined;
    return row && roleFromRow(row);
  }

  requireRole(accountId: string, name: string): RoleRecord {
    const role = this.findRole(accountId, name);
    if (!role) throw roleNotFound(name);
    return role;
  }

  roles(accountId: string): RoleRecord[] {
    return (this.db.prepare('SELECT * FROM iam_roles WHERE account_id = ? ORDER BY name COLLATE NOCASE').all(accountId) as Row[]).map(roleFromRow);
  }

  /** A managed policy visible from the account: its own, or one of AWS's. */
  findPolicy(accountId: string, arn: string): ManagedPolicy | undefined {
    const parts = parsePolicyArn(arn);
    if (!parts) return undefined;
    if (parts.accountId === AWS_ACCOUNT) {
      const aws = awsManagedPolicy(arn);
      return aws && { scope: 'AWS', id: aws.id, arn: aws.arn, name: aws.name, path: aws.path, description: null, defaultVersionId: aws.defaultVersionId, createdAt: aws.createdAt, updatedAt: aws.updatedAt };
    }
    if (parts.accountId !== accountId) return undefined;
    const row = this.db
      .prepare('SELECT * FROM iam_policies WHERE account_id = ? AND name = ? AND path = ?')
      .get(accountId, parts.name, parts.path) as Row | undefined;
    return row && localPolicyFromRow(row);
  }

  /** For the operations addressing a policy by ARN: a malformed ARN is invalid input, an unknown one is missing. */
  requirePolicy(accountId: string, arn: string): ManagedPolicy {
    if (!parsePolicyArn(arn)) throw invalidArn(arn);
    const policy = this.findPolicy(accountId, arn);
    if (!policy) throw policyNotFound(arn);
    return policy;
  }

  localPolicies(accountId: string): ManagedPolicy[] {
    return (this.db.prepare('SELECT * FROM iam_policies WHERE account_id = ? ORDER BY name COLLATE NOCASE').all(accountId) as Row[]).map(localPolicyFromRow);
  }

  policyVersions(policy: ManagedPolicy): PolicyVersionRecord[] {
    if (policy.scope === 'AWS') {
      const aws = awsManagedPolicy(policy.arn)!;
      return [{ versionId: aws.defaultVersionId, document: aws.document, createdAt: aws.versionCreatedAt, isDefault: true }];
    }
    const rows = this.db.prepare('SELECT * FROM iam_policy_versions WHERE policy_id = ?').all(policy.id) as Row[];
    return rows
      .map((r) => ({
        versionId: r.version_id as string,
        document: r.document as string,
        createdAt: r.created_at as number,
        isDefault: r.version_id === policy.defaultVersionId,
      }))
      .sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId));
  }

  defaultDocument(policy: ManagedPolicy): string {
    return this.policyVersions(policy).find((v) => v.isDefault)!.document;
  }

  /** Users, groups and roles of the account the policy is attached to. */
  attachmentCount(accountId: string, arn: string): number {
    return this.entitiesWithPolicy(accountId, arn).length;
  }

  entitiesWithPolicy(accountId: string, arn: string): string[] {
    return this.db
      .prepare(
        `SELECT a.entity_id FROM iam_attachments a WHERE a.policy_arn = ? AND (
           EXISTS (SELECT 1 FROM iam_users u WHERE u.id = a.entity_id AND u.account_id = @account) OR
           EXISTS (SELECT 1 FROM iam_groups g WHERE g.id = a.entity_id AND g.account_id = @account) OR
           EXISTS (SELECT 1 FROM iam_roles r WHERE r.id = a.entity_id AND r.account_id = @account))`,
      )
      .pluck()
      .all(arn, { account: accountId }) as string[];
  }

  /** Users and roles of the account whose permissions boundary the policy is. */
  boundaryUsers(accountId: string, arn: string): UserRecord[] {
    return (this.db.prepare('SELECT * FROM iam_users WHERE account_id = ? AND permissions_boundary = ? ORDER BY name COLLATE NOCASE').all(accountId, arn) as Row[]).map(userFromRow);
  }

  boundaryRoles(accountId: string, arn: string): RoleRecord[] {
    return (this.db.prepare('SELECT * FROM iam_roles WHERE account_id = ? AND permissions_boundary = ? ORDER BY name COLLATE NOCASE').all(accountId, arn) as Row[]).map(roleFromRow);
  }

  boundaryUsageCount(accountId: string, arn: string): number {
    return this.boundaryUsers(accountId, arn).length + this.boundaryRoles(accountId, arn).length;
  }

  attachedPolicyArns(entityId: string): string[] {
    return this.db.prepare('SELECT policy_arn FROM iam_attachments WHERE entity_id = ? ORDER BY rowid').pluck().all(entityId) as string[];
  }

  inlinePolicies(ownerId: string): InlinePolicy[] {
    return this.db.prepare('SELECT name, document FROM iam_inline_policies WHERE owner_id = ? ORDER BY name COLLATE NOCASE').all(ownerId) as InlinePolicy[];
  }

  tags(entityId: string): Tag[] {
    return this.db.prepare('SELECT key AS Key, value AS Value FROM iam_tags WHERE entity_id = ? ORDER BY rowid').all(entityId) as Tag[];
  }

  /** A tag key differing only in case replaces the existing tag, key spelling included. */
  putTags(entityId: string, tags: Tag[]): void {
    const del = this.db.prepare('DELETE FROM iam_tags WHERE entity_id = ? AND key = ? COLLATE NOCASE');
    const put = this.db.prepare('INSERT INTO iam_tags (entity_id, key, value) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const tag of tags) {
        del.run(entityId, tag.Key);
        put.run(entityId, tag.Key, tag.Value ?? '');
      }
    })();
  }

  removeTags(entityId: string, keys: string[]): void {
    const del = this.db.prepare('DELETE FROM iam_tags WHERE entity_id = ? AND key = ? COLLATE NOCASE');
    this.db.transaction(() => {
      for (const key of keys) del.run(entityId, key);
    })();
  }

  deleteEntityData(entityId: string): void {
    this.db.prepare('DELETE FROM iam_tags WHERE entity_id = ?').run(entityId);
  }
}
