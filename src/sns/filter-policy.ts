import { isIP } from 'node:net';
import { invalidParameter } from './errors.js';

/**
 * The subscription filter-policy language (SNS DG, subscription filter policies): keys AND'ed,
 * a key's list of conditions OR'ed, `$or` OR'ing whole sub-policies; exact strings, numbers,
 * booleans and null, `prefix`, `suffix`, `equals-ignore-case`, `anything-but`, `numeric` ranges,
 * `exists` and `cidr`. Attribute scope reads message attributes (flat keys); body scope reads the
 * JSON message (nested keys).
 */
export type FilterScope = 'MessageAttributes' | 'MessageBody';

type Scalar = string | number | boolean | null;
type Condition =
  | { kind: 'equals'; value: Scalar }
  | { kind: 'prefix' | 'suffix' | 'equals-ignore-case'; value: string }
  | { kind: 'anything-but'; values: Scalar[]; prefix?: string; suffix?: string }
  | { kind: 'numeric'; ranges: [string, number][] }
  | { kind: 'exists'; value: boolean }
  | { kind: 'cidr'; network: bigint; bits: number; family: 4 | 6 };

/** One way to match: every path must satisfy one of its conditions. */
type Alternative = { path: string[]; conditions: Condition[] }[];

export interface FilterPolicy {
  scope: FilterScope;
  alternatives: Alternative[];
}

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const NUMERIC_LIMIT = 1e9;
const fail = (reason: string) => invalidParameter(`FilterPolicy: ${reason}`);

