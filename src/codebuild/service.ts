import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { allowAll, type Authorizer } from '../core/dispatch.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { buildOperations } from './build-operations.js';
import { BuildRunner } from './build-runner.js';
import type { CodeBuildContext } from './context.js';
import { ExecutorChoice } from './executors/choice.js';
import { registerCodeBuild } from './internal.js';
import { migrations } from './migrations.js';
import { Platform } from './platform.js';
import { policyOperations } from './policy-operations.js';
import { projectOperations } from './project-operations.js';
import { registerProjectReceiver } from './receiver.js';
import { reportOperations } from './report-operations.js';
import { collectReports } from './reports.js';
import { sourceCredentialOperations } from './source-credentials.js';
import { CodeBuildStore } from './store.js';

/**
 * CodeBuild over AWS JSON 1.1: projects, builds that really run their buildspec (in Docker
 * containers or as local processes), report groups and reports, resource policies and source
 * credentials.
 */
export function createCodeBuild(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'codebuild', migrations);
  const store = new CodeBuildStore(deps.db);
  const platform = new Platform(deps);
  const { scheduler } = deps;
  const executors = new ExecutorChoice(deps.config, deps.logger);
  const runner = new BuildRunner({
    deps,
    store,
    platform,
    scheduler,
    executor: () => executors.get(),
    reports: (b, buildspec, root, log) => collectReports(store, b, buildspec, root, () => deps.clock.now().getTime(), log),
  });
  const fallbackEndpoint = () => deps.config.publicUrl ?? `http://127.0.0.1:${deps.config.port}`;
  const c: CodeBuildContext = {
    deps,
    store,
    platform,
    runner,
    now: () => deps.clock.now().getTime(),
    buildEndpoint: (ctx: RequestContext) =>
      (deps.config.buildEndpointUrl ?? (ctx.endpoint || fallbackEndpoint())).replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1').replace(/\/$/, ''),
  };

  runner.recover();
  // Only a server that has run Docker builds can have left containers behind; others never load dockerode.
  if (store.hasContainers()) {
    void executors
      .reclaimContainers((id) => store.build(id) !== undefined && !runner.isActive(id))
      .then((n) => n > 0 && deps.logger.warn({ containers: n }, 'removed build containers left by a previous run'))
      .catch(() => undefined);
  }

  let authorize: Authorizer = allowAll;
  const definition: ServiceDefinition = {
    name: 'codebuild',
    model: loadModel('codebuild'),
    operations: {
      ...projectOperations(c),
      ...buildOperations(c),
      ...reportOperations(c),
      ...policyOperations(c),
      ...sourceCredentialOperations(c),
    },
    routes: (_app, road) => {
      authorize = road.authorize;
      platform.useAuthorizer(road.authorize);
    },
    health: () => ({ executor: deps.config.buildExecutor }),
    startupNote: () => executors.describe(),
    // Workspaces of running builds: a restored server ends those builds, it does not resume them.
    transientFiles: (path) => path === 'work' || path.startsWith('work/'),
    close: () => runner.close(),
  };
  registerCodeBuild(deps.db, definition, () => authorize);
  registerProjectReceiver(deps);
  return definition;
}
