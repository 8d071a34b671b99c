import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import type { IamDeclaration } from '../core/service.js';
import type { DeploymentEngine } from './engine.js';
import { applicationNotFound, deploymentNotFound, groupNotFound, invalidDeploymentId, cdError } from './errors.js';
import { DEPLOYMENT_ID, groupArn } from './arns.js';
import type { CodeDeployPlatform } from './platform.js';
import type { ApplicationRecord, DeploymentRecord, GroupRecord, Scope } from './records.js';
import type { CodeDeployStore } from './store.js';

export interface CodeDeployContext {
  deps: ServiceDeps;
  store: CodeDeployStore;
  engine: DeploymentEngine;
  platform: CodeDeployPlatform;
  now: () => number;
}

export const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.accountId, region: ctx.region });

/** The IAM declaration of a CodeDeploy action on one resource. */
export function iam<I>(action: string, resource: (input: I, ctx: RequestContext) => string = () => '*'): IamDeclaration<I> {
  return { action: `codedeploy:${action}`, resource };
}

export function requireApplication(c: CodeDeployContext, scope: Scope, name: string | undefined): ApplicationRecord {
  if (!name) throw cdError('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
  const app = c.store.application(scope, name);
  if (!app) throw applicationNotFound(name);
  return app;
}

export function requireGroup(c: CodeDeployContext, scope: Scope, application: string, name: string | undefined): GroupRecord {
  if (!name) throw cdError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
  const group = c.store.group(scope, application, name);
  if (!group) throw groupNotFound(name);
  return group;
}

export function requireDeployment(c: CodeDeployContext, scope: Scope, id: string | undefined): DeploymentRecord & Scope {
  if (!id) throw cdError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
  if (!DEPLOYMENT_ID.test(id)) throw invalidDeploymentId(id);
  const d = c.store.deployment(id);
  if (!d || d.accountId !== scope.accountId || d.region !== scope.region) throw deploymentNotFound(id);
  return d;
}

/** IAM authorizes calls about a deployment on the deployment's group. */
export function deploymentGroupResource(c: CodeDeployContext): (input: { deploymentId?: string }, ctx: RequestContext) => string {
  return (input, ctx) => {
    const d = input.deploymentId ? c.store.deployment(input.deploymentId) : undefined;
    return d ? groupArn(scopeOf(ctx), d.applicationName, d.deploymentGroupName) : '*';
  };
}
