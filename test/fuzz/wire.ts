import { decode, encode } from 'cbor-x';
import { createHash } from 'node:crypto';
import type { Operation, ServiceModel, Shape, ShapeRef } from '../../src/core/models/model.js';
import { parseXml } from '../../src/core/protocol/rest-xml.js';
import { unverifiedSigV4 } from '../helpers/server.js';

/** One HTTP request as the fuzzer sends it. */
export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** AWS JSON 1.x: the whole input as the JSON body, the operation in X-Amz-Target. */
export function jsonRequest(model: ServiceModel, signingName: string, operation: string, input: unknown, rawBody?: string): WireRequest {
  return {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': `application/x-amz-json-${model.metadata.jsonVersion ?? '1.1'}`,
      'x-amz-target': `${model.metadata.targetPrefix}.${operation}`,
      authorization: unverifiedSigV4(signingName),
    },
    body: rawBody ?? JSON.stringify(input),
  };
}

/** Smithy RPC v2 CBOR: the operation in the path, the input as a CBOR body (whatever the generator made of it). */
export function rpcV2CborRequest(model: ServiceModel, signingName: string, operation: string, input: unknown, rawBody?: Buffer): WireRequest {
  return {
    method: 'POST',
    path: `/service/${model.metadata.targetPrefix}/operation/${operation}`,
    headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor', authorization: unverifiedSigV4(signingName) },
    body: rawBody ?? Buffer.from(encode(input ?? {})),
  };
}

/** AWS Query: flattened form members (`Tags.member.1.Key`), wrong types and all written as text. */
export function queryRequest(model: ServiceModel, signingName: string, operation: string, input: unknown, action = operation): WireRequest {
  const form = new URLSearchParams({ Action: action, Version: model.metadata.apiVersion });
  const op = model.operations[operation] as Operation | undefined;
  if (op?.input) writeQuery(model, model.shapes[op.input.shape], input, '', form);
  return {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: unverifiedSigV4(signingName) },
    body: form.toString(),
  };
}

function writeQuery(model: ServiceModel, shape: Shape, value: unknown, key: string, form: URLSearchParams): void {
  if (value === undefined) return;
  if (shape.type === 'structure' && isRecord(value)) {
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      writeQuery(model, model.shapes[ref.shape], value[name], key + (ref.locationName ?? name), form);
    }
    for (const extra of Object.keys(value).filter((k) => !shape.members?.[k])) form.append(key + extra, String(value[extra]));
    return;
  }
  const prefix = key ? `${key}.` : '';
  if (shape.type === 'list' && Array.isArray(value)) {
    if (value.length === 0) form.append(key, '');
    // A flattened list's items take its member's name in place of the list's, as botocore writes them.
    const flat = shape.member?.locationName ? key.replace(/[^.]*$/, shape.member.locationName) : key;
    const item = shape.flattened ? flat : `${prefix}${shape.member?.locationName ?? 'member'}`;
    value.forEach((v, i) => writeQuery(model, model.shapes[shape.member!.shape], v, `${item}.${i + 1}`, form));
    return;
  }
  if (shape.type === 'map' && isRecord(value)) {
    const base = shape.flattened ? key : `${prefix}entry`;
    Object.entries(value).forEach(([k, v], i) => {
      form.append(`${base}.${i + 1}.${shape.key?.locationName ?? 'key'}`, k);
      writeQuery(model, model.shapes[shape.value!.shape], v, `${base}.${i + 1}.${shape.value?.locationName ?? 'value'}`, form);
    });
    return;
  }
  form.append(key, scalarText(value));
}

/**
 * REST-XML from the operation's http trait: labels in the path, querystring and header members,
 * and the payload member as an XML document or raw bytes.
 */
export function restXmlRequest(model: ServiceModel, signingName: string, operation: string, input: Record<string, unknown>): WireRequest {
  return restRequest(model, signingName, operation, input, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, (body) => {
    if (!body.payload) return undefined;
    const { ref, shape, value } = body.payload;
    return shape.type === 'structure' ? xmlDocument(model, ref.locationName ?? ref.shape, shape, value) : bodyBytes(value);
  });
}

/** REST-JSON: the same http-trait routing, with the members that have no location as the JSON body (or the payload member). */
export function restJsonRequest(model: ServiceModel, signingName: string, operation: string, input: Record<string, unknown>): WireRequest {
  return restRequest(model, signingName, operation, input, { 'content-type': 'application/json' }, (body) => {
    if (body.payload) return body.payload.shape.type === 'structure' ? JSON.stringify(body.payload.value) : bodyBytes(body.payload.value);
    return JSON.stringify(body.members);
  });
}

interface RestBody {
  payload?: { ref: ShapeRef; shape: Shape; value: unknown };
  members: Record<string, unknown>;
}

