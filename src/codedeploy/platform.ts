import { dirname, join } from 'node:path';
import type { CallerIdentity } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { allowAll, type Authorizer } from '../core/dispatch.js';
import { GitStorage } from '../codecommit/git-storage.js';
import { RepositoryStore } from '../codecommit/repository-store.js';
import { IamDirectory } from '../iam/api/principal-policies.js';
import { mountedS3, S3InternalClient } from '../s3/internal.js';
import type { Scope } from './records.js';

/**
 * What CodeDeploy asks of the other services: IAM (does a service role exist), S3 (a bundle's
 * ETag and version, read as the caller) and CodeCommit (a GitHub-style revision resolved against
 * the repository of that name).
 */
export class CodeDeployPlatform {
  private authorizer: Authorizer = allowAll;
  private s3Client: S3InternalClient | undefined;
  private readonly iam: IamDirectory;
  private readonly repos: RepositoryStore;
  private readonly git: GitStorage;

  constructor(private readonly deps: ServiceDeps) {
    this.iam = new IamDirectory(deps.db, deps.clock);
    this.repos = new RepositoryStore(deps.db);
    this.git = new GitStorage(join(dirname(deps.filesDir), 'codecommit'));
  }

  useAuthorizer(authorize: Authorizer): void {
    this.authorizer = authorize;
  }

  private s3(region: string): S3InternalClient {
    this.s3Client ??= new S3InternalClient(mountedS3(this.deps.db), (request) => this.authorizer(request), { region });
    return this.s3Client;
  }

  roleExists(roleArn: string): boolean {
    return this.iam.principalPolicies(roleArn)?.type === 'role';
  }

  /** An object's ETag (unquoted) and version id, as `principal` may see them. */
  async headObject(principal: CallerIdentity, region: string, bucket: string, key: string, versionId?: string): Promise<{ eTag: string; versionId?: string }> {
    const out = await this.s3(region).headObject(principal, { Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) });
    const eTag = String(out.ETag ?? '').replace(/"/g, '');
    return { eTag, ...(out.VersionId && out.VersionId !== 'null' ? { versionId: String(out.VersionId) } : {}) };
  }

  /** Whether `commitId` is a commit of the CodeCommit repository `name`; undefined when there is no such repository. */
  async commitExists(scope: Scope, name: string, commitId: string): Promise<boolean | undefined> {
    const repo = this.repos.find(scope.accountId, scope.region, name);
    if (!repo || !this.git.exists(repo.id)) return undefined;
    return (await this.git.objectType(repo.id, commitId)) === 'commit';
  }
}
