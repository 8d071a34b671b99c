import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { dispatch, type Authorizer, type ProtocolErrors } from '../dispatch.js';
import { AwsError } from '../errors.js';
import { speaks, type ServiceModel } from '../models/model.js';
import { lowerCamelCase } from '../models/validate.js';
import type { ServiceDefinition } from '../service.js';
import { unservedService } from '../unserved.js';

/** AWS JSON 1.0/1.1: POST / with `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON body. */
const jsonErrors: ProtocolErrors = {
  unknownOperation: () => new AwsError('UnknownOperationException', ''),
  validationCode: 'ValidationException',
  accessDenied: (message) => new AwsError('AccessDeniedException', message, 400),
};

/** A Query-compatible service reports bad input as its Query API does (`ValidationError`, member names in lower camel case). */
const queryCompatibleErrors: ProtocolErrors = { ...jsonErrors, validationCode: 'ValidationError', memberName: lowerCamelCase };

export function jsonServices(services: ServiceDefinition[]): Map<string, ServiceDefinition> {
  const byPrefix = new Map<string, ServiceDefinition>();
  for (const service of services) {
    const { targetPrefix } = service.model.metadata;
    if (speaks(service.model, 'json') && targetPrefix) byPrefix.set(targetPrefix, service);
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
  const output = await dispatch(service, operation, parseJsonBody(body), ctx, service.model.metadata.awsQueryCompatible && !service.queryCompatible ? queryCompatibleErrors : jsonErrors, authorize);
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

/** JSON 1.x and REST-JSON bodies carry timestamps as epoch seconds and blobs as base64. */
export function toWire(value: unknown): unknown {
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
  // Services AWS also answers over Query name an error twice: by its JSON shape (`__type`) and by
  // its Query code (`x-amzn-query-error`), which the SDKs prefer. SQS's handlers throw shape names
  // and map them to Query codes; CloudWatch's throw Query codes, whose shapes the model names.
  let type = err.code;
  if (service?.queryCompatible) {
    const queryCode = service.queryCompatible.errorCode(err.code);
    if (queryCode) reply.header('x-amzn-query-error', `${queryCode};${err.fault}`);
  } else if (service?.model.metadata.awsQueryCompatible !== undefined) {
    type = errorShapeName(service.model, err.code);
    reply.header('x-amzn-query-error', `${err.code};${err.fault}`);
  }
  reply
    .status(err.statusCode)
    .header('content-type', `application/x-amz-json-${service?.model.metadata.jsonVersion ?? '1.1'}`)
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', type)
    .send(Buffer.from(JSON.stringify(toWire({ __type: type, message: err.message, ...err.fields }))));
}

/** The exception shape a Query code names (CloudWatch's `InvalidParameterValue` is `InvalidParameterValueException`). */
export function errorShapeName(model: ServiceModel, code: string): string {
  for (const [name, shape] of Object.entries(model.shapes)) if (shape.exception && (shape.error?.code ?? name) === code) return name;
  return code;
}
