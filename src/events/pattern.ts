import { isIP } from 'node:net';
import { AwsError } from '../core/errors.js';
import { JsonParseError, JsonTokenizer, type TokenType } from './json-tokens.js';

/**
 * EventBridge event patterns, compiled the way AWS's Event Ruler compiles them (same checks in the
 * same order, same messages) and matched against events: exact values, prefix / suffix (also
 * equals-ignore-case), anything-but (values, prefix, suffix, equals-ignore-case, wildcard),
 * numeric ranges, exists, equals-ignore-case, wildcard, cidr and `$or`.
 *
 * Matching follows the documented semantics: every field of the pattern must match; a pattern
 * array matches when any value matches; an array in the event matches when any element does;
 * fields of objects inside an event array must all match within the same element.
 */
type Primitive = string | number | boolean | null;

interface LeafTest {
  /** `exists: true|false`; other tests need a value to be there. */
  exists?: boolean;
  test?: (value: Primitive) => boolean;
}

interface ObjectPattern {
  fields: { name: string; object?: ObjectPattern; leaf?: LeafTest[] }[];
  /** Each `$or`: alternatives evaluated against the same object. */
  ors: ObjectPattern[][];
}

export type CompiledPattern = (event: unknown) => boolean;

const RESERVED_IN_OR = new Set(['anything-but', 'exists', 'prefix', 'suffix', 'numeric', 'equals-ignore-case', 'wildcard', 'cidr', 'exactly']);
const isNumeric = (t: TokenType | undefined) => t === 'VALUE_NUMBER_INT' || t === 'VALUE_NUMBER_FLOAT';

export function invalidPattern(reason: string): AwsError {
  return new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
}

const cache = new Map<string, CompiledPattern>();

