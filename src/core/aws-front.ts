import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { Authorizer } from './dispatch.js';
import { AwsError, internalError, isAwsError } from './errors.js';
import { handleJson, jsonServices, sendJsonError } from './protocol/json.js';
import { RestJsonFront, sendRestJsonError } from './protocol/rest-json.js';
import { handleRpcV2Cbor, isRpcV2CborRequest, rpcV2CborServices, sendRpcV2CborError } from './protocol/rpc-v2-cbor.js';
import { handleQuery, pickQueryService, queryParams, sendQueryError, signsAs } from './protocol/query.js';
import type { Identity } from './identity.js';
import type { ServiceDefinition } from './service.js';
import { unservedService } from './unserved.js';
import { parseCredentialScope } from './sigv4.js';
import { sha256Hex } from './sigv4-verify.js';

declare module 'fastify' {
  interface FastifyRequest {
    awsOperation?: string;
    /** The JSON or Query service that took the request, so its errors carry the service's own codes. */
    awsService?: ServiceDefinition;
    /** The REST service that took the request, so its errors are written in its format. */
    restService?: ServiceDefinition;
    /** Set when a REST-JSON service took the request (or it was signed for one): errors are written in REST-JSON. */
    restJson?: { service?: ServiceDefinition };
    /** The RPC v2 CBOR service that took the request, for its error shapes. */
    cborService?: ServiceDefinition;
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
  bodyLimit: number,
): { frameworkError: FrameworkErrorHandler } {
  const byPrefix = jsonServices(services);
  const byCborName = rpcV2CborServices(services);
  const restServices = services.filter((s) => s.rest);
  const restJson = new RestJsonFront(services);

  app.register(async (scope) => {
    // Bodies stay streams: the JSON and Query fronts read them whole (up to bodyLimit), REST
    // services such as S3 stream them, so a large upload is never held in memory.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scope.setErrorHandler((err: FastifyError | AwsError, request, reply) => {
      sendAwsError(request, reply, toAwsError(err, request));
    });

    scope.all('/*', async (request, reply) => {
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string') {
        const body = await readBody(request, bodyLimit);
        const ctx = identity.context(request, endpoint(), 'json', sha256Hex(body));
        return handleJson(request, reply, target, byPrefix, ctx, authorize, body, services);
      }
      if (isRpcV2CborRequest(request)) {
        const body = await readBody(request, bodyLimit);
        const ctx = identity.context(request, endpoint(), 'json', sha256Hex(body));
        return handleRpcV2Cbor(request, reply, byCborName, ctx, authorize, body);
      }
      const scopeService = parseCredentialScope(request.headers, new URLSearchParams(request.url.split('?')[1] ?? ''))?.service;
      // A form-encoded body signed for a REST service (an S3 object of that type) is not a Query call.
      if (isQueryRequest(request) && !restServices.some((s) => s.name === scopeService)) {
        const body = await readBody(request, bodyLimit);
        const ctx = identity.context(request, endpoint(), 'query', sha256Hex(body));
        const params = queryParams(request, body);
        const signingService = parseCredentialScope(request.headers, params)?.service;
        if (signingService !== undefined && !services.some((s) => signsAs(s, signingService))) {
          throw unservedService('InvalidAction', { signingName: signingService }, services);
        }
        const service = pickQueryService(services, signingService, params.get('Action') ?? '');
        service?.queryCompatible?.pathParams?.(request.url.split('?')[0], params, ctx.endpoint);
        return handleQuery(request, reply, params, service, ctx, authorize);
      }
      const routed = restJson.match(request, scopeService);
      if (routed) {
        request.restJson = { service: routed.route.service };
        const body = await readBody(request, bodyLimit);
        const ctx = identity.context(request, endpoint(), 'json', sha256Hex(body));
        return restJson.handle(request, reply, routed, body, ctx, authorize);
      }
      if (restJson.serves(scopeService)) {
        request.restJson = { service: services.find((s) => (s.model.metadata.signingName ?? s.name) === scopeService) };
        throw new AwsError('UnknownOperationException', `No ${scopeService} operation is served at ${request.method} ${request.url.split('?')[0]}.`, 404);
      }
      const rest = restServices.find((s) => s.rest!.claims(request, scopeService));
      if (rest) {
        request.restService = rest;
        // REST bodies are streamed: the service checks a signed payload hash as it reads.
        return rest.rest!.handle(request, reply, identity.context(request, endpoint(), 'rest'), authorize);
      }
      if (scopeService !== undefined && !services.some((s) => s.name === scopeService)) {
        throw unservedService('UnknownOperationException', { signingName: scopeService }, services);
      }
      throw new AwsError('UnknownOperationException', `No AWS operation is served at ${request.method} ${request.url.split('?')[0]}.`, 404);
    });
  });

  return {
    // Failures Fastify meets before any route runs (a path whose percent-escapes are not UTF-8)
    // are answered in the protocol of the request, as every other error is, not in Fastify's JSON.
    frameworkError: (err, request, reply) => {
      const aws = err.code === 'FST_ERR_BAD_URL' ? new AwsError('InvalidURI', "Couldn't parse the specified URI.") : toAwsError(err, request);
      const scopeService = parseCredentialScope(request.headers, new URLSearchParams(request.url.split('?')[1] ?? ''))?.service;
      if (typeof request.headers['x-amz-target'] !== 'string' && !isQueryRequest(request) && !isRpcV2CborRequest(request)) {
        if (restJson.serves(scopeService)) request.restJson = { service: services.find((s) => (s.model.metadata.signingName ?? s.name) === scopeService) };
        else request.restService = restServices.find((s) => s.rest!.claims(request, scopeService));
      }
      sendAwsError(request, reply, aws);
    },
  };
}

export type FrameworkErrorHandler = (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;

function toAwsError(err: FastifyError | AwsError, request: FastifyRequest): AwsError {
  if (isAwsError(err)) return err;
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new AwsError('BadRequest', err.message, err.statusCode);
  }
  request.log.error({ err }, 'unhandled error');
  return internalError();
}

export function sendAwsError(request: FastifyRequest, reply: FastifyReply, err: AwsError): void {
  if (typeof request.headers['x-amz-target'] === 'string') sendJsonError(reply, err, request.id, request.awsService);
  else if (isRpcV2CborRequest(request)) sendRpcV2CborError(reply, err, request.id, request.cborService);
  else if (request.restJson) sendRestJsonError(reply, request.restJson.service, err, request.id);
  else if (request.restService) request.restService.rest!.sendError(request, reply, err);
  else sendQueryError(reply, err, request.id, request.awsService);
}

/** The whole request body, refused with a 413 AWS error past `limit` bytes. */
export async function readBody(request: FastifyRequest, limit: number): Promise<Buffer> {
  const body = request.body as Readable | undefined;
  if (!body || typeof (body as Readable)[Symbol.asyncIterator] !== 'function') return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.resume();
      throw new AwsError('RequestEntityTooLargeException', 'Request body is larger than the maximum allowed size.', 413);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
