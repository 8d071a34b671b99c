import type { Clock } from '../core/clock.js';
import type { Db } from '../core/store/db.js';
import { IamDirectory, type PrincipalPolicies } from '../iam/api/principal-policies.js';
import { IamStore, type RoleRecord } from '../iam/api/store.js';

/**
 * What STS reads from IAM. Principal policies, managed policy documents and role use go through
 * IamDirectory, IAM's published read side; a role's trust policy and maximum session duration
 * it does not offer yet, so they are read through IAM's own store class (never its tables directly).
 */
export class IamView {
  private readonly directory: IamDirectory;
  private readonly store: IamStore;

  constructor(db: Db, clock: Clock) {
    this.directory = new IamDirectory(db, clock);
    this.store = new IamStore(db, clock);
  }

  /** The role an ARN names, path included: `arn:aws:iam::<acct>:role/<path><name>`. */
  roleByArn(arn: string): RoleRecord | undefined {
    const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    const role = m ? this.store.findRole(m[1], m[2]) : undefined;
    return role && role.arn === arn ? role : undefined;
  }

  principalPolicies(principalArn: string): PrincipalPolicies | undefined {
    return this.directory.principalPolicies(principalArn);
  }

  /** A managed policy's default version, seen from the account; undefined when there is no such policy. */
  managedPolicyDocument(accountId: string, arn: string): string | undefined {
    return this.directory.managedPolicyDocument(accountId, arn);
  }

  recordRoleUse(roleArn: string, region: string): void {
    this.directory.recordRoleUse(roleArn, region);
  }
}