/** Compiles a pattern or throws InvalidEventPatternException with Event Ruler's reason. */
export function compilePattern(source: string): CompiledPattern {
  const cached = cache.get(source);
  if (cached) return cached;
  let root: ObjectPattern;
  try {
    const tok = new JsonTokenizer(source);
    if (tok.next() !== 'START_OBJECT') throw tok.error('Filter is not an object');
    root = parseObject(tok, false);
  } catch (err) {
    if (err instanceof JsonParseError) throw invalidPattern(err.message);
    throw err;
  }
  const compiled: CompiledPattern = (event) => matchObject(root, event);
  if (cache.size > 1000) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

function parseObject(tok: JsonTokenizer, inOr: boolean): ObjectPattern {
  const pattern: ObjectPattern = { fields: [], ors: [] };
  let present = false;
  while (tok.next() !== 'END_OBJECT') {
    present = true;
    const name = tok.currentName();
    if (name === '$or') {
      pattern.ors.push(parseOr(tok));
      continue;
    }
    if (inOr && RESERVED_IN_OR.has(name)) throw tok.error(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
    const t = tok.next();
    if (t === 'START_OBJECT') pattern.fields.push({ name, object: parseObject(tok, inOr) });
    else if (t === 'START_ARRAY') pattern.fields.push({ name, leaf: parseLeaf(tok) });
    else throw tok.error(`"${name}" must be an object or an array`);
  }
  if (!present) throw tok.error('Empty objects are not allowed');
  return pattern;
}

function parseOr(tok: JsonTokenizer): ObjectPattern[] {
  if (tok.next() !== 'START_ARRAY') throw tok.error('It must be an Array followed with $or.');
  const alternatives: ObjectPattern[] = [];
  let t: TokenType | undefined;
  while ((t = tok.next()) !== 'END_ARRAY') {
    if (t !== 'START_OBJECT') throw tok.error('Only JSON object is allowed in array of $or relationship.');
    alternatives.push(parseObject(tok, true));
  }
  if (alternatives.length < 2) throw tok.error('There must have at least 2 Objects in $or relationship.');
  return alternatives;
}

function parseLeaf(tok: JsonTokenizer): LeafTest[] {
  const tests: LeafTest[] = [];
  let t: TokenType | undefined;
  while ((t = tok.next()) !== 'END_ARRAY') {
    switch (t) {
      case 'START_OBJECT':
        tests.push(parseMatchExpression(tok));
        break;
      case 'VALUE_STRING': {
        const s = tok.getText();
        const ip = ipRange(s);
        tests.push({ test: ip ? (v) => typeof v === 'string' && inRange(v, ip) : (v) => v === s });
        break;
      }
      case 'VALUE_NUMBER_INT':
      case 'VALUE_NUMBER_FLOAT': {
        const n = Number(tok.getText());
        tests.push({ test: (v) => typeof v === 'number' && v === n });
        break;
      }
      case 'VALUE_NULL':
        tests.push({ test: (v) => v === null });
        break;
      case 'VALUE_TRUE':
      case 'VALUE_FALSE': {
        const b = t === 'VALUE_TRUE';
        tests.push({ test: (v) => v === b });
        break;
      }
      default:
        throw tok.error('Match value must be String, number, true, false, or null');
    }
  }
  if (tests.length === 0) throw tok.error('Empty arrays are not allowed');
  return tests;
}

const lower = (s: string) => s.toLowerCase();
const str = (v: Primitive): v is string => typeof v === 'string';

function expectEnd(tok: JsonTokenizer, message = 'Only one key allowed in match expression'): void {
  if (tok.next() !== 'END_OBJECT') throw tok.error(message);
}

function stringValue(tok: JsonTokenizer, message: string): string {
  if (tok.next() !== 'VALUE_STRING') throw tok.error(message);
  return tok.getText();
}

function parseMatchExpression(tok: JsonTokenizer): LeafTest {
  if (tok.next() !== 'FIELD_NAME') throw tok.error('Match expression name not found');
  const kind = tok.currentName();
  switch (kind) {
    case 'exactly': {
      const s = stringValue(tok, 'exact match pattern must be a string');
      expectEnd(tok);
      return { test: (v) => v === s };
    }
    case 'prefix':
    case 'suffix': {
      const t = tok.next();
      const ends = kind === 'prefix' ? (v: string, p: string) => v.startsWith(p) : (v: string, p: string) => v.endsWith(p);
      if (t === 'START_OBJECT') {
        const Kind = kind === 'prefix' ? 'Prefix' : 'Suffix';
        if (tok.next() !== 'FIELD_NAME') throw tok.error(`${Kind} expression name not found`);
        if (tok.currentName() !== 'equals-ignore-case') throw tok.error(`Unsupported ${kind} pattern: ${tok.currentName()}`);
        const p = lower(stringValue(tok, 'equals-ignore-case match pattern must be a string'));
        expectEnd(tok);
        expectEnd(tok);
        return { test: (v) => str(v) && ends(lower(v), p) };
      }
      if (t !== 'VALUE_STRING') throw tok.error(`${kind} match pattern must be a string`);
      const p = tok.getText();
      expectEnd(tok);
      return { test: (v) => str(v) && ends(v, p) };
    }
    case 'numeric': {
      if (tok.next() !== 'START_ARRAY') throw tok.error('Value of numeric must be an array.');
      const range = parseNumeric(tok);
      expectEnd(tok, 'Too many elements in numeric expression');
      return { test: (v) => typeof v === 'number' && range(v) };
    }
    case 'anything-but':
      return parseAnythingBut(tok);
    case 'exists': {
      const t = tok.next();
      if (t !== 'VALUE_TRUE' && t !== 'VALUE_FALSE') throw tok.error('exists match pattern must be either true or false.');
      expectEnd(tok);
      return { exists: t === 'VALUE_TRUE' };
    }
    case 'cidr': {
      const text = stringValue(tok, 'prefix match pattern must be a string');
      const range = cidrRange(text);
      if (!range) throw tok.error(`Nonsensical CIDR: ${text}`);
      expectEnd(tok);
      return { test: (v) => str(v) && inRange(v, range) };
    }
    case 'equals-ignore-case': {
      const s = lower(stringValue(tok, 'equals-ignore-case match pattern must be a string'));
      expectEnd(tok);
      return { test: (v) => str(v) && lower(v) === s };
    }
    case 'wildcard': {
      const re = wildcard(tok, stringValue(tok, 'wildcard match pattern must be a string'));
      expectEnd(tok);
      return { test: (v) => str(v) && re.test(v) };
    }
    default:
      throw tok.error(`Unrecognized match type ${kind}`);
  }
}

type SetKind = 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

function parseAnythingBut(tok: JsonTokenizer): LeafTest {
  let setKind: SetKind | undefined;
  let t = tok.next();
  if (t === 'START_OBJECT') {
    if (tok.next() !== 'FIELD_NAME') throw tok.error('Anything-But expression name not found');
    const op = tok.currentName();
    if (op !== 'equals-ignore-case' && op !== 'prefix' && op !== 'suffix' && op !== 'wildcard') throw tok.error(`Unsupported anything-but pattern: ${op}`);
    setKind = op;
    t = tok.next();
  }
  if (t !== 'START_ARRAY' && t !== 'VALUE_STRING' && !isNumeric(t)) {
    throw tok.error('Value of anything-but must be an array or single string/number value.');
  }
  let test: (v: Primitive) => boolean;
  if (setKind === undefined) {
    const strings = new Set<string>();
    const numbers = new Set<number>();
    const add = (token: TokenType | undefined, listed: boolean) => {
      if (token === 'VALUE_STRING') strings.add(tok.getText());
      else if (isNumeric(token)) numbers.add(Number(tok.getText()));
      else throw tok.error(listed ? 'Inside anything but list, start|null|boolean is not supported.' : 'Inside anything-but list, start|null|boolean is not supported.');
    };
    if (t === 'START_ARRAY') {
      let item: TokenType | undefined;
      while ((item = tok.next()) !== 'END_ARRAY') add(item, true);
      if ((strings.size > 0) === (numbers.size > 0)) {
        throw tok.error('Inside anything but list, either all values are number or string, mixed type is not supported');
      }
    } else {
      add(t, false);
    }
    test = numbers.size > 0 ? (v) => typeof v === 'number' && !numbers.has(v) : (v) => !(str(v) && strings.has(v));
  } else {
    const values: string[] = [];
    const take = (token: TokenType | undefined) => {
      if (token !== 'VALUE_STRING') {
        throw tok.error(
          setKind === 'equals-ignore-case'
            ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
            : setKind === 'wildcard'
              ? 'wildcard match pattern must be a string'
              : 'prefix/suffix match pattern must be a string',
        );
      }
      const text = tok.getText();
      if ((setKind === 'prefix' || setKind === 'suffix') && text === '') throw tok.error('Null prefix/suffix not allowed');
      values.push(text);
    };
    if (t === 'START_ARRAY') {
      let item: TokenType | undefined;
      while ((item = tok.next()) !== 'END_ARRAY') take(item);
    } else {
      take(t);
    }
    const kind = setKind;
    if (kind === 'equals-ignore-case') {
      const set = new Set(values.map(lower));
      test = (v) => !(str(v) && set.has(lower(v)));
    } else if (kind === 'prefix') {
      test = (v) => !(str(v) && values.some((p) => v.startsWith(p)));
    } else if (kind === 'suffix') {
      test = (v) => !(str(v) && values.some((s) => v.endsWith(s)));
    } else {
      const res = values.map((w) => wildcard(tok, w));
      test = (v) => !(str(v) && res.some((re) => re.test(v)));
    }
    expectEnd(tok, 'Too many elements in numeric expression');
  }
  expectEnd(tok, 'Too many elements in numeric expression');
  return { test };
}

function parseNumeric(tok: JsonTokenizer): (n: number) => boolean {
  if (tok.next() !== 'VALUE_STRING') throw tok.error(`Invalid member in numeric match: ${tok.getText()}`);
  const op = tok.getText();
  let t = tok.next();
  const numberOr = (message: string) => {
    if (!isNumeric(t)) throw tok.error(message);
    return Number(tok.getText());
  };
  switch (op) {
    case '=': {
      const v = numberOr('Value of equals must be numeric');
      if (tok.next() !== 'END_ARRAY') throw tok.error('Too many elements in numeric expression');
      return (n) => n === v;
    }
    case '>=':
    case '>': {
      const bottom = numberOr(`Value of ${op} must be numeric`);
      const above = op === '>' ? (n: number) => n > bottom : (n: number) => n >= bottom;
      t = tok.next();
      if (t === 'END_ARRAY') return above;
      if (t !== 'VALUE_STRING') throw tok.error(`Bad value in numeric range: ${tok.getText()}`);
      const op2 = tok.getText();
      if (op2 !== '<' && op2 !== '<=') throw tok.error(`Bad numeric range operator: ${op2}`);
      t = tok.next();
      const top = numberOr(`Value of ${op2} must be numeric`);
      if (tok.next() !== 'END_ARRAY') throw tok.error('Too many terms in numeric range expression');
      return op2 === '<' ? (n) => above(n) && n < top : (n) => above(n) && n <= top;
    }
    case '<=':
    case '<': {
      const top = numberOr(`Value of ${op} must be numeric`);
      if (tok.next() !== 'END_ARRAY') throw tok.error('Too many elements in numeric expression');
      return op === '<' ? (n) => n < top : (n) => n <= top;
    }
    default:
      throw tok.error(`Unrecognized numeric range operator: ${op}`);
  }
}

/** Event Ruler's wildcard: `*` is any run of characters, `\*` and `\\` are literal. */
function wildcard(tok: JsonTokenizer, value: string): RegExp {
  // Ruler reports positions within the quoted value's UTF-8 bytes.
  const bytes = Buffer.from(`"${value}"`, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x2a && bytes[i + 1] === 0x2a) throw tok.error(`Consecutive wildcard characters at pos ${i}`);
    if (bytes[i] === 0x5c) {
      if (bytes[i + 1] === 0x2a || bytes[i + 1] === 0x5c) i++;
      else throw tok.error(`Invalid escape character at pos ${i}`);
    }
  }
  let re = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') re += escapeRe(value[++i]);
    else if (c === '*') re += '.*';
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// IP addresses: exact IP values and `cidr` match by address, not by spelling.

interface Range {
  v6: boolean;
  low: bigint;
  high: bigint;
}

function ipToBigInt(ip: string): { v6: boolean; value: bigint } | undefined {
  const kind = isIP(ip);
  if (kind === 4) return { v6: false, value: ip.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n) };
  if (kind !== 6) return undefined;
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipToBigInt(v4[1])!.value;
    text = text.slice(0, v4.index) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return { v6: true, value: groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n) };
}