function restRequest(
  model: ServiceModel,
  signingName: string,
  operation: string,
  input: Record<string, unknown>,
  extraHeaders: Record<string, string>,
  writeBody: (body: RestBody) => string | Buffer | undefined,
): WireRequest {
  const op = model.operations[operation];
  const shape = op.input ? model.shapes[op.input.shape] : { type: 'structure' as const, members: {} };
  const [pathTemplate, literalQuery = ''] = op.http!.requestUri.split('?');
  const query = new URLSearchParams(literalQuery);
  const headers: Record<string, string> = { authorization: unverifiedSigV4(signingName), ...extraHeaders };
  let path = pathTemplate;
  const rest: RestBody = { members: {} };
  const payload = (shape as Shape & { payload?: string }).payload;
  const jsonBody: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {}) as [string, ShapeRef][]) {
    const value = input[name];
    const memberShape = model.shapes[ref.shape];
    if (ref.location === 'uri') continue;
    if (value === undefined) continue;
    if (ref.location === 'querystring') {
      if (memberShape.type === 'map' && isRecord(value)) for (const [k, v] of Object.entries(value)) query.append(k, scalarText(v));
      else if (Array.isArray(value)) for (const v of value) query.append(ref.locationName!, scalarText(v));
      else query.append(ref.locationName!, scalarText(value));
    } else if (ref.location === 'header') {
      // fetch writes Content-Length itself and refuses to send a body that disagrees with one.
      if (ref.locationName!.toLowerCase() === 'content-length') continue;
      headers[ref.locationName!.toLowerCase()] = headerText(Array.isArray(value) ? value.map(scalarText).join(',') : scalarText(value));
    } else if (ref.location === 'headers') {
      if (isRecord(value)) for (const [k, v] of Object.entries(value)) headers[headerName(`${ref.locationName}${k}`)] = headerText(scalarText(v));
    } else if (name === payload) {
      rest.payload = { ref, shape: memberShape, value };
    } else {
      rest.members[ref.locationName ?? name] = value;
    }
  }
  // A label names its input member directly or, where the model renames it, by its locationName.
  const labelValue = (label: string) => {
    const member = Object.entries(shape.members ?? {}).find(([name, ref]) => ref.location === 'uri' && (ref.locationName ?? name) === label)?.[0] ?? label;
    return scalarText(input[member] ?? '');
  };
  path = path.replace(/\{([^}]+)\}/g, (_, label: string) => {
    const greedy = label.endsWith('+');
    const value = labelValue(label.replace(/\+$/, ''));
    return greedy ? value.split('/').map(encodeSegment).join('/') : encodeSegment(value);
  });
  const method = op.http!.method;
  const body = method === 'GET' || method === 'HEAD' ? undefined : writeBody(rest);
  if (body !== undefined && (op as { httpChecksum?: { requestChecksumRequired?: boolean } }).httpChecksum?.requestChecksumRequired) {
    headers['content-md5'] ??= createHash('md5').update(body).digest('base64');
  }
  const search = query.toString().replace(/=(?=&|$)/g, '');
  return { method, path: `${path}${search ? `?${search}` : ''}`, headers, body };
}

/** A URL carries UTF-8 only: a lone surrogate cannot be sent, so it goes as U+FFFD. */
function encodeSegment(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
}

function xmlDocument(model: ServiceModel, root: string, shape: Shape, value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${xmlContent(model, shape, value)}</${root}>`;
}

function xmlContent(model: ServiceModel, shape: Shape, value: unknown): string {
  if (shape.type === 'structure' && isRecord(value)) {
    let xml = '';
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const child = value[name];
      if (child === undefined) continue;
      const childShape = model.shapes[ref.shape];
      const tag = ref.locationName ?? name;
      if (childShape.type === 'list' && Array.isArray(child) && (childShape.flattened || ref.flattened)) {
        xml += child.map((item) => `<${tag}>${xmlContent(model, model.shapes[childShape.member!.shape], item)}</${tag}>`).join('');
      } else {
        xml += `<${tag}>${xmlContent(model, childShape, child)}</${tag}>`;
      }
    }
    return xml;
  }
  if (shape.type === 'list' && Array.isArray(value)) {
    const tag = shape.member?.locationName ?? 'member';
    return value.map((item) => `<${tag}>${xmlContent(model, model.shapes[shape.member!.shape], item)}</${tag}>`).join('');
  }
  // Written without escaping control characters: a hostile client sends them raw, or as references.
  return scalarText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\x00/g, '&#0;');
}

function bodyBytes(value: unknown): Buffer {
  return Buffer.from(typeof value === 'string' ? value : scalarText(value));
}

function scalarText(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  return String(value);
}

/** fetch refuses header values outside Latin-1 and with line breaks; a hostile value is sent as far as HTTP lets it. */
function headerText(text: string): string {
  return text.replace(/[^\x20-\x7e\x80-\xff\t]/g, '?').slice(0, 8000);
}

function headerName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9!#$%&'*+.^_`|~-]/g, '-');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Characters XML 1.0 forbids, raw: a response holding one is unreadable to every SDK. */
const NOT_XML = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const BAD_REFERENCE = /&#(x0*([0-8bBcCeEfF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])|0*([0-8]|1[124-9]|2[0-9]|3[01]));/;

/** Why a response body cannot be read as its protocol says, or undefined when it can. */
export function unreadable(protocol: 'json' | 'xml' | 'cbor', body: string, bytes: Buffer): string | undefined {
  if (body === '') return undefined;
  if (protocol === 'cbor') {
    try {
      decode(bytes);
      return undefined;
    } catch (err) {
      return `not CBOR: ${(err as Error).message}`;
    }
  }
  if (protocol === 'json') {
    try {
      JSON.parse(body);
      return undefined;
    } catch (err) {
      return `not JSON: ${(err as Error).message}`;
    }
  }
  if (NOT_XML.test(body)) return 'XML holding a character XML 1.0 forbids';
  if (BAD_REFERENCE.test(body)) return 'XML referencing a character XML 1.0 forbids';
  try {
    parseXml(body.replace(/^\s*<\?xml[^>]*\?>/, ''));
    return undefined;
  } catch (err) {
    return `not XML: ${(err as Error).message}`;
  }
}
