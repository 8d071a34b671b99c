import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerIdentity, IssuedCredential, RequestContext } from './context.js';
import type { Identity } from './identity.js';
import type { Authorizer } from './dispatch.js';
import type { AwsError } from './errors.js';
import type { ServiceModel } from './models/model.js';
import type { Violation } from './models/validate.js';

/**
 * What IAM is asked before an operation runs: the action, the resource it touches and the
 * condition keys the request supplies. Declared beside each handler so no operation can skip it.
 */
export interface IamDeclaration<I = any> {
  action: string;
  /**
   * `none-required`: AWS documents that the action needs no permission (sts:GetCallerIdentity).
   * `in-handler`: the handler makes the whole decision itself (sts:AssumeRole weighs the trust
   * policy with the caller's policies), so the generic identity-policy check must not pre-empt it.
   */
  decidedBy?: 'none-required' | 'in-handler';
  /** The resource-based policy that also applies (an S3 bucket policy), as JSON text. */
  resourcePolicy?: (input: I, ctx: RequestContext) => string | undefined;
  resource: (input: I, ctx: RequestContext) => string;
  conditionKeys?: (input: I, ctx: RequestContext) => Record<string, string | string[]>;
}

export interface OperationSpec<I = any, O = any> {
  iam: IamDeclaration<I>;
  handler: (input: I, ctx: RequestContext) => O | Promise<O>;
}

export interface ServiceDefinition {
  /** Lower-case service name as IAM and SigV4 know it: `codecommit`, `sts`. */
  name: string;
  model: ServiceModel;
  operations: Record<string, OperationSpec>;
  /** How this service spells member names in validation messages, where it differs from its protocol's way. */
  validationMemberName?: (name: string) => string;
  /** Services whose API names its own exceptions for bad input (CodeCommit does) translate here. */
  validationError?: (operation: string, violations: Violation[]) => AwsError | undefined;
  /** The code a Query service answers an IAM denial with, where it is not `AccessDenied` (SNS: `AuthorizationError`). */
  accessDeniedCode?: string;
  /** Extra HTTP routes a service serves besides its AWS protocol (git smart HTTP). */
  routes?: (app: FastifyInstance, road: { identity: Identity; authorize: Authorizer }) => void;
  /** Services that issue credentials say whose an access key is, and its secret. */
  lookupCredential?: (accessKeyId: string) => IssuedCredential | undefined;
  /** Services that issue HTTPS git credentials (IAM's service-specific credentials) say whose a user name is. */
  lookupGitCredential?: (userName: string) => { caller: CallerIdentity; password: string; active: boolean } | undefined;
  /**
   * REST protocols (S3's REST-XML) route by method and path rather than by operation name, so a
   * REST service decodes its own requests: it claims the ones addressed to it (by SigV4 scope,
   * host or path), handles them (the body is the raw request stream) and writes its own errors.
   */
  rest?: {
    claims: (request: FastifyRequest, signingService: string | undefined) => boolean;
    handle: (request: FastifyRequest, reply: FastifyReply, ctx: RequestContext, authorize: Authorizer) => Promise<unknown>;
    sendError: (request: FastifyRequest, reply: FastifyReply, err: AwsError) => void;
  };
  /**
   * A JSON service that AWS also answers over the Query protocol (SQS: older SDKs and CLIs send
   * `Action=...` forms). Query requests are read and answered with the service's Query model,
   * validated and dispatched as JSON ones; both protocols name an error by its Query code.
   */
  queryCompatible?: {
    model: ServiceModel;
    /** The Query code of an error the handlers throw by its JSON shape name; JSON answers send it in `x-amzn-query-error`. */
    errorCode: (code: string) => string;
    /** Members a Query request may carry in its path instead of its form (SQS's `/<account>/<queue>`). */
    pathParams?: (path: string, params: URLSearchParams, endpoint: string) => void;
  };
  health?: () => Record<string, unknown>;
  /**
   * Paths under the service's files directory (`/`-separated, relative to it) that hold work in
   * progress rather than state: a snapshot leaves them out.
   */
  transientFiles?: (relativePath: string) => boolean;
  /** A few words for the start-up line, about a choice made at start (where builds run). */
  startupNote?: () => Promise<string>;
  close?: () => void | Promise<void>;
}

/** Helper so a service's operation table is checked against its input and output types. */
export function operation<I, O>(spec: OperationSpec<I, O>): OperationSpec<I, O> {
  return spec;
}