function ipRange(text: string): Range | undefined {
  const ip = ipToBigInt(text);
  return ip ? { v6: ip.v6, low: ip.value, high: ip.value } : undefined;
}

function cidrRange(text: string): Range | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return ipRange(text);
  const ip = ipToBigInt(m[1]);
  if (!ip) return undefined;
  const bits = ip.v6 ? 128 : 32;
  const prefix = Number(m[2]);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const low = (ip.value >> hostBits) << hostBits;
  return { v6: ip.v6, low, high: low + (1n << hostBits) - 1n };
}

function inRange(value: string, range: Range): boolean {
  const ip = ipToBigInt(value);
  return !!ip && ip.v6 === range.v6 && ip.value >= range.low && ip.value <= range.high;
}

// ---------------------------------------------------------------------------------------------
// Matching

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function matchObject(pattern: ObjectPattern, value: unknown): boolean {
  if (Array.isArray(value)) {
    const elements = value.flat(Infinity);
    if (elements.length === 0) return matchObject(pattern, undefined);
    return elements.some((e) => matchObject(pattern, e));
  }
  const record = isObject(value) ? value : undefined;
  for (const field of pattern.fields) {
    // Only the event's own fields: a pattern naming `constructor` must not find Object's.
    const child = record && Object.hasOwn(record, field.name) ? record[field.name] : undefined;
    const ok = field.leaf ? matchLeaf(field.leaf, child) : matchObject(field.object!, child);
    if (!ok) return false;
  }
  return pattern.ors.every((alternatives) => alternatives.some((alt) => matchObject(alt, value)));
}

function matchLeaf(tests: LeafTest[], value: unknown): boolean {
  const values = (Array.isArray(value) ? value.flat(Infinity) : value === undefined ? [] : [value]).filter(
    (v): v is Primitive => v === null || typeof v !== 'object',
  );
  if (values.length === 0) return tests.some((t) => t.exists === false);
  return tests.some((t) => (t.exists !== undefined ? t.exists : values.some((v) => t.test!(v))));
}
