import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authorizer } from './dispatch.js';
import { AwsError, internalError, isAwsError } from './errors.js';
import { handleJson, jsonServices, sendJsonError } from './protocol/json.js';
import { handleQuery, pickQueryService, queryParams, sendQueryError } from './protocol/query.js';
import type { Identity } from './identity.js';
import type { ServiceDefinition } from './service.js';
import { parseCredentialScope } from './sigv4.js';

declare module 'fastify' {
  interface FastifyRequest {
    awsOperation?: string;
  }
}

function isQueryRequest(request: FastifyRequest): boolean {
  const type = String(request.headers['content-type'] ?? '');
  return type.startsWith('application/x-www-form-urlencoded') || /[?&]Action=/.test(request.url);
}

/**
 * The AWS protocol fronts on one port: every request that is not git or codesuite's own comes
 * here, is recognised by its protocol, and is answered in that protocol's format, errors included.
 */
export function mountAwsFront(
  app: FastifyInstance,
  services: ServiceDefinition[],
  identity: Identity,
  endpoint: () => string,
  authorize: Authorizer,
): void {
  const byPrefix = jsonServices(services);

  app.register(async (scope) => {
    // Bodies are decoded by the protocol fronts, not by content type, so take every body raw.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.setErrorHandler((err: FastifyError | AwsError, request, reply) => {
      sendAwsError(request, reply, toAwsError(err, request));
    });

    scope.all('/*', async (request, reply) => {
      const ctx = identity.context(request, endpoint());
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string') {
        return handleJson(request, reply, target, byPrefix, ctx, authorize);
      }
      if (isQueryRequest(request)) {
        const params = queryParams(request);
        const scopeService = parseCredentialScope(request.headers, params)?.service;
        return handleQuery(request, reply, params, pickQueryService(services, scopeService, params.get('Action') ?? ''), ctx, authorize);
      }
      throw new AwsError('UnknownOperationException', `No AWS operation is served at ${request.method} ${request.url.split('?')[0]}.`, 404);
    });
  });
}

function toAwsError(err: FastifyError | AwsError, request: FastifyRequest): AwsError {
  if (isAwsError(err)) return err;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AwsError('RequestEntityTooLargeException', 'Request body is larger than the maximum allowed size.', 413);
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new AwsError('BadRequest', err.message, err.statusCode);
  }
  request.log.error({ err }, 'unhandled error');
  return internalError();
}

export function sendAwsError(request: FastifyRequest, reply: FastifyReply, err: AwsError): void {
  if (typeof request.headers['x-amz-target'] === 'string') sendJsonError(reply, err, request.id);
  else sendQueryError(reply, err, request.id);
}
