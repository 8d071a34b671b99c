import { decode, encode } from 'cbor-x';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { dispatch, type Authorizer, type ProtocolErrors } from '../dispatch.js';
import { AwsError } from '../errors.js';
import { lowerCamelCase } from '../models/validate.js';
import { speaks } from '../models/model.js';
import type { ServiceDefinition } from '../service.js';
import { errorShapeName } from './json.js';

/**
 * Smithy RPC v2 CBOR: `POST /service/<ServiceName>/operation/<Operation>` with the header
 * `smithy-protocol: rpc-v2-cbor` and CBOR bodies (timestamps as tag 1 epoch seconds, blobs as
 * byte strings). The service name is the model's Smithy service shape, its JSON target prefix.
 */
const PATH = /^\/service\/([^/?]+)\/operation\/([^/?]+)$/;

const cborErrors: ProtocolErrors = {
  unknownOperation: (op) => new AwsError('UnknownOperationException', `Unknown operation ${op}`, 404),
  validationCode: 'ValidationException',
  accessDenied: (message) => new AwsError('AccessDeniedException', message, 403),
};
const queryCompatibleErrors: ProtocolErrors = { ...cborErrors, validationCode: 'ValidationError', memberName: lowerCamelCase };

export function isRpcV2CborRequest(request: FastifyRequest): boolean {
  return String(request.headers['smithy-protocol'] ?? '').toLowerCase() === 'rpc-v2-cbor';
}

export function rpcV2CborServices(services: ServiceDefinition[]): Map<string, ServiceDefinition> {
  return new Map(services.flatMap((s) => (speaks(s.model, 'smithy-rpc-v2-cbor') && s.model.metadata.targetPrefix ? [[s.model.metadata.targetPrefix, s] as const] : [])));
}

function decodeBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return decode(body);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid CBOR.');
  }
}

/** Output as CBOR: members left undefined are left out, as an absent member is. */
function toWire(value: unknown): unknown {
  if (value instanceof Date || Buffer.isBuffer(value) || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}

export async function handleRpcV2Cbor(
  request: FastifyRequest,
  reply: FastifyReply,
  byName: Map<string, ServiceDefinition>,
  ctx: RequestContext,
  authorize: Authorizer,
  body: Buffer,
): Promise<void> {
  const m = PATH.exec(request.url.split('?')[0]);
  if (!m) throw new AwsError('UnknownOperationException', `No RPC v2 CBOR operation is served at ${request.url.split('?')[0]}.`, 404);
  const service = byName.get(decodeURIComponent(m[1]));
  request.awsOperation = m[2];
  if (!service) throw new AwsError('UnknownOperationException', `codesuite serves no RPC v2 CBOR service ${m[1]}.`, 404);
  request.cborService = service;
  const errors = service.model.metadata.awsQueryCompatible ? queryCompatibleErrors : cborErrors;
  const output = await dispatch(service, decodeURIComponent(m[2]), decodeBody(body), ctx, errors, authorize);
  reply
    .header('content-type', 'application/cbor')
    .header('smithy-protocol', 'rpc-v2-cbor')
    .header('x-amzn-requestid', ctx.requestId)
    .send(Buffer.from(encode(toWire(output ?? {}))));
}

export function sendRpcV2CborError(reply: FastifyReply, err: AwsError, requestId: string, service?: ServiceDefinition): void {
  const queryCompatible = service?.model.metadata.awsQueryCompatible !== undefined;
  const type = service ? errorShapeName(service.model, err.code) : err.code;
  if (queryCompatible) reply.header('x-amzn-query-error', `${err.code};${err.fault}`);
  reply
    .status(err.statusCode)
    .header('content-type', 'application/cbor')
    .header('smithy-protocol', 'rpc-v2-cbor')
    .header('x-amzn-requestid', requestId)
    .send(Buffer.from(encode(toWire({ __type: type, message: err.message, ...err.fields }))));
}
