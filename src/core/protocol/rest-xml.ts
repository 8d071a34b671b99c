import type { Operation, ServiceModel, Shape, ShapeRef } from '../models/model.js';
import { escapeXml, NOT_XML_CHAR, shapeToXml } from './xml.js';

/**
 * REST-XML (S3) driven by the service model: which operation a method, path and query name, how
 * an input is read from the URI labels, query string, headers and an XML payload, and how an
 * output is written back as status, headers and an XML (or streamed) body. Services decide the
 * protocol's edge cases; this file only knows what the model says.
 */

// ---------------------------------------------------------------- XML documents

export interface XmlElement {
  /** Local name, without a namespace prefix. */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const char = Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '\0';
      // A reference must name a character XML allows, as the document's own text must.
      if (NOT_XML_CHAR.test(char)) throw new XmlSyntaxError(`bad character reference ${whole}`);
      return char;
    }
    const value = Object.hasOwn(ENTITIES, ref) ? ENTITIES[ref] : undefined;
    if (value === undefined) throw new XmlSyntaxError(`unknown entity ${whole}`);
    return value;
  });
}

const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

/** A small, strict parser for the request documents REST-XML clients send (no DTDs). */
export function parseXml(source: string): XmlElement {
  if (NOT_XML_CHAR.test(source)) throw new XmlSyntaxError('a character XML does not allow');
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at offset ${i}`);
  };
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt === -1 ? source.length : lt);
    if (stack.length > 0) stack[stack.length - 1].text += decodeEntities(text);
    else if (text.trim() !== '') fail('text outside the root element');
    if (lt === -1) break;
    i = lt;
    if (source.startsWith('<?', i)) {
      const end = source.indexOf('?>', i);
      if (end === -1) fail('unterminated processing instruction');
      i = end + 2;
    } else if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i);
      if (end === -1) fail('unterminated comment');
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i);
      if (end === -1 || stack.length === 0) fail('misplaced CDATA');
      stack[stack.length - 1].text += source.slice(i + 9, end);
      i = end + 3;
    } else if (source.startsWith('<!', i)) {
      fail('document type declarations are not accepted');
    } else if (source.startsWith('</', i)) {
      const end = source.indexOf('>', i);
      if (end === -1) fail('unterminated end tag');
      const name = localName(source.slice(i + 2, end).trim());
      const open = stack.pop();
      if (!open || open.name !== name) fail(`mismatched end tag </${name}>`);
      i = end + 1;
    } else {
      const end = findTagEnd(source, i);
      if (end === -1) fail('unterminated start tag');
      const selfClosing = source[end - 1] === '/';
      const body = source.slice(i + 1, selfClosing ? end - 1 : end);
      const m = /^([^\s/>]+)/.exec(body);
      if (!m) fail('element without a name');
      const element: XmlElement = { name: localName(m![1]), attributes: readAttributes(body.slice(m![1].length), fail), children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      else if (root) fail('a second root element');
      else root = element;
      if (!selfClosing) stack.push(element);
      i = end + 1;
    }
  }
  if (!root || stack.length > 0) throw new XmlSyntaxError('incomplete document');
  return root;
}

function findTagEnd(source: string, from: number): number {
  let quote = '';
  for (let j = from + 1; j < source.length; j++) {
    const c = source[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
  }
  return -1;
}

function readAttributes(text: string, fail: (what: string) => never): Record<string, string> {
  // Attribute names are the client's: without a prototype none is swallowed or inherited.
  const attributes: Record<string, string> = Object.create(null);
  const re = /\s*([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/y;
  let rest = text.trim();
  while (rest) {
    re.lastIndex = 0;
    const m = re.exec(rest);
    if (!m) fail('malformed attribute');
    attributes[m![1]] = decodeEntities(m![3] ?? m![4]);
    rest = rest.slice(m![0].length).trim();
  }
  return attributes;
}

/** The model's value for an XML element: structures, lists and maps by their members' element names. */
export function xmlToShape(model: ServiceModel, shape: Shape, element: XmlElement): unknown {
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const memberShape = model.shapes[ref.shape];
        const tag = ref.locationName ?? name;
        if ((ref as ShapeRef & { xmlAttribute?: boolean }).xmlAttribute) {
          const attr = Object.entries(element.attributes).find(([k]) => localName(k) === localName(tag));
          if (attr) out[name] = attr[1];
          continue;
        }
        if (memberShape.type === 'list' && (memberShape.flattened || ref.flattened)) {
          const items = element.children.filter((c) => c.name === tag);
          if (items.length > 0) out[name] = items.map((c) => xmlToShape(model, model.shapes[memberShape.member!.shape], c));
          continue;
        }
        const child = element.children.find((c) => c.name === tag);
        if (child) out[name] = xmlToShape(model, memberShape, child);
      }
      return out;
    }
    case 'list': {
      const itemTag = shape.member!.locationName ?? 'member';
      return element.children.filter((c) => c.name === itemTag).map((c) => xmlToShape(model, model.shapes[shape.member!.shape], c));
    }
    case 'map': {
      const entries: [string, unknown][] = [];
      const keyTag = shape.key!.locationName ?? 'key';
      const valueTag = shape.value!.locationName ?? 'value';
      for (const entry of element.children.filter((c) => c.name === 'entry')) {
        const k = entry.children.find((c) => c.name === keyTag);
        const v = entry.children.find((c) => c.name === valueTag);
        if (k && v) entries.push([k.text, xmlToShape(model, model.shapes[shape.value!.shape], v)]);
      }
      return Object.fromEntries(entries);
    }
    default:
      return scalarFromText(shape, element.text, element.name);
  }
}

/** A text value of a scalar shape; a text that does not parse as its type is a RestValueError. */
export class RestValueError extends Error {
  constructor(
    readonly location: string,
    readonly raw: string,
  ) {
    super(`Value '${raw}' at '${location}' is not valid`);
  }
}

function scalarFromText(shape: Shape, raw: string, location: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      const text = raw.trim();
      if (!/^[+-]?\d+$/.test(text)) throw new RestValueError(location, raw);
      const n = Number(text);
      if (!Number.isSafeInteger(n) || (shape.type === 'integer' && (n > 2147483647 || n < -2147483648))) throw new RestValueError(location, raw);
      return n;
    }
    case 'float':
    case 'double': {
      const n = Number(raw.trim());
      if (raw.trim() === '' || Number.isNaN(n)) throw new RestValueError(location, raw);
      return n;
    }
    case 'boolean': {
      const text = raw.trim().toLowerCase();
      if (text !== 'true' && text !== 'false') throw new RestValueError(location, raw);
      return text === 'true';
    }
    case 'timestamp': {
      const text = raw.trim();
      const date = new Date(/^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : text);
      if (Number.isNaN(date.getTime())) throw new RestValueError(location, raw);
      return date;
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

// ---------------------------------------------------------------- routing

interface RouteTemplate {
  operation: string;
  method: string;
  /** Path labels in order: `Bucket`, `Key+`; empty for `/`. */
  labels: string[];
  /** Query keys the URI names literally (`?uploads`, `?list-type=2`), with a value when it names one. */
  literals: [key: string, value: string | undefined][];
  /** Required members read from the query string or headers: they tell otherwise equal URIs apart. */
  requiredQuery: string[];
  requiredHeaders: string[];
}

export interface RestRequestShape {
  method: string;
  /** Which labels the request's path fills, e.g. ['Bucket'] or ['Bucket', 'Key']. */
  labels: string[];
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

export class RestRouter {
  private readonly templates: RouteTemplate[];

  /**
   * `skip` drops operations that share a URI with a newer one (S3's `GetBucketLifecycle`...) and
   * those the service does not route by label (URIs with literal path segments).
   */
  constructor(model: ServiceModel, skip: Iterable<string> = []) {
    const skipped = new Set(skip);
    this.templates = Object.values(model.operations)
      .filter((op) => op.http && !skipped.has(op.name))
      .map((op) => template(model, op));
  }

  /**
   * The operation a request names. A subresource (`?attributes`, `?tagging`) or the `x-id` query
   * the SDKs add names its operation even when a required member is missing, which validation then
   * reports: such a request is never served as the plain operation on the same path (GetObject).
   * Among operations named equally, the most specific one whose required members are all present wins.
   */
  match(request: RestRequestShape): string | undefined {
    const labelNames = request.labels.join('/');
    const xId = request.query.get('x-id');
    let best: { operation: string; rank: number[] } | undefined;
    for (const t of this.templates) {
      if (t.method !== request.method) continue;
      if (t.labels.map((l) => l.replace(/\+$/, '')).join('/') !== labelNames) continue;
      if (!t.literals.every(([k, v]) => request.query.has(k) && (v === undefined || request.query.get(k) === v))) continue;
      const required = t.requiredQuery.every((k) => request.query.has(k)) && t.requiredHeaders.every((h) => request.headers[h] !== undefined);
      const named = t.literals.length + (xId === t.operation ? 1 : 0);
      if (!required && named === 0) continue;
      const rank = [xId === t.operation ? 1 : 0, t.literals.length, required ? 1 : 0, t.requiredQuery.length + t.requiredHeaders.length];
      if (!best || isGreater(rank, best.rank)) best = { operation: t.operation, rank };
    }
    return best?.operation;
  }
}

function isGreater(a: number[], b: number[]): boolean {
  const i = a.findIndex((n, k) => n !== b[k]);
  return i >= 0 && a[i] > b[i];
}

function template(model: ServiceModel, op: Operation): RouteTemplate {
  const [path, query = ''] = op.http!.requestUri.split('?');
  const labels = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const literals: [string, string | undefined][] = query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [pair, undefined] : [pair.slice(0, eq), pair.slice(eq + 1)];
    });
  const input = op.input ? model.shapes[op.input.shape] : undefined;
  const requiredQuery: string[] = [];
  const requiredHeaders: string[] = [];
  for (const name of input?.required ?? []) {
    const ref = input!.members![name];
    if (ref.location === 'querystring' && !literals.some(([k]) => k === ref.locationName)) requiredQuery.push(ref.locationName!);
    if (ref.location === 'header') requiredHeaders.push(ref.locationName!.toLowerCase());
  }
  return { operation: op.name, method: op.http!.method, labels, literals, requiredQuery, requiredHeaders };
}

// ---------------------------------------------------------------- input

export interface RestInputSource {
  /** URI label values by label name without `+`: { Bucket, Key }. */
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * An operation's input from the URI, query string and headers. Payload members are left to the
 * caller (an XML document, a string, or a stream). A header timestamp that does not parse is
 * dropped, as HTTP says of dates it cannot read; any other unparseable value is a RestValueError.
 */
export function readRestInput(model: ServiceModel, operation: string, source: RestInputSource): Record<string, unknown> {
  const op = model.operations[operation];
  const input: Record<string, unknown> = {};
  if (!op?.input) return input;
  const shape = model.shapes[op.input.shape];
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const memberShape = model.shapes[ref.shape];
    switch (ref.location) {
      case 'uri': {
        const label = ref.locationName ?? name;
        if (source.labels[label] !== undefined) input[name] = source.labels[label];
        break;
      }
      case 'querystring': {
        const key = ref.locationName ?? name;
        if (memberShape.type === 'list') {
          const values = source.query.getAll(key);
          if (values.length > 0) input[name] = values.map((v) => scalarFromText(model.shapes[memberShape.member!.shape], v, key));
        } else if (memberShape.type === 'map') {
          input[name] = Object.fromEntries(source.query);
        } else if (source.query.has(key)) {
          input[name] = scalarFromText(memberShape, source.query.get(key)!, key);
        }
        break;
      }
      case 'header': {
        const header = (ref.locationName ?? name).toLowerCase();
        const raw = source.headers[header];
        if (raw === undefined) break;
        const text = Array.isArray(raw) ? raw.join(', ') : raw;
        if (memberShape.type === 'list') {
          input[name] = text.split(',').map((v) => scalarFromText(model.shapes[memberShape.member!.shape], v.trim(), header));
        } else if (memberShape.type === 'timestamp') {
          const date = new Date(text);
          if (!Number.isNaN(date.getTime())) input[name] = date;
        } else {
          input[name] = scalarFromText(memberShape, text, header);
        }
        break;
      }
      case 'headers': {
        const prefix = (ref.locationName ?? '').toLowerCase();
        const entries: [string, string][] = [];
        for (const [header, raw] of Object.entries(source.headers)) {
          if (raw !== undefined && header.startsWith(prefix) && header.length > prefix.length) {
            entries.push([header.slice(prefix.length), Array.isArray(raw) ? raw.join(',') : raw]);
          }
        }
        // fromEntries keeps a header such as `x-amz-meta-__proto__` as a member like any other.
        if (entries.length > 0) input[name] = Object.fromEntries(entries);
        break;
      }
    }
  }
  return input;
}

/** The payload member of an operation's input or output, and its shape. */
export function payloadOf(model: ServiceModel, shapeName: string | undefined): { member: string; ref: ShapeRef; shape: Shape } | undefined {
  if (!shapeName) return undefined;
  const shape = model.shapes[shapeName] as Shape & { payload?: string };
  if (!shape.payload) return undefined;
  const ref = shape.members![shape.payload];
  return { member: shape.payload, ref, shape: model.shapes[ref.shape] };
}

// ---------------------------------------------------------------- output

export interface RestOutput {
  status?: number;
  headers: Record<string, string>;
  /** A serialised document, the raw payload, or nothing. */
  body?: string | Buffer;
  /** A streaming blob payload, passed through as it is. */
  stream?: unknown;
}

function headerValue(shape: Shape, value: unknown): string {
  if (shape.type === 'timestamp') {
    const date = value instanceof Date ? value : new Date(value as string | number);
    if (shape.timestampFormat === 'iso8601') return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (shape.timestampFormat === 'unixTimestamp') return String(Math.floor(date.getTime() / 1000));
    return date.toUTCString();
  }
  if (shape.type === 'list') return (value as unknown[]).map(String).join(', ');
  return String(value);
}

/**
 * An output as status, headers and body: header members become headers, a structure payload (or
 * the members left, when there is none) becomes an XML document whose root element is `root`.
 */
export function writeRestOutput(
  model: ServiceModel,
  operation: string,
  output: Record<string, unknown> | undefined,
  root: string,
  namespace = model.metadata.xmlNamespace,
): RestOutput {
  const op = model.operations[operation];
  const result: RestOutput = { headers: {} };
  if (!op?.output || !output) return result;
  const shape = model.shapes[op.output.shape];
  const bodyMembers: Record<string, ShapeRef> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = output[name];
    if (ref.location === 'header') {
      if (value !== undefined && value !== null) result.headers[(ref.locationName ?? name).toLowerCase()] = headerValue(model.shapes[ref.shape], value);
    } else if (ref.location === 'headers') {
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, string>)) result.headers[`${(ref.locationName ?? '').toLowerCase()}${k}`] = v;
    } else if (ref.location === 'statusCode') {
      if (typeof value === 'number') result.status = value;
    } else if (!ref.location) {
      bodyMembers[name] = ref;
    }
  }
  const payload = payloadOf(model, op.output.shape);
  if (payload) {
    const value = output[payload.member];
    if (value === undefined || value === null) return result;
    if (payload.shape.type === 'structure') {
      result.body = xmlDocument(payload.ref.locationName ?? root, namespace, shapeToXml(model, payload.shape, value));
    } else if (payload.shape.type === 'blob' && typeof value === 'object' && !Buffer.isBuffer(value)) {
      result.stream = value;
    } else {
      result.body = Buffer.isBuffer(value) ? value : String(value);
    }
    return result;
  }
  if (Object.keys(bodyMembers).length > 0) {
    result.body = xmlDocument(root, namespace, shapeToXml(model, { type: 'structure', members: bodyMembers }, output));
  }
  return result;
}

export function xmlDocument(root: string, namespace: string | undefined, inner: string): string {
  const ns = namespace ? ` xmlns="${escapeXml(namespace)}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${inner}</${root}>`;
}

/** REST-XML's error document: `<Error>` with Code, Message, the error's own fields, then the ids. */
export function restXmlError(code: string, message: string, fields: Record<string, unknown>, requestId: string, hostId: string): string {
  let inner = `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>`;
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && v !== null) inner += `<${k}>${escapeXml(v instanceof Date ? v.toISOString() : String(v))}</${k}>`;
  }
  inner += `<RequestId>${escapeXml(requestId)}</RequestId><HostId>${escapeXml(hostId)}</HostId>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${inner}</Error>`;
}
