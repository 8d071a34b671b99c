import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { branchOperations } from './branch-operations.js';
import { commitOperations } from './commit-operations.js';
import { differenceOperations } from './differences.js';
import { fileHistoryOperations } from './file-history.js';
import { fileOperations } from './file-operations.js';
import { mountGitHttp } from './git-http.js';
import { mergeOperations } from './merge-operations.js';
import { migrations } from './migrations.js';
import { recoverRepositories } from './recovery.js';
import { Repositories } from './repositories.js';
import { repositoryOperations } from './repository-operations.js';
import { tagOperations } from './tag-operations.js';
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
    },
    validationError: codeCommitValidationError(model),
    routes: (app, road) => mountGitHttp(app, repos, road),
    // A repository being laid out or taken apart: it exists only under its final name.
    transientFiles: (path) => /^[^/]+\.git\.(creating|deleting)(\/|$)/.test(path),
    close: () => repos.git.maintenance.close(),
  };
}
