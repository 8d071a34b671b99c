import type { RepositoryMetadata } from '@aws-sdk/client-codecommit';
import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { repositoryArn } from './arns.js';
import { repositoryDoesNotExist } from './errors.js';
import { GitStorage } from './git-storage.js';
import { RepositoryStore, type RepositoryRecord } from './repository-store.js';

/** Where the operations and the git front find repositories: the table plus the bare repositories. */
export class Repositories {
  readonly store: RepositoryStore;
  readonly git: GitStorage;

  constructor(readonly deps: ServiceDeps) {
    this.store = new RepositoryStore(deps.db);
    this.git = new GitStorage(deps.filesDir);
  }

  find(ctx: Pick<RequestContext, 'accountId' | 'region'>, name: string): RepositoryRecord | undefined {
    return this.store.find(ctx.accountId, ctx.region, name);
  }

  require(ctx: Pick<RequestContext, 'accountId' | 'region'>, name: string): RepositoryRecord {
    const repo = this.find(ctx, name);
    if (!repo) throw repositoryDoesNotExist(name);
    return repo;
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** Clone URLs name the region only outside the default one, since git requests carry no region. */
  cloneUrlHttp(repo: RepositoryRecord, endpoint: string): string {
    const regionPart = repo.region === this.deps.config.defaultRegion ? '' : `/${repo.region}`;
    return `${endpoint}${regionPart}/v1/repos/${repo.name}`;
  }

  metadata(repo: RepositoryRecord, ctx: RequestContext): RepositoryMetadata {
    const host = new URL(ctx.endpoint).hostname;
    return {
      accountId: repo.accountId,
      repositoryId: repo.id,
      repositoryName: repo.name,
      repositoryDescription: repo.description ?? undefined,
      defaultBranch: repo.defaultBranch ?? undefined,
      lastModifiedDate: new Date(repo.updatedAt),
      creationDate: new Date(repo.createdAt),
      cloneUrlHttp: this.cloneUrlHttp(repo, ctx.endpoint),
      cloneUrlSsh: `ssh://${host}/v1/repos/${repo.name}`,
      Arn: repositoryArn(repo),
      kmsKeyId: repo.kmsKeyId,
    };
  }
}
