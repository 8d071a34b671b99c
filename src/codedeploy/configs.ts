import type {
  CreateDeploymentConfigInput,
  CreateDeploymentConfigOutput,
  DeleteDeploymentConfigInput,
  DeploymentConfigInfo,
  GetDeploymentConfigInput,
  GetDeploymentConfigOutput,
  ListDeploymentConfigsInput,
  ListDeploymentConfigsOutput,
} from '@aws-sdk/client-codedeploy';
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { configArn } from './arns.js';
import { BUILT_IN_CONFIGS, BUILT_IN_PREFIX } from './builtin-configs.js';
import { iam, scopeOf, type CodeDeployContext } from './context.js';
import { cdError, configNotFound } from './errors.js';
import { page } from './pagination.js';
import type { ConfigRecord, Scope } from './records.js';
import type { CodeDeployStore } from './store.js';

/** A deployment configuration by name: a built-in one, or one of the account's. */
export function findConfig(store: CodeDeployStore, scope: Scope, name: string): ConfigRecord | undefined {
  return BUILT_IN_CONFIGS.find((b) => b.deploymentConfigName === name) ?? store.config(scope, name);
}

function configView(r: ConfigRecord): DeploymentConfigInfo {
  return {
    deploymentConfigId: r.deploymentConfigId,
    deploymentConfigName: r.deploymentConfigName,
    ...(r.minimumHealthyHosts ? { minimumHealthyHosts: r.minimumHealthyHosts } : {}),
    createTime: new Date(r.createTime),
    computePlatform: r.computePlatform as never,
    ...(r.trafficRoutingConfig ? { trafficRoutingConfig: r.trafficRoutingConfig } : {}),
    ...(r.zonalConfig ? { zonalConfig: r.zonalConfig } : {}),
  };
}

const resource = (input: { deploymentConfigName?: string }, ctx: RequestContext) => configArn(scopeOf(ctx), input.deploymentConfigName ?? '*');

function checkDefinition(input: CreateDeploymentConfigInput): void {
  const platform = input.computePlatform ?? 'Server';
  const mhh = input.minimumHealthyHosts;
  if (platform === 'Server') {
    if (input.trafficRoutingConfig) throw cdError('InvalidTrafficRoutingConfigurationException', 'The configuration that specifies how traffic is routed during a deployment is invalid.');
    if (!mhh || mhh.type === undefined || mhh.value === undefined) throw cdError('InvalidMinimumHealthyHostValueException', 'The minimum healthy instance value was specified in an invalid format.');
    if (mhh.value < 0 || (mhh.type === 'FLEET_PERCENT' && mhh.value > 100)) throw cdError('InvalidMinimumHealthyHostValueException', 'The minimum healthy instance value was specified in an invalid format.');
  } else if (mhh) {
    throw cdError('InvalidMinimumHealthyHostValueException', 'The minimum healthy instance value was specified in an invalid format.');
  }
  const traffic = input.trafficRoutingConfig;
  if (traffic) {
    const ok =
      (traffic.type === 'AllAtOnce' && !traffic.timeBasedCanary && !traffic.timeBasedLinear) ||
      (traffic.type === 'TimeBasedCanary' && traffic.timeBasedCanary?.canaryPercentage !== undefined && traffic.timeBasedCanary.canaryInterval !== undefined) ||
      (traffic.type === 'TimeBasedLinear' && traffic.timeBasedLinear?.linearPercentage !== undefined && traffic.timeBasedLinear.linearInterval !== undefined);
    if (!ok) throw cdError('InvalidTrafficRoutingConfigurationException', 'The configuration that specifies how traffic is routed during a deployment is invalid.');
  }
  if (input.zonalConfig && platform !== 'Server') throw cdError('InvalidZonalDeploymentConfigurationException', 'The ZonalConfig object is not valid.');
}

export function configOperations(c: CodeDeployContext): Record<string, OperationSpec> {
  return {
    CreateDeploymentConfig: operation<CreateDeploymentConfigInput, CreateDeploymentConfigOutput>({
      iam: iam('CreateDeploymentConfig', resource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const name = input.deploymentConfigName!;
        if (name.startsWith(BUILT_IN_PREFIX)) throw cdError('InvalidDeploymentConfigNameException', `The deployment configuration name can't start with ${BUILT_IN_PREFIX}`);
        if (findConfig(c.store, scope, name)) throw cdError('DeploymentConfigAlreadyExistsException', `A deployment configuration with the name ${name} already exists.`);
        checkDefinition(input);
        const deploymentConfigId = randomUUID();
        c.store.putConfig(scope, {
          deploymentConfigId,
          deploymentConfigName: name,
          computePlatform: input.computePlatform ?? 'Server',
          ...(input.minimumHealthyHosts ? { minimumHealthyHosts: input.minimumHealthyHosts } : {}),
          ...(input.trafficRoutingConfig ? { trafficRoutingConfig: input.trafficRoutingConfig } : {}),
          ...(input.zonalConfig ? { zonalConfig: input.zonalConfig } : {}),
          createTime: c.now(),
        });
        return { deploymentConfigId };
      },
    }),

    GetDeploymentConfig: operation<GetDeploymentConfigInput, GetDeploymentConfigOutput>({
      iam: iam('GetDeploymentConfig', resource),
      handler: (input, ctx) => {
        const config = findConfig(c.store, scopeOf(ctx), input.deploymentConfigName!);
        if (!config) throw configNotFound(input.deploymentConfigName!);
        return { deploymentConfigInfo: configView(config) };
      },
    }),

    ListDeploymentConfigs: operation<ListDeploymentConfigsInput, ListDeploymentConfigsOutput>({
      iam: iam('ListDeploymentConfigs'),
      handler: (input, ctx) => {
        const names = [...BUILT_IN_CONFIGS, ...c.store.configs(scopeOf(ctx))].map((r) => r.deploymentConfigName);
        const { items, nextToken } = page(names, input.nextToken);
        return { deploymentConfigsList: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    DeleteDeploymentConfig: operation<DeleteDeploymentConfigInput, Record<string, never>>({
      iam: iam('DeleteDeploymentConfig', resource),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const name = input.deploymentConfigName!;
        if (name.startsWith(BUILT_IN_PREFIX)) throw cdError('InvalidOperationException', 'The predefined deployment configurations cannot be deleted.');
        if (c.store.configInUse(scope, name)) throw cdError('DeploymentConfigInUseException', `The deployment configuration ${name} is still in use.`);
        c.store.deleteConfig(scope, name);
        return {};
      },
    }),
  };
}