export function parseFilterPolicy(text: string, scope: FilterScope): FilterPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw fail(`failed to parse JSON. ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw fail('Filter policy must be a JSON object');
  const alternatives = expand(doc, [], scope);
  let combinations = 0;
  for (const alternative of alternatives) {
    if (alternative.length > MAX_KEYS) throw fail(`Filter policy can not have more than ${MAX_KEYS} keys`);
    combinations += alternative.reduce((n, key) => n * key.conditions.length, 1);
  }
  if (combinations > MAX_COMBINATIONS) throw fail('Filter policy is too complex');
  return { scope, alternatives };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The policy as a list of alternatives, `$or` branches multiplied out. */
function expand(doc: Record<string, unknown>, path: string[], scope: FilterScope): Alternative[] {
  let alternatives: Alternative[] = [[]];
  const entries = Object.entries(doc);
  if (entries.length === 0) throw fail(path.length ? `Key ${path.join('.')} must not be an empty object` : 'Filter policy must not be empty');
  for (const [key, value] of entries) {
    let branches: Alternative[];
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) throw fail('$or must be an array of at least two objects');
      branches = value.flatMap((sub) => expand(sub as Record<string, unknown>, path, scope));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw fail('Empty arrays are not allowed');
      branches = [[{ path: [...path, key], conditions: value.map(condition) }]];
    } else if (isObject(value)) {
      if (scope === 'MessageAttributes') throw invalidParameter('Filter policy scope MessageAttributes does not support nested filter policy');
      branches = expand(value, [...path, key], scope);
    } else {
      throw fail(`"${key}" must be an object or an array`);
    }
    alternatives = alternatives.flatMap((a) => branches.map((b) => [...a, ...b]));
    if (alternatives.length > MAX_COMBINATIONS) throw fail('Filter policy is too complex');
  }
  return alternatives;
}

function scalar(value: unknown): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return checkedNumber(value);
  throw fail('Match value must be String, number, true, false, or null');
}

function checkedNumber(n: number): number {
  if (!Number.isFinite(n) || Math.abs(n) > NUMERIC_LIMIT) throw fail(`Numeric value must be between -${NUMERIC_LIMIT} and ${NUMERIC_LIMIT}`);
  return n;
}

function condition(raw: unknown): Condition {
  if (!isObject(raw)) return { kind: 'equals', value: scalar(raw) };
  const entries = Object.entries(raw);
  if (entries.length !== 1) throw fail('Only one key allowed in match expression');
  const [type, value] = entries[0];
  switch (type) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof value !== 'string') throw fail(`${type} match pattern must be a string`);
      return { kind: type, value };
    case 'exists':
      if (typeof value !== 'boolean') throw fail('exists match pattern must be either true or false.');
      return { kind: 'exists', value };
    case 'anything-but':
      return anythingBut(value);
    case 'numeric':
      return numeric(value);
    case 'cidr':
      return cidr(value);
    default:
      throw fail(`Unrecognized match type ${type}`);
  }
}

function anythingBut(value: unknown): Condition {
  if (Array.isArray(value)) {
    if (value.length === 0) throw fail('Empty arrays are not allowed');
    return { kind: 'anything-but', values: value.map(scalar) };
  }
  if (isObject(value)) {
    const [entry, ...rest] = Object.entries(value);
    if (!entry || rest.length > 0 || (entry[0] !== 'prefix' && entry[0] !== 'suffix')) throw fail('Unsupported anything-but pattern');
    if (typeof entry[1] !== 'string') throw fail(`${entry[0]} match pattern must be a string`);
    return { kind: 'anything-but', values: [], [entry[0]]: entry[1] };
  }
  return { kind: 'anything-but', values: [scalar(value)] };
}

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);

function numeric(value: unknown): Condition {
  if (!Array.isArray(value) || value.length === 0 || value.length % 2 !== 0 || value.length > 4) throw fail('Value of numeric must be an array.');
  const ranges: [string, number][] = [];
  for (let i = 0; i < value.length; i += 2) {
    const [op, n] = [value[i], value[i + 1]];
    if (typeof op !== 'string' || !(op === '=' || LOWER.has(op) || UPPER.has(op))) throw fail(`Unrecognized numeric range operator: ${String(op)}`);
    if (typeof n !== 'number') throw fail(`Value of ${op} must be numeric`);
    ranges.push([op, checkedNumber(n)]);
  }
  if (ranges.length === 2) {
    const [[a, low], [b, high]] = ranges;
    if (!LOWER.has(a) || !UPPER.has(b)) throw fail('Bad numeric range operator');
    if (low >= high) throw fail('Bottom must be less than top');
  }
  return { kind: 'numeric', ranges };
}

function cidr(value: unknown): Condition {
  const match = typeof value === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(value) : null;
  const family = match ? isIP(match[1]) : 0;
  const bits = match ? Number(match[2]) : -1;
  if (!match || family === 0 || bits > (family === 4 ? 32 : 128)) throw fail(`Malformed CIDR, one '/' required`);
  return { kind: 'cidr', network: ipValue(match[1])!, bits, family: family as 4 | 6 };
}

function ipValue(text: string): bigint | undefined {
  if (isIP(text) === 4) return text.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  if (isIP(text) !== 6) return undefined;
  const [head, tail = ''] = text.split('::');
  const parts = (s: string) => (s ? s.split(':') : []);
  const h = parts(head);
  const t = parts(tail);
  const groups = text.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** What a key of a message holds: its values (a String.Array or a JSON array gives several), or absence. */
type Found = { present: false } | { present: true; values: Scalar[] };

function test(c: Condition, found: Found): boolean {
  if (c.kind === 'exists') return c.value === found.present;
  if (!found.present) return false;
  const { values } = found;
  switch (c.kind) {
    case 'equals':
      return values.some((v) => v === c.value);
    case 'prefix':
      return values.some((v) => typeof v === 'string' && v.startsWith(c.value));
    case 'suffix':
      return values.some((v) => typeof v === 'string' && v.endsWith(c.value));
    case 'equals-ignore-case':
      return values.some((v) => typeof v === 'string' && v.toLowerCase() === c.value.toLowerCase());
    case 'anything-but':
      return values.every(
        (v) =>
          !c.values.includes(v) &&
          !(c.prefix !== undefined && typeof v === 'string' && v.startsWith(c.prefix)) &&
          !(c.suffix !== undefined && typeof v === 'string' && v.endsWith(c.suffix)),
      );
    case 'numeric':
      return values.some((v) => typeof v === 'number' && c.ranges.every(([op, n]) => compare(op, v, n)));
    case 'cidr':
      return values.some((v) => {
        if (typeof v !== 'string' || isIP(v) !== c.family) return false;
        const width = c.family === 4 ? 32 : 128;
        const shift = BigInt(width - c.bits);
        return ipValue(v)! >> shift === c.network >> shift;
      });
  }
}

function compare(op: string, v: number, n: number): boolean {
  switch (op) {
    case '=':
      return v === n;
    case '>':
      return v > n;
    case '>=':
      return v >= n;
    case '<':
      return v < n;
    default:
      return v <= n;
  }
}

export interface MessageAttribute {
  Type: string;
  Value: string;
}

/** A message attribute as the policy sees it: strings, numbers, and a String.Array's elements. */
function fromAttribute(attribute: MessageAttribute | undefined): Found {
  if (!attribute) return { present: false };
  if (attribute.Type.startsWith('Number')) {
    const n = Number(attribute.Value);
    return { present: true, values: Number.isNaN(n) ? [] : [n] };
  }
  if (attribute.Type === 'String.Array') {
    try {
      const parsed = JSON.parse(attribute.Value) as unknown;
      if (Array.isArray(parsed)) return { present: true, values: parsed.filter((v): v is Scalar => v === null || typeof v !== 'object') };
    } catch {
      // A String.Array that is not a JSON array matches as nothing.
    }
    return { present: true, values: [] };
  }
  if (attribute.Type.startsWith('String')) return { present: true, values: [attribute.Value] };
  return { present: true, values: [] };
}

/** A JSON path of the body: arrays on the way are walked element by element. */
function fromBody(body: unknown, path: string[]): Found {
  let nodes: unknown[] = [body];
  for (const key of path) {
    nodes = nodes.flatMap((n) => (Array.isArray(n) ? n : [n])).flatMap((n) => (isObject(n) && Object.hasOwn(n, key) ? [n[key]] : []));
  }
  if (nodes.length === 0) return { present: false };
  const leaves = nodes.flatMap((n) => (Array.isArray(n) ? n : [n])).filter((v): v is Scalar => v === null || typeof v !== 'object');
  return { present: true, values: leaves };
}

export function matchesPolicy(policy: FilterPolicy, message: string, attributes: Record<string, MessageAttribute>): boolean {
  let body: unknown;
  if (policy.scope === 'MessageBody') {
    try {
      body = JSON.parse(message);
    } catch {
      return false;
    }
    if (!isObject(body)) return false;
  }
  const lookup = (path: string[]): Found =>
    policy.scope === 'MessageBody' ? fromBody(body, path) : fromAttribute(Object.hasOwn(attributes, path[0]) ? attributes[path[0]] : undefined);
  return policy.alternatives.some((alternative) => alternative.every(({ path, conditions }) => conditions.some((c) => test(c, lookup(path)))));
}
