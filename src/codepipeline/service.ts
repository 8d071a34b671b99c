import type { ServiceDeps } from '../core/deps.js';
import { rootCaller } from '../core/context.js';
import { delivered } from '../core/delivery.js';
import { loadModel } from '../core/models/model.js';
import type { OperationSpec, ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { ArtifactStore } from './artifacts.js';
import { parsePipelineArn } from './arns.js';
import { watchBuilds, watchSourceChanges } from './change-detection.js';
import type { PipelineContext } from './context.js';
import { Engine } from './engine.js';
import { executionOperations, TRIGGER } from './execution-operations.js';
import { jobOperations } from './job-operations.js';
import { Jobs } from './jobs.js';
import { migrations } from './migrations.js';
import { pipelineOperations } from './pipeline-operations.js';
import { registerProviders } from './providers/registry.js';
import { PipelineStore } from './store.js';
import { tagOperations } from './tag-operations.js';

/** CodePipeline (AWS JSON 1.1, `CodePipeline_20150709`). */
export function createCodePipeline(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'codepipeline', migrations);
  const store = new PipelineStore(deps.db);
  const artifacts = new ArtifactStore(deps);
  const engine = new Engine(deps, store, artifacts);
  const c: PipelineContext = { deps, store, engine, artifacts };
  const jobs = new Jobs(deps);
  registerProviders(engine, jobs);
  watchSourceChanges(c);
  watchBuilds(c);
  engine.resume();

  // An EventBridge rule (or any sender) whose target is a pipeline starts an execution of it, as
  // the sender's role: StartPipelineExecution through IAM, recorded with the CloudWatchEvent trigger.
  deps.delivery.register({
    service: 'codepipeline',
    accepts: (arn) => parsePipelineArn(arn) !== undefined,
    receive: async (d) => {
      const target = parsePipelineArn(d.targetArn)!;
      const input = { name: target.name, [TRIGGER]: { triggerType: 'CloudWatchEvent', triggerDetail: d.sourceArn } };
      const out = await deps.internal.call<{ pipelineExecutionId: string }>('codepipeline', 'StartPipelineExecution', input, {
        caller: d.role ?? rootCaller(target.accountId),
        region: target.region,
      });
      return delivered(`Started execution ${out.pipelineExecutionId} of pipeline ${target.name}.`);
    },
  });

  const operations: Record<string, OperationSpec> = {
    ...pipelineOperations(c),
    ...executionOperations(c),
    ...tagOperations(c),
    ...jobOperations(c, jobs),
  };
  return {
    name: 'codepipeline',
    model: loadModel('codepipeline'),
    operations,
    routes: (_app, road) => artifacts.useAuthorizer(road.authorize),
  };
}
