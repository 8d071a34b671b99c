import type { Build, StartBuildInput } from '@aws-sdk/client-codebuild';
import { randomUUID } from 'node:crypto';
import type { CallerIdentity, RequestContext } from '../core/context.js';
import { dispatch, type Authorizer, type ProtocolErrors } from '../core/dispatch.js';
import { AwsError } from '../core/errors.js';
import type { ServiceDefinition } from '../core/service.js';
import type { Db } from '../core/store/db.js';
import { INITIATOR } from './build-operations.js';

/**
 * CodeBuild for the other services of a server (CodePipeline's build actions, EventBridge rule
 * targets): the same operations, validation and authorization as a request from outside, as the
 * calling principal (a pipeline's role), without HTTP in between.
 */
interface Mounted {
  service: ServiceDefinition;
  authorize: () => Authorizer;
}

const mounted = new WeakMap<Db, Mounted>();

export function registerCodeBuild(db: Db, service: ServiceDefinition, authorize: () => Authorizer): void {
  mounted.set(db, { service, authorize });
}

const errors: ProtocolErrors = {
  unknownOperation: (op) => new AwsError('UnknownOperationException', op),
  validationCode: 'ValidationException',
  accessDenied: (message) => new AwsError('AccessDeniedException', message),
};

async function call(db: Db, principal: CallerIdentity, region: string, operation: string, input: Record<string | symbol, unknown>, endpoint = ''): Promise<Record<string, unknown>> {
  const m = mounted.get(db);
  if (!m) throw new Error('CodeBuild is not mounted on this database');
  const ctx: RequestContext = {
    requestId: randomUUID(),
    accountId: principal.accountId,
    region,
    accessKeyId: principal.accessKeyId,
    caller: principal,
    principalArn: principal.arn,
    endpoint,
    sourceIp: '127.0.0.1',
  };
  return (await dispatch(m.service, operation, input, ctx, errors, m.authorize())) as Record<string, unknown>;
}

export interface InternalStart {
  db: Db;
  principal: CallerIdentity;
  region: string;
  input: StartBuildInput;
  /** CODEBUILD_INITIATOR, e.g. `codepipeline/<pipeline name>`. */
  initiator?: string;
}

/** StartBuild as `principal`. A CODEPIPELINE build passes `sourceTypeOverride: CODEPIPELINE` with the input artifact's S3 location, and `artifactsOverride` of type CODEPIPELINE with the output's. */
export async function startBuild(start: InternalStart): Promise<Build> {
  const input: Record<string | symbol, unknown> = { ...start.input };
  if (start.initiator) input[INITIATOR] = start.initiator;
  return (await call(start.db, start.principal, start.region, 'StartBuild', input)).build as Build;
}

export async function batchGetBuilds(db: Db, principal: CallerIdentity, region: string, ids: string[]): Promise<Build[]> {
  return (await call(db, principal, region, 'BatchGetBuilds', { ids })).builds as Build[];
}

export async function stopBuild(db: Db, principal: CallerIdentity, region: string, id: string): Promise<Build> {
  return (await call(db, principal, region, 'StopBuild', { id })).build as Build;
}
