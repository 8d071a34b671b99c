import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { approvalOperations } from './approval-operations.js';
import { branchOperations } from './branch-operations.js';
import { commentOperations } from './comment-operations.js';
import { commitOperations } from './commit-operations.js';
import { differenceOperations } from './differences.js';
import { fileHistoryOperations } from './file-history.js';
import { fileOperations } from './file-operations.js';
import { mountGitHttp } from './git-http.js';
import { mergeOperations } from './merge-operations.js';
import { createMerger } from './merger.js';
import { migrations } from './migrations.js';
import { pullRequestMergeOperations } from './pull-request-merges.js';
import { pullRequestOperations } from './pull-request-operations.js';
import { PullRequests } from './pull-requests.js';
import { recoverRepositories } from './recovery.js';
import { Repositories } from './repositories.js';
import { repositoryOperations } from './repository-operations.js';
import { tagOperations } from './tag-operations.js';
import { templateOperations } from './template-operations.js';
import { TemplateStore } from './template-store.js';
import { RepositoryTriggers } from './triggers.js';
import { codeCommitValidationError } from './validation.js';

/** CodeCommit: the AWS JSON 1.1 API and git smart HTTP over the same repositories. */
export function createCodeCommit(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'codecommit', migrations);
  const model = loadModel('codecommit');
  const repos = new Repositories(deps);
  const recovered = recoverRepositories(repos);
  if (recovered.removed.length > 0 || recovered.defaultBranches > 0) {
    deps.logger.warn({ removed: recovered.removed, defaultBranches: recovered.defaultBranches }, 'repaired what an interrupted operation left');
  }
  const pullRequests = new PullRequests(repos);
  const templates = new TemplateStore(deps.db);
  const triggers = new RepositoryTriggers(repos);
  // Pushes and API writes publish reference changes on the bus: open pull requests follow their
  // branches and triggers fire from the same events.
  const unsubscribe = deps.events.subscribe((event) => {
    pullRequests.onReferenceChange(event);
    triggers.onReferenceChange(event);
  });
  return {
    name: 'codecommit',
    model,
    operations: {
      ...repositoryOperations(repos),
      ...branchOperations(repos),
      ...tagOperations(repos),
      ...fileOperations(repos),
      ...commitOperations(repos),
      ...fileHistoryOperations(repos),
      ...differenceOperations(repos),
      ...mergeOperations(repos),
      ...pullRequestOperations(pullRequests, templates),
      ...pullRequestMergeOperations(pullRequests, createMerger(repos)),
      ...approvalOperations(pullRequests),
      ...templateOperations(repos, templates),
      ...commentOperations(pullRequests),
      ...triggers.operations(),
    },
    validationError: codeCommitValidationError(model),
    routes: (app, road) => mountGitHttp(app, repos, road),
    // A repository being laid out or taken apart: it exists only under its final name.
    transientFiles: (path) => /^[^/]+\.git\.(creating|deleting)(\/|$)/.test(path),
    close: () => {
      unsubscribe();
      repos.git.maintenance.close();
    },
  };
}
