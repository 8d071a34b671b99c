import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { dispatch, type Authorizer, type ProtocolErrors } from '../dispatch.js';
import { AwsError } from '../errors.js';
import type { Operation, ServiceModel, Shape, ShapeRef } from '../models/model.js';
import type { ServiceDefinition } from '../service.js';
import { toWire } from './json.js';

/**
 * AWS REST-JSON (Lambda, CodeStar Notifications): the operation is chosen by method and path from
 * the model's `http` traits; input members come from path labels, the query string, headers, a
 * payload member or the JSON body, as each member's `location` says; output goes back the same way.
 * Everything after decoding takes the one road (`dispatch`): validation, IAM, the handler.
 */
interface Route {
  service: ServiceDefinition;
  operation: Operation;
  method: string;
  pattern: RegExp;
  labels: string[];
  /** Literal query parameters the request URI demands (`?find=LayerVersion`). */
  query: [string, string][];
  /** Longer literal paths win over label-heavy ones (`/functions/{F}/configuration` over `/functions/{F}`). */
  weight: number;
}

const restJsonErrors: ProtocolErrors = {
  unknownOperation: (op) => new AwsError('UnknownOperationException', `Unknown operation ${op}`, 404),
  validationCode: 'ValidationException',
  accessDenied: (message) => new AwsError('AccessDeniedException', message, 403),
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class RestJsonFront {
  private readonly routes: Route[];

  constructor(services: readonly ServiceDefinition[]) {
    this.routes = services
      .filter((s) => s.model.metadata.protocol === 'rest-json')
      .flatMap((service) => Object.values(service.model.operations).flatMap((operation) => (operation.http ? [route(service, operation)] : [])))
      .sort((a, b) => b.weight - a.weight);
  }

  get serviceNames(): Set<string> {
    return new Set(this.routes.map((r) => r.service.name));
  }

  /** The route a request addresses: among the signing service's routes when the request is signed, else among all. */
  match(request: FastifyRequest, signingService: string | undefined): { route: Route; labels: Record<string, string> } | undefined {
    const [rawPath, rawQuery = ''] = request.url.split('?', 2);
    const query = new URLSearchParams(rawQuery);
    for (const r of this.routes) {
      if (signingService !== undefined && signingServiceOf(r.service) !== signingService) continue;
      if (r.method !== request.method) continue;
      const m = r.pattern.exec(rawPath);
      if (!m) continue;
      if (!r.query.every(([k, v]) => query.get(k) === v)) continue;
      const labels: Record<string, string> = {};
      try {
        r.labels.forEach((name, i) => (labels[name] = decodeURIComponent(m[i + 1])));
      } catch {
        throw new AwsError('InvalidURI', "Couldn't parse the specified URI.");
      }
      return { route: r, labels };
    }
    return undefined;
  }

  /** Whether a signed request is meant for a REST-JSON service, routed or not (so its errors are written in REST-JSON). */
  serves(signingService: string | undefined): boolean {
    return signingService !== undefined && this.routes.some((r) => signingServiceOf(r.service) === signingService);
  }

  async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    matched: { route: Route; labels: Record<string, string> },
    body: Buffer,
    ctx: RequestContext,
    authorize: Authorizer,
  ): Promise<void> {
    const { service, operation } = matched.route;
    const model = service.model;
    request.awsOperation = operation.name;
    const input = operation.input ? decodeInput(model, model.shapes[operation.input.shape], request, matched.labels, body) : {};
    const output = (await dispatch(service, operation.name, input, ctx, restJsonErrors, authorize)) as Record<string, unknown> | undefined;
    reply.header('x-amzn-requestid', ctx.requestId);
    sendOutput(reply, model, operation, output ?? {});
  }
}

function signingServiceOf(service: ServiceDefinition): string {
  return service.model.metadata.signingName ?? service.name;
}

function route(service: ServiceDefinition, operation: Operation): Route {
  const [path, literalQuery = ''] = operation.http!.requestUri.split('?', 2);
  const labels: string[] = [];
  let literal = 0;
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
      if (!label) {
        literal += part.length;
        return escapeRegExp(part);
      }
      labels.push(label[1]);
      return label[2] ? '(.+)' : '([^/]+)';
    })
    .join('');
  const query = [...new URLSearchParams(literalQuery)];
  return {
    service,
    operation,
    method: operation.http!.method,
    pattern: new RegExp(`^${source}/?$`),
    labels,
    query,
    weight: literal * 10 + query.length * 5 - labels.length,
  };
}

