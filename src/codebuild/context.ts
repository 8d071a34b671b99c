import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import type { BuildRunner } from './build-runner.js';
import type { Platform } from './platform.js';
import type { CodeBuildStore } from './store.js';

/** What CodeBuild's operations share. */
export interface CodeBuildContext {
  deps: ServiceDeps;
  store: CodeBuildStore;
  platform: Platform;
  runner: BuildRunner;
  now(): number;
  /** Where a build started by this request reaches codesuite (AWS_ENDPOINT_URL inside it). */
  buildEndpoint(ctx: RequestContext): string;
}
