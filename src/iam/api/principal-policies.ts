import type { Tag } from '@aws-sdk/client-iam';
import { systemClock, type Clock } from '../../core/clock.js';
import { migrate, type Db } from '../../core/store/db.js';
import { parseCaller, rootArn } from './arns.js';
import { migrations } from './migrations.js';
import { IamStore, type RoleRecord, type UserRecord } from './store.js';
import type { PolicyInput } from '../policy/index.js';

/**
 * What the rest of codesuite reads from IAM without going through its HTTP API: who owns an access
 * key or a Git credential, and every policy that applies to a user or role. Documents are the
 * JSON text as written, not URL-encoded.
 */
export interface AccessKeyOwner {
  accessKeyId: string;
  /** Undefined for a key of the account root. */
  userName?: string;
  userId?: string;
  principalArn: string;
  secret: string;
  status: 'Active' | 'Inactive';
  accountId: string;
}

export interface ServiceCredentialOwner {
  serviceSpecificCredentialId: string;
  serviceUserName: string;
  serviceName: string;
  userName: string;
  userId: string;
  principalArn: string;
  password: string;
  status: 'Active' | 'Inactive';
  accountId: string;
}

export type IdentityPolicy =
  | { kind: 'inline'; name: string; document: string; attachedTo: 'user' | 'group' | 'role'; ownerName: string }
  | { kind: 'managed'; name: string; arn: string; versionId: string; document: string; attachedTo: 'user' | 'group' | 'role'; ownerName: string };

export interface PrincipalPolicies {
  type: 'user' | 'role';
  /** The user's or role's own ARN (for a role session: the role's). */
  arn: string;
  name: string;
  /** AIDA… or AROA… */
  id: string;
  accountId: string;
  path: string;
  tags: Tag[];
  /** The principal's inline and attached policies, then those of each group it belongs to. */
  identityPolicies: IdentityPolicy[];
  permissionsBoundary?: { arn: string; document: string };
}

export class IamDirectory {
  private readonly store: IamStore;

  constructor(db: Db, clock: Clock = systemClock) {
    migrate(db, 'iam', migrations);
    this.store = new IamStore(db, clock);
  }

  findAccessKey(accessKeyId: string): AccessKeyOwner | undefined {
    const row = this.store.db.prepare('SELECT * FROM iam_access_keys WHERE id = ?').get(accessKeyId) as
      | { id: string; account_id: string; user_id: string | null; secret: string; status: 'Active' | 'Inactive' }
      | undefined;
    if (!row) return undefined;
    const user = row.user_id ? this.store.userById(row.user_id) : undefined;
    return {
      accessKeyId: row.id,
      userName: user?.name,
      userId: user?.id,
      principalArn: user?.arn ?? rootArn(row.account_id),
      secret: row.secret,
      status: row.status,
      accountId: row.account_id,
    };
  }

  findServiceCredential(serviceUserName: string): ServiceCredentialOwner | undefined {
    const row = this.store.db.prepare('SELECT * FROM iam_service_credentials WHERE service_user_name = ?').get(serviceUserName) as
      | { id: string; account_id: string; user_id: string; service_name: string; service_user_name: string; password: string; status: 'Active' | 'Inactive' }
      | undefined;
    const user = row && this.store.userById(row.user_id);
    if (!row || !user) return undefined;
    return {
      serviceSpecificCredentialId: row.id,
      serviceUserName: row.service_user_name,
      serviceName: row.service_name,
      userName: user.name,
      userId: user.id,
      principalArn: user.arn,
      password: row.password,
      status: row.status,
      accountId: row.account_id,
    };
  }

