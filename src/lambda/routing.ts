import type { FunctionRecord, FunctionStore, StoredConfig } from './store.js';
import type { Functions } from './functions.js';
import { notReady } from './errors.js';

/**
 * The configuration an invocation runs: $LATEST, a version, or for an alias its primary version or,
 * with the weight RoutingConfig gives it, the additional one.
 */
export function routeInvocation(functions: Functions, store: FunctionStore, fn: FunctionRecord, qualifier: string | undefined, random = Math.random): StoredConfig {
  const alias = qualifier && !/^\d+$/.test(qualifier) && qualifier !== '$LATEST' ? store.alias(fn.id, qualifier) : undefined;
  let config: StoredConfig;
  if (alias) {
    const [extra, weight] = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})[0] ?? [];
    const version = extra !== undefined && random() < weight! ? extra : alias.FunctionVersion!;
    config = functions.config(fn, version);
  } else config = functions.config(fn, qualifier);
  if (config.State === 'Pending' || config.State === 'Failed' || config.State === 'Inactive') throw notReady(config.State);
  return config;
}