/** A scalar from a path label, query parameter or header, in the type its shape says (left as text when it is not, so validation names it). */
function scalar(shape: Shape, text: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const n = Number(text);
      return text.trim() === '' || Number.isNaN(n) ? text : n;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

function decodeInput(model: ServiceModel, shape: Shape, request: FastifyRequest, labels: Record<string, string>, body: Buffer): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const query = new URLSearchParams(request.url.split('?', 2)[1] ?? '');
  const members = Object.entries(shape.members ?? {});
  const payloadName = (shape as Shape & { payload?: string }).payload;
  const bound = new Set<string>();
  for (const [name, ref] of members) {
    const target = model.shapes[ref.shape];
    const wireName = ref.locationName ?? name;
    if (ref.location === 'uri') {
      if (labels[wireName] !== undefined) input[name] = scalar(target, labels[wireName]);
    } else if (ref.location === 'querystring') {
      if (target.type === 'map') continue;
      bound.add(wireName);
      if (target.type === 'list') {
        const all = query.getAll(wireName);
        if (all.length > 0) input[name] = all.map((v) => scalar(model.shapes[target.member!.shape], v));
      } else if (query.has(wireName)) input[name] = scalar(target, query.get(wireName)!);
    } else if (ref.location === 'header') {
      const value = request.headers[wireName.toLowerCase()];
      if (typeof value === 'string') input[name] = scalar(target, value);
    } else if (ref.location === 'headers') {
      const prefix = wireName.toLowerCase();
      const map: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) if (k.startsWith(prefix) && typeof v === 'string') map[k.slice(prefix.length)] = v;
      if (Object.keys(map).length > 0) input[name] = map;
    }
  }
  // A query-string map takes every parameter no other member claimed.
  for (const [name, ref] of members) {
    if (ref.location !== 'querystring' || model.shapes[ref.shape].type !== 'map') continue;
    const map: Record<string, string> = {};
    for (const [k, v] of query) if (!bound.has(k)) map[k] = v;
    if (Object.keys(map).length > 0) input[name] = map;
  }
  if (payloadName) {
    const target = model.shapes[shape.members![payloadName].shape];
    if (target.type === 'blob') {
      if (body.length > 0) input[payloadName] = body;
    } else if (target.type === 'string') {
      if (body.length > 0) input[payloadName] = body.toString('utf8');
    } else {
      const parsed = parseJson(body);
      if (parsed !== undefined) input[payloadName] = parsed;
    }
    return input;
  }
  const parsed = parseJson(body);
  if (parsed === undefined) return input;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  const byWire = new Map(members.filter(([, r]) => !r.location).map(([name, r]) => [(r as ShapeRef & { jsonName?: string }).jsonName ?? name, name]));
  for (const [k, v] of Object.entries(parsed)) {
    const name = byWire.get(k);
    // Members the body may not carry (a path label sent again in the body) are ignored, as AWS does.
    if (name !== undefined) input[name] = v;
    else if (!members.some(([n]) => n === k)) input[k] = v;
  }
  return input;
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsError('SerializationException', 'Could not parse the request body as JSON.');
  }
}

function headerValue(value: unknown): string {
  if (value instanceof Date) return value.toUTCString();
  return String(value);
}

function sendOutput(reply: FastifyReply, model: ServiceModel, operation: Operation, output: Record<string, unknown>): void {
  const shape = operation.output ? model.shapes[operation.output.shape] : undefined;
  let status = (operation.http as { responseCode?: number } | undefined)?.responseCode ?? 200;
  const body: Record<string, unknown> = {};
  let payload: { shape: Shape; value: unknown } | undefined;
  const payloadName = (shape as (Shape & { payload?: string }) | undefined)?.payload;
  for (const [name, value] of Object.entries(output)) {
    if (value === undefined) continue;
    const ref = shape?.members?.[name];
    if (!ref) continue;
    if (ref.location === 'header') reply.header((ref.locationName ?? name).toLowerCase(), headerValue(value));
    else if (ref.location === 'headers') for (const [k, v] of Object.entries(value as Record<string, string>)) reply.header(`${ref.locationName ?? ''}${k}`.toLowerCase(), v);
    else if (ref.location === 'statusCode') status = Number(value);
    else if (name === payloadName) payload = { shape: model.shapes[ref.shape], value };
    else body[(ref as ShapeRef & { jsonName?: string }).jsonName ?? name] = value;
  }
  reply.status(status);
  if (payload) {
    if (payload.shape.type === 'blob' || payload.shape.type === 'string') {
      const bytes = typeof payload.value === 'string' ? Buffer.from(payload.value, 'utf8') : Buffer.from(payload.value as Uint8Array);
      if (!reply.hasHeader('content-type')) reply.header('content-type', payload.shape.type === 'blob' ? 'application/octet-stream' : 'text/plain');
      reply.send(bytes);
    } else {
      reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(toWire(payload.value))));
    }
    return;
  }
  if (status === 204 || (payloadName && !payload)) {
    reply.send(Buffer.alloc(0));
    return;
  }
  reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(toWire(body))));
}

/**
 * An error as REST-JSON services write it: the code in `x-amzn-errortype`, the HTTP status the
 * model gives the error shape, and a body with the shape's own message member (`Message` for
 * Lambda's errors) and, for Lambda-style services, who was at fault (`Type`).
 */
export function sendRestJsonError(reply: FastifyReply, service: ServiceDefinition | undefined, err: AwsError, requestId: string): void {
  const shape = service?.model.shapes[err.code];
  const status = shape?.error?.httpStatusCode ?? err.statusCode;
  const messageMember = shape?.members?.Message ? 'Message' : 'message';
  const typed = shape?.members?.Type ? { Type: err.statusCode >= 500 ? 'Service' : 'User' } : {};
  reply
    .status(status)
    .header('content-type', 'application/json')
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', err.code)
    .send(Buffer.from(JSON.stringify(toWire({ ...typed, [messageMember]: err.message, ...err.fields }))));
}
