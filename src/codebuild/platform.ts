import type { GetSecretValueResponse } from '@aws-sdk/client-secrets-manager';
import { dirname, join } from 'node:path';
import type { CallerIdentity, RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { allowAll, type Authorizer } from '../core/dispatch.js';
import { AwsError } from '../core/errors.js';
import { GitStorage } from '../codecommit/git-storage.js';
import { RepositoryStore } from '../codecommit/repository-store.js';
import { IamDirectory } from '../iam/api/principal-policies.js';
import { createLogWriter, type LogWriter } from '../logs/internal.js';
import { mountedS3, S3InternalClient } from '../s3/internal.js';
import { getSecretValue } from '../secretsmanager/internal.js';
import { getParameterValue } from '../ssm/internal.js';
import { issueServiceRoleSession } from '../sts/service-role-session.js';
import { StsSessions } from '../sts/sessions.js';
import type { Scope } from './arns.js';

/** Credentials a build runs with, and the principal its own calls to other services act as. */
export interface BuildCredentials {
  principal: CallerIdentity;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RepositoryRef {
  id: string;
  name: string;
  accountId: string;
  region: string;
  defaultBranch: string | null;
  gitDir: string;
}

/**
 * The other services a build uses, each through its own internal interface, with the build's
 * service role as the principal where the service authorizes: CodeCommit repositories, S3
 * objects, CloudWatch Logs, Parameter Store, Secrets Manager and STS role sessions.
 */
export class Platform {
  readonly logs: LogWriter;
  private authorizer: Authorizer = allowAll;
  private s3Client: S3InternalClient | undefined;
  private readonly repoStore: RepositoryStore;
  private readonly git: GitStorage;
  private readonly sessions: StsSessions;
  private readonly iam: IamDirectory;

  constructor(private readonly deps: ServiceDeps) {
    this.logs = createLogWriter(deps);
    const root = dirname(deps.filesDir);
    this.repoStore = new RepositoryStore(deps.db);
    this.git = new GitStorage(join(root, 'codecommit'));
    this.sessions = new StsSessions(deps.db, deps.clock);
    this.iam = new IamDirectory(deps.db, deps.clock);
  }

  /** S3 as the server mounted it, found on first use (services are created one after another). */
  private get s3(): S3InternalClient {
    this.s3Client ??= new S3InternalClient(mountedS3(this.deps.db), (request) => this.authorizer(request), { region: this.deps.config.defaultRegion });
    return this.s3Client;
  }

  /** The server's authorizer, handed over when the routes are mounted (IAM enforcement, or allow-all). */
  useAuthorizer(authorize: Authorizer): void {
    this.authorizer = authorize;
  }

  context(principal: CallerIdentity, region: string): RequestContext {
    return {
      requestId: this.deps.ids.uuid(),
      accountId: principal.accountId,
      region,
      accessKeyId: principal.accessKeyId,
      caller: principal,
      principalArn: principal.arn,
      endpoint: '',
      sourceIp: '127.0.0.1',
    };
  }

  /** Asks IAM whether `principal` may do `action` on `resource`; throws AccessDeniedException if not. */
  async authorize(principal: CallerIdentity, region: string, action: string, resource: string, conditionKeys?: Record<string, string | string[]>): Promise<void> {
    const ctx = this.context(principal, region);
    const decision = await this.authorizer({ iam: { action, resource: () => resource, conditionKeys: () => conditionKeys ?? {} }, input: {}, ctx });
    if (!decision.allowed) throw new AwsError('AccessDeniedException', decision.message);
  }

  /** An object's bytes (sources, buildspecs), read as `principal`. */
  async getObject(principal: CallerIdentity, bucket: string, key: string, versionId?: string): Promise<Buffer> {
    const out = await this.s3.getObject(principal, { Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }, 2 * 1024 * 1024 * 1024);
    return out.Body;
  }

  async putObject(
    principal: CallerIdentity,
    bucket: string,
    key: string,
    body: Buffer | string | AsyncIterable<Buffer>,
    metadata: Record<string, string> = {},
    contentType?: string,
  ): Promise<Record<string, unknown>> {
    return this.s3.putObject(principal, {
      Bucket: bucket,
      Key: key,
      Body: body,
      Metadata: metadata,
      ...(contentType ? { ContentType: contentType } : {}),
    });
  }

  repository(scope: Scope, name: string): RepositoryRef | undefined {
    const repo = this.repoStore.find(scope.accountId, scope.region, name);
    if (!repo || !this.git.exists(repo.id)) return undefined;
    return { id: repo.id, name: repo.name, accountId: repo.accountId, region: repo.region, defaultBranch: repo.defaultBranch, gitDir: this.git.dir(repo.id) };
  }

  async refs(repo: RepositoryRef): Promise<Map<string, string>> {
    return this.git.refs(repo.id);
  }

  async objectType(repo: RepositoryRef, oid: string): Promise<string | undefined> {
    return this.git.objectType(repo.id, oid);
  }

  parameter(scope: Scope, name: string): string {
    return getParameterValue(name, { db: this.deps.db, ...scope });
  }

  secret(scope: Scope, secretId: string, select: { versionId?: string; versionStage?: string }): GetSecretValueResponse {
    return getSecretValue(secretId, { db: this.deps.db, ...scope }, select);
  }

  /** Whether IAM knows a role (builds may name roles IAM has never heard of when IAM is not enforced). */
  roleExists(roleArn: string): boolean {
    return this.iam.principalPolicies(roleArn)?.type === 'role';
  }

  /**
   * Temporary credentials of the service role, as CodeBuild's own AssumeRole would give the build:
   * session `AWSCodeBuild-<build uuid>`. A role IAM does not know (IAM not enforced) gets the
   * account root's keys from the configuration instead.
   */
  roleCredentials(roleArn: string, sessionName: string, durationSeconds: number, sourceArn: string): BuildCredentials {
    return issueServiceRoleSession({ deps: this.deps, iam: this.iam, sessions: this.sessions }, roleArn, sessionName, durationSeconds, sourceArn);
  }
}
