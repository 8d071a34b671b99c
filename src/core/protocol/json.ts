import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { dispatch, type Authorizer, type ProtocolErrors } from '../dispatch.js';
import { AwsError } from '../errors.js';
import type { ServiceDefinition } from '../service.js';
import { unservedService } from '../unserved.js';

/** AWS JSON 1.0/1.1: POST / with `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON body. */
const jsonErrors: ProtocolErrors = {
  unknownOperation: () => new AwsError('UnknownOperationException', ''),
  validationCode: 'ValidationException',
  accessDenied: (message) => new AwsError('AccessDeniedException', message, 400),
};

export function jsonServices(services: ServiceDefinition[]): Map<string, ServiceDefinition> {
  const byPrefix = new Map<string, ServiceDefinition>();
  for (const service of services) {
    const { protocol, targetPrefix } = service.model.metadata;
    if (protocol === 'json' && targetPrefix) byPrefix.set(targetPrefix, service);
  }
  return byPrefix;
}

export async function handleJson(
  request: FastifyRequest,
  reply: FastifyReply,
  target: string,
  byPrefix: Map<string, ServiceDefinition>,
  ctx: RequestContext,
  authorize: Authorizer,
  body: Buffer,
  mounted: readonly ServiceDefinition[],
): Promise<void> {
  const dot = target.lastIndexOf('.');
  const prefix = dot < 0 ? target : target.slice(0, dot);
  const service = dot < 0 ? undefined : byPrefix.get(prefix);
  request.awsOperation = target;
  request.awsService = service;
  if (!service) throw unservedService('UnknownOperationException', { targetPrefix: prefix }, mounted);
  const operation = target.slice(dot + 1);
  const output = await dispatch(service, operation, parseJsonBody(body), ctx, jsonErrors, authorize);
  const version = service.model.metadata.jsonVersion ?? '1.1';
  reply
    .header('content-type', `application/x-amz-json-${version}`)
    .header('x-amzn-requestid', ctx.requestId)
    .send(Buffer.from(JSON.stringify(toWire(output ?? {}))));
}

function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
}

/** JSON 1.x sends timestamps as epoch seconds and blobs as base64. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}

export function sendJsonError(reply: FastifyReply, err: AwsError, requestId: string, service?: ServiceDefinition): void {
  // Query-compatible services also name the error as their Query protocol does; SDKs read it from here.
  const queryCode = service?.queryCompatible?.errorCode(err.code);
  if (queryCode) reply.header('x-amzn-query-error', `${queryCode};${err.fault}`);
  reply
    .status(err.statusCode)
    .header('content-type', `application/x-amz-json-${service?.model.metadata.jsonVersion ?? '1.1'}`)
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', err.code)
    .send(Buffer.from(JSON.stringify(toWire({ __type: err.code, message: err.message, ...err.fields }))));
}