  /**
   * The identity policies and permissions boundary of a user (`arn:aws:iam::<acct>:user/<path><name>`)
   * or role (`…:role/<path><name>`, or a session of it, `arn:aws:sts::<acct>:assumed-role/<name>/<session>`).
   * Undefined for anything else, the account root included, or an ARN naming no such entity.
   */
  principalPolicies(principalArn: string): PrincipalPolicies | undefined {
    const caller = parseCaller(principalArn);
    if (caller.kind === 'user') {
      const user = this.store.findUser(caller.accountId, caller.name);
      if (!user || (principalArn.startsWith('arn:aws:iam:') && user.arn !== principalArn)) return undefined;
      return this.forUser(user);
    }
    if (caller.kind === 'role') {
      const role = this.store.findRole(caller.accountId, caller.name);
      if (!role || (principalArn.startsWith('arn:aws:iam:') && role.arn !== principalArn)) return undefined;
      return this.forRole(role);
    }
    return undefined;
  }

  /** The default version's document of a managed policy (the account's or AWS's), for session policy ARNs. */
  managedPolicyDocument(accountId: string, arn: string): string | undefined {
    const policy = this.store.findPolicy(accountId, arn);
    return policy && this.store.defaultDocument(policy);
  }

  /** Records a use of an access key, as GetAccessKeyLastUsed reports it. */
  recordAccessKeyUse(accessKeyId: string, serviceName: string, region: string): void {
    this.store.db
      .prepare('UPDATE iam_access_keys SET last_used_at = ?, last_used_service = ?, last_used_region = ? WHERE id = ?')
      .run(this.store.now(), serviceName, region, accessKeyId);
  }

  /** Records that a role was used (assumed), as GetRole's RoleLastUsed reports it. */
  recordRoleUse(roleArn: string, region: string): void {
    const caller = parseCaller(roleArn);
    if (caller.kind !== 'role') return;
    this.store.db
      .prepare('UPDATE iam_roles SET last_used_at = ?, last_used_region = ? WHERE account_id = ? AND name = ? COLLATE NOCASE')
      .run(this.store.now(), region, caller.accountId, caller.name);
  }

  private forUser(user: UserRecord): PrincipalPolicies {
    const policies = this.entityPolicies(user.id, 'user', user.name, user.accountId);
    for (const group of this.store.groupsOfUser(user.id)) policies.push(...this.entityPolicies(group.id, 'group', group.name, user.accountId));
    return {
      type: 'user',
      arn: user.arn,
      name: user.name,
      id: user.id,
      accountId: user.accountId,
      path: user.path,
      tags: this.store.tags(user.id),
      identityPolicies: policies,
      permissionsBoundary: this.boundary(user.accountId, user.permissionsBoundary),
    };
  }

  private forRole(role: RoleRecord): PrincipalPolicies {
    return {
      type: 'role',
      arn: role.arn,
      name: role.name,
      id: role.id,
      accountId: role.accountId,
      path: role.path,
      tags: this.store.tags(role.id),
      identityPolicies: this.entityPolicies(role.id, 'role', role.name, role.accountId),
      permissionsBoundary: this.boundary(role.accountId, role.permissionsBoundary),
    };
  }

  private entityPolicies(entityId: string, attachedTo: 'user' | 'group' | 'role', ownerName: string, accountId: string): IdentityPolicy[] {
    const policies: IdentityPolicy[] = this.store
      .inlinePolicies(entityId)
      .map((p) => ({ kind: 'inline', name: p.name, document: p.document, attachedTo, ownerName }));
    for (const arn of this.store.attachedPolicyArns(entityId)) {
      const policy = this.store.findPolicy(accountId, arn);
      if (!policy) continue;
      policies.push({
        kind: 'managed',
        name: policy.name,
        arn,
        versionId: policy.defaultVersionId,
        document: this.store.defaultDocument(policy),
        attachedTo,
        ownerName,
      });
    }
    return policies;
  }

  private boundary(accountId: string, arn: string | null): PrincipalPolicies['permissionsBoundary'] {
    const policy = arn ? this.store.findPolicy(accountId, arn) : undefined;
    return policy && { arn: policy.arn, document: this.store.defaultDocument(policy) };
  }
}

/** The evaluator's inputs for a principal's identity policies. */
export function identityPolicyInputs(policies: PrincipalPolicies | undefined): PolicyInput[] {
  return (policies?.identityPolicies ?? []).map((p) => ({ id: p.kind === 'managed' ? p.arn : p.name, document: p.document }));
}
