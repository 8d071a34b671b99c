import type {
  BatchGetDeploymentInstancesInput,
  BatchGetDeploymentInstancesOutput,
  BatchGetDeploymentTargetsInput,
  BatchGetDeploymentTargetsOutput,
  GetDeploymentInstanceInput,
  GetDeploymentInstanceOutput,
  GetDeploymentTargetInput,
  GetDeploymentTargetOutput,
  ListDeploymentInstancesInput,
  ListDeploymentInstancesOutput,
  ListDeploymentTargetsInput,
  ListDeploymentTargetsOutput,
} from '@aws-sdk/client-codedeploy';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { deploymentGroupResource, iam, requireDeployment, scopeOf, type CodeDeployContext } from './context.js';
import { cdError } from './errors.js';
import { page } from './pagination.js';
import type { TargetRecord } from './records.js';
import { instanceSummaryView, targetView } from './views.js';

const MAX_BATCH = 25;

const instanceMissing = () => cdError('InstanceDoesNotExistException', 'The specified instance does not exist in the deployment group.');
const targetMissing = () => cdError('DeploymentTargetDoesNotExistException', 'The provided target ID does not belong to the attempted deployment.');

function checkBatch(ids: string[] | undefined, code: string, what: string): string[] {
  if (!ids || ids.length === 0) throw cdError(code, `The ${what} was not specified.`);
  if (ids.length > MAX_BATCH) throw cdError('BatchLimitExceededException', `The maximum number of names or IDs allowed for this request (${MAX_BATCH}) was exceeded.`);
  return ids;
}

export function targetOperations(c: CodeDeployContext): Record<string, OperationSpec> {
  const resource = deploymentGroupResource(c);
  const targetsOf = (id: string | undefined, ctx: RequestContext): TargetRecord[] => c.store.targets(requireDeployment(c, scopeOf(ctx), id).deploymentId);
  const one = (id: string | undefined, targetId: string | undefined, ctx: RequestContext, missing: () => Error) => {
    const d = requireDeployment(c, scopeOf(ctx), id);
    const t = targetId ? c.store.target(d.deploymentId, targetId) : undefined;
    if (!t) throw missing();
    return t;
  };

  return {
    ListDeploymentTargets: operation<ListDeploymentTargetsInput, ListDeploymentTargetsOutput>({
      iam: iam('ListDeploymentTargets', resource),
      handler: (input, ctx) => {
        const filters = input.targetFilters ?? {};
        const statuses = filters.TargetStatus ?? [];
        const labels = filters.ServerInstanceLabel ?? [];
        const ids = targetsOf(input.deploymentId, ctx)
          .filter((t) => statuses.length === 0 || statuses.includes(t.status))
          // In-place targets carry no Blue/Green label, so a label filter selects none of them.
          .filter(() => labels.length === 0)
          .map((t) => t.targetId);
        const { items, nextToken } = page(ids, input.nextToken);
        return { targetIds: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    GetDeploymentTarget: operation<GetDeploymentTargetInput, GetDeploymentTargetOutput>({
      iam: iam('GetDeploymentTarget', resource),
      handler: (input, ctx) => {
        if (!input.targetId) throw cdError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
        return { deploymentTarget: targetView(one(input.deploymentId, input.targetId, ctx, targetMissing)) };
      },
    }),

    BatchGetDeploymentTargets: operation<BatchGetDeploymentTargetsInput, BatchGetDeploymentTargetsOutput>({
      iam: iam('BatchGetDeploymentTargets', resource),
      handler: (input, ctx) => {
        const ids = checkBatch(input.targetIds, 'DeploymentTargetIdRequiredException', 'deployment target ID');
        return { deploymentTargets: ids.map((id) => targetView(one(input.deploymentId, id, ctx, targetMissing))) };
      },
    }),

    ListDeploymentInstances: operation<ListDeploymentInstancesInput, ListDeploymentInstancesOutput>({
      iam: iam('ListDeploymentInstances', resource),
      handler: (input, ctx) => {
        const statuses = input.instanceStatusFilter ?? [];
        const types = input.instanceTypeFilter ?? [];
        const ids = targetsOf(input.deploymentId, ctx)
          .filter((t) => statuses.length === 0 || statuses.includes(t.status as never))
          .filter(() => types.length === 0)
          .map((t) => t.targetId);
        const { items, nextToken } = page(ids, input.nextToken);
        return { instancesList: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    GetDeploymentInstance: operation<GetDeploymentInstanceInput, GetDeploymentInstanceOutput>({
      iam: iam('GetDeploymentInstance', resource),
      handler: (input, ctx) => {
        if (!input.instanceId) throw cdError('InstanceIdRequiredException', 'The instance ID was not specified.');
        return { instanceSummary: instanceSummaryView(one(input.deploymentId, input.instanceId, ctx, instanceMissing)) };
      },
    }),

    BatchGetDeploymentInstances: operation<BatchGetDeploymentInstancesInput, BatchGetDeploymentInstancesOutput>({
      iam: iam('BatchGetDeploymentInstances', resource),
      handler: (input, ctx) => {
        const ids = checkBatch(input.instanceIds, 'InstanceIdRequiredException', 'instance ID');
        const d = requireDeployment(c, scopeOf(ctx), input.deploymentId);
        const found = ids.map((id) => c.store.target(d.deploymentId, id));
        const missing = ids.filter((_, i) => !found[i]);
        return {
          instancesSummary: found.flatMap((t) => (t ? [instanceSummaryView(t)] : [])),
          ...(missing.length ? { errorMessage: `Instances not found in deployment ${d.deploymentId}: ${missing.join(', ')}` } : {}),
        };
      },
    }),
  };
}
