import { createHash } from 'node:crypto';
import type { ConfigRecord } from './records.js';

/** Built-ins exist in every account and region; AWS shows them with a fixed creation time. */
const BUILT_IN_TIME = Date.UTC(2014, 10, 12);

function uuidFor(name: string): string {
  const h = createHash('sha1').update(`codedeploy-config:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function config(name: string, computePlatform: string, rest: Partial<ConfigRecord>): ConfigRecord {
  return { deploymentConfigId: uuidFor(name), deploymentConfigName: name, computePlatform, createTime: BUILT_IN_TIME, ...rest };
}

const canary = (percent: number, minutes: number) => ({ type: 'TimeBasedCanary' as const, timeBasedCanary: { canaryPercentage: percent, canaryInterval: minutes } });
const linear = (percent: number, minutes: number) => ({ type: 'TimeBasedLinear' as const, timeBasedLinear: { linearPercentage: percent, linearInterval: minutes } });

/**
 * The `CodeDeployDefault.*` configurations with AWS's definitions. OneAtATime reports type
 * MOST_CONCURRENCY value 1, a type users cannot set (MinimumHealthyHosts API reference).
 */
export const BUILT_IN_CONFIGS: ConfigRecord[] = [
  config('CodeDeployDefault.OneAtATime', 'Server', { minimumHealthyHosts: { type: 'MOST_CONCURRENCY' as never, value: 1 } }),
  config('CodeDeployDefault.HalfAtATime', 'Server', { minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 50 } }),
  config('CodeDeployDefault.AllAtOnce', 'Server', { minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 } }),
  config('CodeDeployDefault.LambdaAllAtOnce', 'Lambda', { trafficRoutingConfig: { type: 'AllAtOnce' } }),
  config('CodeDeployDefault.LambdaCanary10Percent5Minutes', 'Lambda', { trafficRoutingConfig: canary(10, 5) }),
  config('CodeDeployDefault.LambdaCanary10Percent10Minutes', 'Lambda', { trafficRoutingConfig: canary(10, 10) }),
  config('CodeDeployDefault.LambdaCanary10Percent15Minutes', 'Lambda', { trafficRoutingConfig: canary(10, 15) }),
  config('CodeDeployDefault.LambdaCanary10Percent30Minutes', 'Lambda', { trafficRoutingConfig: canary(10, 30) }),
  config('CodeDeployDefault.LambdaLinear10PercentEvery1Minute', 'Lambda', { trafficRoutingConfig: linear(10, 1) }),
  config('CodeDeployDefault.LambdaLinear10PercentEvery2Minutes', 'Lambda', { trafficRoutingConfig: linear(10, 2) }),
  config('CodeDeployDefault.LambdaLinear10PercentEvery3Minutes', 'Lambda', { trafficRoutingConfig: linear(10, 3) }),
  config('CodeDeployDefault.LambdaLinear10PercentEvery10Minutes', 'Lambda', { trafficRoutingConfig: linear(10, 10) }),
  config('CodeDeployDefault.ECSAllAtOnce', 'ECS', { trafficRoutingConfig: { type: 'AllAtOnce' } }),
  config('CodeDeployDefault.ECSLinear10PercentEvery1Minutes', 'ECS', { trafficRoutingConfig: linear(10, 1) }),
  config('CodeDeployDefault.ECSLinear10PercentEvery3Minutes', 'ECS', { trafficRoutingConfig: linear(10, 3) }),
  config('CodeDeployDefault.ECSCanary10Percent5Minutes', 'ECS', { trafficRoutingConfig: canary(10, 5) }),
  config('CodeDeployDefault.ECSCanary10Percent15Minutes', 'ECS', { trafficRoutingConfig: canary(10, 15) }),
];

export const BUILT_IN_PREFIX = 'CodeDeployDefault.';
