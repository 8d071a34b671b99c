import type {
  BatchGetDeploymentsInput,
  BatchGetDeploymentsOutput,
  ContinueDeploymentInput,
  CreateDeploymentInput,
  CreateDeploymentOutput,
  GetDeploymentInput,
  GetDeploymentOutput,
  ListDeploymentsInput,
  ListDeploymentsOutput,
  PutLifecycleEventHookExecutionStatusInput,
  PutLifecycleEventHookExecutionStatusOutput,
  SkipWaitTimeForInstanceTerminationInput,
  StopDeploymentInput,
  StopDeploymentOutput,
} from '@aws-sdk/client-codedeploy';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { groupArn } from './arns.js';
import { findConfig } from './configs.js';
import { deploymentGroupResource, iam, requireApplication, requireDeployment, requireGroup, scopeOf, type CodeDeployContext } from './context.js';
import { deploymentAlreadyCompleted } from './deployment-errors.js';
import { cdError, configNotFound } from './errors.js';
import { page } from './pagination.js';
import { FINISHED } from './records.js';
import { registerRevision } from './revision-operations.js';
import { resolveRevision } from './revisions.js';
import { deploymentView } from './views.js';

const MAX_BATCH = 25;

export function deploymentOperations(c: CodeDeployContext): Record<string, OperationSpec> {
  const deploymentGroup = deploymentGroupResource(c);
  /** A blue/green deployment still running: what ContinueDeployment and SkipWaitTimeForInstanceTermination act on. */
  const activeBlueGreen = (id: string | undefined, ctx: RequestContext) => {
    const d = requireDeployment(c, scopeOf(ctx), id);
    if (FINISHED.includes(d.status)) throw deploymentAlreadyCompleted(d.deploymentId);
    if (d.deploymentStyle.deploymentType !== 'BLUE_GREEN') {
      throw cdError('UnsupportedActionForDeploymentTypeException', 'A call was submitted that is not supported for the specified deployment type.');
    }
    return d;
  };
  const view = (id: string, ctx: RequestContext) => {
    const d = requireDeployment(c, scopeOf(ctx), id);
    return deploymentView(d, c.store.targets(d.deploymentId));
  };

  return {
    CreateDeployment: operation<CreateDeploymentInput, CreateDeploymentOutput>({
      iam: iam('CreateDeployment', (input, ctx) => groupArn(scopeOf(ctx), input.applicationName ?? '*', input.deploymentGroupName ?? '*')),
      handler: async (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        const group = requireGroup(c, scope, app.applicationName, input.deploymentGroupName);
        if (input.deploymentConfigName && !findConfig(c.store, scope, input.deploymentConfigName)) throw configNotFound(input.deploymentConfigName);
        const rollback = input.autoRollbackConfiguration;
        if (rollback?.enabled && !(rollback.events ?? []).length) {
          throw cdError('InvalidAutoRollbackConfigException', 'The automatic rollback configuration was specified in an invalid format. For example, automatic rollback is enabled, but an invalid triggering event type or no event types were listed.');
        }
        if (input.targetInstances && group.settings.deploymentStyle?.deploymentType !== 'BLUE_GREEN') {
          throw cdError('InvalidTargetInstancesException', 'The target instance configuration is invalid. Possible causes include: Configuration data for target instances was entered for an in-place deployment.');
        }
        const revision = await resolveRevision(c, ctx, scope, input.revision ?? group.targetRevision, app.computePlatform);
        const d = c.engine.launch(scope, group, {
          revision,
          deploymentConfigName: input.deploymentConfigName,
          description: input.description,
          creator: 'user',
          ignoreApplicationStopFailures: input.ignoreApplicationStopFailures,
          fileExistsBehavior: input.fileExistsBehavior,
          autoRollbackConfiguration: input.autoRollbackConfiguration,
          targetInstances: input.targetInstances,
          updateOutdatedInstancesOnly: input.updateOutdatedInstancesOnly,
        });
        registerRevision(c, scope, app.applicationName, revision, { deploymentGroups: [group.deploymentGroupName], lastUsedTime: d.createTime });
        return { deploymentId: d.deploymentId };
      },
    }),

    GetDeployment: operation<GetDeploymentInput, GetDeploymentOutput>({
      iam: iam('GetDeployment', deploymentGroup),
      handler: (input, ctx) => ({ deploymentInfo: view(input.deploymentId!, ctx) }),
    }),

    BatchGetDeployments: operation<BatchGetDeploymentsInput, BatchGetDeploymentsOutput>({
      iam: iam('BatchGetDeployments'),
      handler: (input, ctx) => {
        const ids = input.deploymentIds ?? [];
        if (ids.length === 0) throw cdError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
        if (ids.length > MAX_BATCH) throw cdError('BatchLimitExceededException', `The maximum number of names or IDs allowed for this request (${MAX_BATCH}) was exceeded.`);
        const scope = scopeOf(ctx);
        return {
          deploymentsInfo: ids.flatMap((id) => {
            const d = c.store.deployment(id);
            return d && d.accountId === scope.accountId && d.region === scope.region ? [deploymentView(d, c.store.targets(id))] : [];
          }),
        };
      },
    }),

    ListDeployments: operation<ListDeploymentsInput, ListDeploymentsOutput>({
      iam: iam('ListDeployments', (input, ctx) => groupArn(scopeOf(ctx), input.applicationName ?? '*', input.deploymentGroupName ?? '*')),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        if (input.deploymentGroupName && !input.applicationName) throw cdError('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
        if (input.applicationName) {
          const app = requireApplication(c, scope, input.applicationName);
          if (!input.deploymentGroupName) throw cdError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
          requireGroup(c, scope, app.applicationName, input.deploymentGroupName);
        }
        const statuses = input.includeOnlyStatuses ?? [];
        const start = epochMs(input.createTimeRange?.start);
        const end = epochMs(input.createTimeRange?.end);
        const ids = c.store
          .deployments(scope, input.applicationName, input.deploymentGroupName)
          .filter((d) => statuses.length === 0 || statuses.includes(d.status as never))
          .filter((d) => (start === undefined || d.createTime >= start) && (end === undefined || d.createTime <= end))
          .map((d) => d.deploymentId);
        const { items, nextToken } = page(ids, input.nextToken);
        return { deployments: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    StopDeployment: operation<StopDeploymentInput, StopDeploymentOutput>({
      iam: iam('StopDeployment', deploymentGroup),
      handler: (input, ctx) => {
        const d = requireDeployment(c, scopeOf(ctx), input.deploymentId);
        if (FINISHED.includes(d.status)) throw deploymentAlreadyCompleted(d.deploymentId);
        c.engine.stop(d.deploymentId, input.autoRollbackEnabled ?? false);
        return { status: 'Succeeded', statusMessage: `Deployment ${d.deploymentId} was stopped.` };
      },
    }),

    ContinueDeployment: operation<ContinueDeploymentInput, Record<string, never>>({
      iam: iam('ContinueDeployment', deploymentGroup),
      // codesuite runs in-place deployments only (on-premises instances cannot be blue/green), so none is ever Ready.
      handler: (input, ctx) => {
        activeBlueGreen(input.deploymentId, ctx);
        throw cdError('DeploymentIsNotInReadyStateException', 'The deployment does not have a status of Ready and can\'t continue yet.');
      },
    }),

    SkipWaitTimeForInstanceTermination: operation<SkipWaitTimeForInstanceTerminationInput, Record<string, never>>({
      iam: iam('SkipWaitTimeForInstanceTermination', deploymentGroup),
      handler: (input, ctx) => {
        activeBlueGreen(input.deploymentId, ctx);
        throw cdError('DeploymentNotStartedException', 'The specified deployment has not started.');
      },
    }),

    PutLifecycleEventHookExecutionStatus: operation<PutLifecycleEventHookExecutionStatusInput, PutLifecycleEventHookExecutionStatusOutput>({
      iam: iam('PutLifecycleEventHookExecutionStatus', deploymentGroup),
      handler: (input, ctx) => {
        const d = requireDeployment(c, scopeOf(ctx), input.deploymentId);
        if (input.status && !['Succeeded', 'Failed'].includes(input.status)) {
          throw cdError('InvalidLifecycleEventHookExecutionStatusException', 'The result of a Lambda validation function that verifies a lifecycle event is invalid. It should return Succeeded or Failed.');
        }
        if (d.computePlatform === 'Server') {
          throw cdError('UnsupportedActionForDeploymentTypeException', 'A call was submitted that is not supported for the specified deployment type.');
        }
        if (d.computePlatform === 'Lambda' && input.lifecycleEventHookExecutionId && input.status) {
          c.engine.lambda.report(d, input.lifecycleEventHookExecutionId, input.status as 'Succeeded' | 'Failed');
          return { lifecycleEventHookExecutionId: input.lifecycleEventHookExecutionId };
        }
        throw cdError('InvalidLifecycleEventHookExecutionIdException', 'A lifecycle event hook is invalid. Review the hooks section in your AppSpec file to make sure the lifecycle events and hooks functions are valid.');
      },
    }),
  };
}

/** A timestamp member as the JSON protocol delivers it: epoch seconds on the wire (the SDK types say Date). */
function epochMs(value: Date | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.getTime() : Number(value) * 1000;
}
