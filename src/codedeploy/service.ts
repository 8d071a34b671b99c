import type { ServiceDeps } from '../core/deps.js';
import { AwsError } from '../core/errors.js';
import { loadModel, type ServiceModel } from '../core/models/model.js';
import type { Violation } from '../core/models/validate.js';
import type { ServiceDefinition } from '../core/service.js';
import type { Db } from '../core/store/db.js';
import { migrate } from '../core/store/db.js';
import { applicationOperations } from './application-operations.js';
import { commandOperations, type CommandStack } from './command-operations.js';
import { configOperations } from './configs.js';
import type { CodeDeployContext } from './context.js';
import { deploymentOperations } from './deployment-operations.js';
import { watchAlarms } from './alarm-watch.js';
import { DeploymentEngine } from './engine.js';
import { groupOperations } from './group-operations.js';
import { instanceOperations } from './instance-operations.js';
import { migrations } from './migrations.js';
import { CodeDeployPlatform } from './platform.js';
import { revisionOperations } from './revision-operations.js';
import { SpecSigner } from './signing.js';
import { StateEvents } from './state-events.js';
import { Triggers } from './triggers.js';
import { CodeDeployStore } from './store.js';
import { tagOperations } from './tag-operations.js';
import { targetOperations } from './target-operations.js';
import { HostWaiters } from './waiters.js';

/** Required members whose absence CodeDeploy reports with an exception of its own. */
const REQUIRED: Record<string, [string, string]> = {
  applicationName: ['ApplicationNameRequiredException', 'The minimum number of required application names was not specified.'],
  deploymentGroupName: ['DeploymentGroupNameRequiredException', 'The deployment group name was not specified.'],
  currentDeploymentGroupName: ['DeploymentGroupNameRequiredException', 'The deployment group name was not specified.'],
  deploymentConfigName: ['DeploymentConfigNameRequiredException', 'The deployment configuration name was not specified.'],
  deploymentId: ['DeploymentIdRequiredException', 'At least one deployment ID must be specified.'],
  instanceName: ['InstanceNameRequiredException', 'An on-premises instance name was not specified.'],
  serviceRoleArn: ['RoleRequiredException', 'The role ID was not specified.'],
  ResourceArn: ['ResourceArnRequiredException', 'The ARN of a resource is required, but was not found.'],
  Tags: ['TagRequiredException', 'A tag was not specified.'],
};

function validationError(_operation: string, violations: Violation[]): AwsError | undefined {
  const missing = violations.find((v) => v.constraint === 'required' && REQUIRED[v.member]);
  return missing ? new AwsError(REQUIRED[missing.member][0], REQUIRED[missing.member][1]) : undefined;
}

const commandServices = new WeakMap<Db, Record<CommandStack, ServiceDefinition>>();

/** The secure stack is the same service under its own target prefix, API version and signing name. */
function secureModel(model: ServiceModel): ServiceModel {
  return {
    ...model,
    metadata: {
      ...model.metadata,
      apiVersion: '2019-11-11',
      endpointPrefix: 'codedeploy-commands-secure',
      signingName: 'codedeploy-commands-secure',
      targetPrefix: 'CodeDeployCommandService',
      serviceId: 'CodeDeployCommandSecure',
    },
  };
}

/**
 * CodeDeploy (AWS JSON 1.1, `CodeDeploy_20141006`): applications, on-premises instances,
 * deployment groups and configurations, revisions, deployments run by a persisted state machine,
 * and the agent command service the deployments are carried out through.
 */
export function createCodeDeploy(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'codedeploy', migrations);
  const store = new CodeDeployStore(deps.db);
  const waiters = new HostWaiters();
  const platform = new CodeDeployPlatform(deps);
  const engine = new DeploymentEngine(deps, store, waiters, new StateEvents(deps, new Triggers(deps, store)), {
    agentMs: deps.config.deployAgentTimeoutSeconds * 1000,
    eventMs: deps.config.deployEventTimeoutSeconds * 1000,
    deploymentMs: deps.config.deploymentTimeoutSeconds * 1000,
  });
  const c: CodeDeployContext = { deps, store, engine, platform, now: () => deps.clock.now().getTime() };
  watchAlarms(deps, store, engine);
  engine.recover();

  const signer = new SpecSigner(deps.filesDir);
  const commandModel = loadModel('codedeploy-commands');
  const commandService = (stack: CommandStack, model: ServiceModel): ServiceDefinition => ({ name: stack, model, operations: commandOperations(stack, { c, waiters, signer }) });
  commandServices.set(deps.db, {
    'codedeploy-commands': commandService('codedeploy-commands', commandModel),
    'codedeploy-commands-secure': commandService('codedeploy-commands-secure', secureModel(commandModel)),
  });

  return {
    name: 'codedeploy',
    model: loadModel('codedeploy'),
    operations: {
      ...applicationOperations(c),
      ...instanceOperations(c),
      ...groupOperations(c),
      ...configOperations(c),
      ...revisionOperations(c),
      ...deploymentOperations(c),
      ...targetOperations(c),
      ...tagOperations(c),
    },
    validationError,
    routes: (app, road) => {
      platform.useAuthorizer(road.authorize);
      // A long poll whose agent hung up must not take a command nobody will receive.
      app.addHook('onRequest', async (request, reply) => {
        const target = request.headers['x-amz-target'];
        if (typeof target === 'string' && target.startsWith('CodeDeployCommandService')) {
          reply.raw.on('close', () => {
            if (!reply.raw.writableFinished) waiters.abort(request.id);
          });
        }
      });
      // Stopping answers every waiting poll at once instead of holding the shutdown for a minute.
      app.addHook('preClose', async () => waiters.releaseAll());
    },
  };
}

/** The command service's two stacks, mounted as services of their own after CodeDeploy itself. */
export function createCodeDeployCommands(stack: CommandStack): (deps: ServiceDeps) => ServiceDefinition {
  return (deps) => {
    const services = commandServices.get(deps.db);
    if (!services) throw new Error('codedeploy must be mounted before its command service');
    return services[stack];
  };
}
