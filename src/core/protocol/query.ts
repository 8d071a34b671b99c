import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { dispatch, type Authorizer, type ProtocolErrors } from '../dispatch.js';
import { AwsError } from '../errors.js';
import { speaks, type ServiceModel, type Shape } from '../models/model.js';
import type { ServiceDefinition } from '../service.js';
import { lowerCamelCase } from '../models/validate.js';
import { escapeXml, shapeToXml } from './xml.js';

/**
 * AWS Query (IAM, STS): form-encoded `Action=...&Version=...` with flattened members
 * (`Tags.member.1.Key`), answered in XML. The service is the SigV4 scope's, or the one whose
 * model has the action.
 */
export function queryErrors(service?: ServiceDefinition): ProtocolErrors {
  return {
    unknownOperation: (action) =>
      new AwsError('InvalidAction', `Could not find operation ${action} for version ${service?.model.metadata.apiVersion ?? 'NO_VERSION_SPECIFIED'}`),
    validationCode: 'ValidationError',
    accessDenied: (message) => new AwsError(service?.accessDeniedCode ?? 'AccessDenied', message, 403),
    memberName: lowerCamelCase,
  };
}

export function queryParams(request: FastifyRequest, body: Buffer): URLSearchParams {
  const params = new URLSearchParams(request.url.split('?')[1] ?? '');
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
  return params;
}

/** SigV4 scopes name a service by its signing name, which is not always codesuite's (`monitoring` is CloudWatch). */
export function signsAs(service: ServiceDefinition, signingService: string): boolean {
  return service.name === signingService || (service.model.metadata.signingName ?? service.model.metadata.endpointPrefix) === signingService;
}

export function pickQueryService(services: ServiceDefinition[], signingService: string | undefined, action: string): ServiceDefinition | undefined {
  const queryOnes = services.filter((s) => speaks(s.model, 'query') || s.queryCompatible);
  return (
    (signingService === undefined ? undefined : queryOnes.find((s) => signsAs(s, signingService))) ??
    queryOnes.find((s) => Object.hasOwn(s.model.operations, action))
  );
}

export async function handleQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  params: URLSearchParams,
  service: ServiceDefinition | undefined,
  ctx: RequestContext,
  authorize: Authorizer,
): Promise<void> {
  const action = params.get('Action') ?? '';
  request.awsOperation = action;
  request.awsService = service;
  if (!service) throw queryErrors().unknownOperation(action);
  // The action is the request's: only the model's own operations count, never `toString`.
  if (!Object.hasOwn(service.model.operations, action)) throw queryErrors(service).unknownOperation(action);
  // A JSON service's Query model spells the wire (element names, flattening); operations newer than it use the JSON model's shapes.
  const queryModel = service.queryCompatible?.model;
  const model = queryModel && Object.hasOwn(queryModel.operations, action) ? queryModel : service.model;
  const op = model.operations[action];
  const input = op.input ? readStructure(model, model.shapes[op.input.shape], params, '') : {};
  const output = await dispatch(service, action, input, ctx, queryErrors(service), authorize);
  const wrapper = op.output?.resultWrapper ?? (service.queryCompatible && op.output ? `${action}Result` : undefined);
  const body = wrapper && op.output ? `<${wrapper}>${shapeToXml(model, model.shapes[op.output.shape], output)}</${wrapper}>` : '';
  reply
    .header('content-type', 'text/xml')
    .header('x-amzn-requestid', ctx.requestId)
    .send(
      xmlBody(`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace(queryModel ?? model)}">${body}` +
        `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${action}Response>`),
    );
}

/** Sent as bytes so the content type stays exactly `text/xml`, as AWS sends it. */
const xmlBody = (text: string) => Buffer.from(text, 'utf8');

function namespace(model: ServiceModel): string {
  return model.metadata.xmlNamespace ?? `https://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}/`;
}

export function sendQueryError(reply: FastifyReply, err: AwsError, requestId: string, service?: ServiceDefinition): void {
  const code = service?.queryCompatible?.errorCode(err.code) ?? err.code;
  reply
    .status(err.statusCode)
    .header('content-type', 'text/xml')
    .header('x-amzn-requestid', requestId)
    .send(
      xmlBody(`<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${err.fault}</Type><Code>${escapeXml(code)}</Code>` +
        `<Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`),
    );
}

/** Turns the flat form keys back into the typed structure the model describes. */
function readStructure(model: ServiceModel, shape: Shape, params: URLSearchParams, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = readValue(model, model.shapes[ref.shape], params, prefix + (ref.locationName ?? name));
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function hasPrefix(params: URLSearchParams, prefix: string): boolean {
  for (const key of params.keys()) if (key === prefix || key.startsWith(prefix + '.')) return true;
  return false;
}

function readValue(model: ServiceModel, shape: Shape, params: URLSearchParams, key: string): unknown {
  switch (shape.type) {
    case 'structure':
      return hasPrefix(params, key) ? readStructure(model, shape, params, key + '.') : undefined;
    case 'list': {
      // `Names=` (present but empty) is how clients send an empty list.
      if (params.get(key) === '') return [];
      // A flattened list's items take its member's name in place of the list's (SQS's `AttributeName.1`).
      const flatKey = shape.member?.locationName ? key.replace(/[^.]*$/, shape.member.locationName) : key;
      const itemKey = shape.flattened ? flatKey : `${key}.${shape.member?.locationName ?? 'member'}`;
      const items: unknown[] = [];
      for (let i = 1; ; i++) {
        const item = readValue(model, model.shapes[shape.member!.shape], params, `${itemKey}.${i}`);
        if (item === undefined) break;
        items.push(item);
      }
      return items.length > 0 || hasPrefix(params, key) ? items : undefined;
    }
    case 'map': {
      const entries: [string, unknown][] = [];
      const base = shape.flattened ? key : `${key}.entry`;
      for (let i = 1; ; i++) {
        const k = params.get(`${base}.${i}.${shape.key?.locationName ?? 'key'}`);
        if (k === null) break;
        entries.push([k, readValue(model, model.shapes[shape.value!.shape], params, `${base}.${i}.${shape.value?.locationName ?? 'value'}`)]);
      }
      // fromEntries makes every key an own member, `__proto__` included.
      return entries.length > 0 ? Object.fromEntries(entries) : undefined;
    }
    default: {
      const raw = params.get(key);
      if (raw === null) return undefined;
      return scalar(shape, raw, key);
    }
  }
}

function scalar(shape: Shape, raw: string, key: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw new AwsError('MalformedInput', `Value '${raw}' at '${key}' is not a number`);
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new AwsError('MalformedInput', `Value '${raw}' at '${key}' is not a boolean`);
      return raw === 'true';
    case 'timestamp': {
      const date = new Date(/^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : raw);
      if (Number.isNaN(date.getTime())) throw new AwsError('MalformedInput', `Value '${raw}' at '${key}' is not a timestamp`);
      return date;
    }
    default:
      return raw;
  }
}
