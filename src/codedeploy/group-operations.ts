import type {
  BatchGetDeploymentGroupsInput,
  BatchGetDeploymentGroupsOutput,
  CreateDeploymentGroupInput,
  CreateDeploymentGroupOutput,
  DeleteDeploymentGroupInput,
  DeleteDeploymentGroupOutput,
  GetDeploymentGroupInput,
  GetDeploymentGroupOutput,
  ListDeploymentGroupsInput,
  ListDeploymentGroupsOutput,
  UpdateDeploymentGroupInput,
  UpdateDeploymentGroupOutput,
} from '@aws-sdk/client-codedeploy';
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { groupArn } from './arns.js';
import { iam, requireApplication, requireGroup, scopeOf, type CodeDeployContext } from './context.js';
import { cdError } from './errors.js';
import { checkSettings } from './group-settings.js';
import { page } from './pagination.js';
import type { GroupSettings } from './records.js';
import { groupView } from './views.js';

const resource = (input: { applicationName?: string; deploymentGroupName?: string; currentDeploymentGroupName?: string }, ctx: RequestContext) =>
  groupArn(scopeOf(ctx), input.applicationName ?? '*', input.deploymentGroupName ?? input.currentDeploymentGroupName ?? '*');

const alreadyExists = (name: string, app: string) => cdError('DeploymentGroupAlreadyExistsException', `Deployment group ${name} already exists for application ${app}.`);

export function groupOperations(c: CodeDeployContext): Record<string, OperationSpec> {
  return {
    CreateDeploymentGroup: operation<CreateDeploymentGroupInput, CreateDeploymentGroupOutput>({
      iam: iam('CreateDeploymentGroup', resource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        const { applicationName: _a, deploymentGroupName: name, tags, ...settings } = input;
        if (c.store.group(scope, app.applicationName, name!)) throw alreadyExists(name!, app.applicationName);
        if (!settings.serviceRoleArn) throw cdError('RoleRequiredException', 'The role ID was not specified.');
        checkSettings(c, scope, settings);
        const deploymentGroupId = randomUUID();
        c.store.transaction(() => {
          c.store.putGroup(scope, { applicationName: app.applicationName, deploymentGroupId, deploymentGroupName: name!, computePlatform: app.computePlatform, settings });
          if (tags?.length) c.store.putTags(groupArn(scope, app.applicationName, name!), tags);
        });
        return { deploymentGroupId };
      },
    }),

    GetDeploymentGroup: operation<GetDeploymentGroupInput, GetDeploymentGroupOutput>({
      iam: iam('GetDeploymentGroup', resource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        return { deploymentGroupInfo: groupView(requireGroup(c, scope, app.applicationName, input.deploymentGroupName)) };
      },
    }),

    BatchGetDeploymentGroups: operation<BatchGetDeploymentGroupsInput, BatchGetDeploymentGroupsOutput>({
      iam: iam('BatchGetDeploymentGroups', (input, ctx) => groupArn(scopeOf(ctx), input.applicationName ?? '*', '*')),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        const names = input.deploymentGroupNames ?? [];
        if (names.length === 0) throw cdError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
        if (names.length > 100) throw cdError('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (100) was exceeded.');
        const found = names.map((n) => c.store.group(scope, app.applicationName, n));
        const missing = names.filter((_, i) => !found[i]);
        return {
          deploymentGroupsInfo: found.flatMap((g) => (g ? [groupView(g)] : [])),
          ...(missing.length ? { errorMessage: `Deployment groups not found: ${missing.join(', ')}` } : {}),
        };
      },
    }),

    ListDeploymentGroups: operation<ListDeploymentGroupsInput, ListDeploymentGroupsOutput>({
      iam: iam('ListDeploymentGroups', (input, ctx) => groupArn(scopeOf(ctx), input.applicationName ?? '*', '*')),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        const { items, nextToken } = page(c.store.groups(scope, app.applicationName).map((g) => g.deploymentGroupName), input.nextToken);
        return { applicationName: app.applicationName, deploymentGroups: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    UpdateDeploymentGroup: operation<UpdateDeploymentGroupInput, UpdateDeploymentGroupOutput>({
      iam: iam('UpdateDeploymentGroup', resource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        const group = requireGroup(c, scope, app.applicationName, input.currentDeploymentGroupName);
        const { applicationName: _a, currentDeploymentGroupName: _c, newDeploymentGroupName, ...changes } = input;
        const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as GroupSettings;
        const settings: GroupSettings = { ...group.settings, ...defined };
        // A flat filter list and a tag set replace each other: giving one clears the other.
        if (defined.onPremisesTagSet) settings.onPremisesInstanceTagFilters = defined.onPremisesInstanceTagFilters ?? [];
        if (defined.onPremisesInstanceTagFilters) settings.onPremisesTagSet = defined.onPremisesTagSet ?? { onPremisesTagSetList: [] };
        if (defined.ec2TagSet) settings.ec2TagFilters = defined.ec2TagFilters ?? [];
        if (defined.ec2TagFilters) settings.ec2TagSet = defined.ec2TagSet ?? { ec2TagSetList: [] };
        checkSettings(c, scope, defined);
        checkSettings(c, scope, { ...settings, serviceRoleArn: undefined });
        const name = newDeploymentGroupName ?? group.deploymentGroupName;
        if (name !== group.deploymentGroupName && c.store.group(scope, app.applicationName, name)) throw alreadyExists(name, app.applicationName);
        c.store.transaction(() => {
          if (name !== group.deploymentGroupName) {
            const from = groupArn(scope, app.applicationName, group.deploymentGroupName);
            const tags = c.store.tags(from);
            c.store.dropTags(from);
            c.store.putTags(groupArn(scope, app.applicationName, name), tags);
          }
          c.store.putGroup(scope, { ...group, deploymentGroupName: name, settings });
        });
        return { hooksNotCleanedUp: [] };
      },
    }),

    DeleteDeploymentGroup: operation<DeleteDeploymentGroupInput, DeleteDeploymentGroupOutput>({
      iam: iam('DeleteDeploymentGroup', resource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        const group = c.store.group(scope, app.applicationName, input.deploymentGroupName!);
        if (group) {
          c.store.transaction(() => {
            c.store.dropTags(groupArn(scope, app.applicationName, group.deploymentGroupName));
            c.store.deleteGroup(group.deploymentGroupId);
          });
        }
        return { hooksNotCleanedUp: [] };
      },
    }),
  };
}
