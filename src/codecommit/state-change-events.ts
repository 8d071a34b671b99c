import type { ServiceDeps } from '../core/deps.js';
import type { RepositoryRecord } from './repository-store.js';
import { repositoryArn } from './arns.js';

/** One reference that moved: created (no old id), deleted (no new id) or updated. */
export interface RefChange {
  ref: string;
  oldCommitId?: string;
  newCommitId?: string;
}

/**
 * Publishes "CodeCommit Repository State Change" the way EventBridge delivers it, one event per
 * reference, for pushes and API changes alike.
 */
export function publishRefChanges(deps: ServiceDeps, repo: RepositoryRecord, changes: RefChange[], callerArn: string): void {
  for (const change of changes) {
    const isTag = change.ref.startsWith('refs/tags/');
    const event = !change.oldCommitId ? 'referenceCreated' : !change.newCommitId ? 'referenceDeleted' : 'referenceUpdated';
    deps.events.publish({
      version: '0',
      id: deps.ids.uuid(),
      'detail-type': 'CodeCommit Repository State Change',
      source: 'aws.codecommit',
      account: repo.accountId,
      time: deps.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: repo.region,
      resources: [repositoryArn(repo)],
      detail: {
        callerUserArn: callerArn,
        ...(change.newCommitId ? { commitId: change.newCommitId } : {}),
        event,
        ...(change.oldCommitId ? { oldCommitId: change.oldCommitId } : {}),
        referenceFullName: change.ref,
        referenceName: change.ref.replace(/^refs\/(heads|tags)\//, ''),
        referenceType: isTag ? 'tag' : 'branch',
        repositoryId: repo.id,
        repositoryName: repo.name,
      },
    });
  }
}

