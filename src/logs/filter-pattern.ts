import { invalidParameter } from './errors.js';

/**
 * CloudWatch Logs filter patterns (FilterAndPatternSyntax): terms and quoted phrases with `?`
 * (any of) and `-` (none of), a standalone `%regex%`, JSON patterns `{ $.x = ... }` with `&&`,
 * `||` and parentheses, and space-delimited patterns `[ip, user, ..., status = 4*]`.
 * A pattern is compiled once into a predicate over the event message.
 */
export type Matcher = (message: string) => boolean;

const invalid = () => invalidParameter('Invalid filter pattern');

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return compileJson(text);
  if (text.startsWith('[')) return compileDelimited(text);
  if (text.length >= 2 && text.startsWith('%') && text.endsWith('%') && !/\s/.test(text)) {
    const re = compileRegex(text.slice(1, -1));
    return (m) => re.test(m);
  }
  return compileTerms(text);
}

/** The regex subset AWS accepts between `%` signs; parentheses and multi-byte characters are refused. */
function compileRegex(body: string): RegExp {
  if (body === '' || /[()]/.test(body) || !/^[\x20-\x7e]*$/.test(body)) throw invalid();
  try {
    return new RegExp(body);
  } catch {
    throw invalid();
  }
}

// ---------------------------------------------------------------------------------------------
// Terms and phrases

interface Term {
  kind: 'all' | 'any' | 'none';
  text: string;
  quoted: boolean;
}

/** An unquoted term matches a whole term of the message: it may not continue into letters or digits. */
function termMatcher(t: Term): (message: string) => boolean {
  if (t.quoted) return (m) => m.includes(t.text);
  const escaped = t.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`);
  return (m) => re.test(m);
}

function compileTerms(text: string): Matcher {
  const terms: Term[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    let kind: Term['kind'] = 'all';
    if (text[i] === '?') {
      kind = 'any';
      i++;
    } else if (text[i] === '-') {
      kind = 'none';
      i++;
    }
    if (text[i] === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j++];
      }
      if (j >= text.length) throw invalid();
      terms.push({ kind, text: value, quoted: true });
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/\s/.test(text[j])) j++;
      const value = text.slice(i, j);
      if (value === '') throw invalid();
      terms.push({ kind, text: value, quoted: false });
      i = j;
    }
  }
  const all = terms.filter((t) => t.kind === 'all').map(termMatcher);
  const any = terms.filter((t) => t.kind === 'any').map(termMatcher);
  const none = terms.filter((t) => t.kind === 'none').map(termMatcher);
  return (m) => all.every((f) => f(m)) && (any.length === 0 || any.some((f) => f(m))) && !none.some((f) => f(m));
}

// ---------------------------------------------------------------------------------------------
// Comparisons shared by JSON and space-delimited patterns

type Op = '=' | '!=' | '<' | '>' | '<=' | '>=';

type Literal = { kind: 'string'; value: string; glob: boolean } | { kind: 'number'; value: number; text: string } | { kind: 'regex'; value: RegExp };

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

function compare(actual: unknown, op: Op, literal: Literal): boolean {
  if (literal.kind === 'regex') {
    if (typeof actual !== 'string' && typeof actual !== 'number') return false;
    const hit = literal.value.test(String(actual));
    return op === '=' ? hit : op === '!=' ? !hit : false;
  }
  if (literal.kind === 'number') {
    const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' && !Number.isNaN(Number(actual)) ? Number(actual) : undefined;
    if (n === undefined) {
      if (op === '=' || op === '!=') return typeof actual === 'string' && (op === '=') === (actual === literal.text);
      return false;
    }
    switch (op) {
      case '=':
        return n === literal.value;
      case '!=':
        return n !== literal.value;
      case '<':
        return n < literal.value;
      case '>':
        return n > literal.value;
      case '<=':
        return n <= literal.value;
      case '>=':
        return n >= literal.value;
    }
  }
  if (op !== '=' && op !== '!=') throw invalid();
  if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
  const text = String(actual);
  const hit = literal.glob ? globToRegExp(literal.value).test(text) : text === literal.value;
  return op === '=' ? hit : !hit;
}

function literalOf(raw: string, quoted: boolean): Literal {
  if (!quoted && raw.length >= 2 && raw.startsWith('%') && raw.endsWith('%')) return { kind: 'regex', value: compileRegex(raw.slice(1, -1)) };
  if (!quoted && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) return { kind: 'number', value: Number(raw), text: raw };
  return { kind: 'string', value: raw, glob: raw.includes('*') };
}

// ---------------------------------------------------------------------------------------------
// JSON patterns

type Token = { t: 'sym'; v: string } | { t: 'word'; v: string } | { t: 'str'; v: string };

function tokenizeJson(body: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (/\s/.test(c)) {
      i++;
    } else if (body.startsWith('&&', i) || body.startsWith('||', i) || body.startsWith('!=', i) || body.startsWith('<=', i) || body.startsWith('>=', i)) {
      out.push({ t: 'sym', v: body.slice(i, i + 2) });
      i += 2;
    } else if ('()=<>'.includes(c)) {
      out.push({ t: 'sym', v: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < body.length && body[j] !== '"') {
        if (body[j] === '\\' && j + 1 < body.length) j++;
        v += body[j++];
      }
      if (j >= body.length) throw invalid();
      out.push({ t: 'str', v });
      i = j + 1;
    } else {
      let j = i;
      // A selector may hold `[0]`; a value may be a %regex% with spaces-free operators.
      while (j < body.length && !/\s/.test(body[j]) && !'()=<>!&|'.includes(body[j])) j++;
      if (j === i) throw invalid();
      out.push({ t: 'word', v: body.slice(i, j) });
      i = j;
    }
  }
  return out;
}

type Step = { key: string } | { index: number } | { any: true };

function parseSelector(text: string): Step[] {
  if (!text.startsWith('$')) throw invalid();
  const steps: Step[] = [];
  let i = 1;
  while (i < text.length) {
    if (text[i] === '.') {
      let j = i + 1;
      while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
      const key = text.slice(i + 1, j);
      if (key === '') throw invalid();
      steps.push(key === '*' ? { any: true } : { key });
      i = j;
    } else if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) throw invalid();
      const inner = text.slice(i + 1, close);
      if (inner === '*') steps.push({ any: true });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else throw invalid();
      i = close + 1;
    } else {
      throw invalid();
    }
  }
  return steps;
}

/** Every value the selector reaches (wildcards reach several). */
function resolve(value: unknown, steps: Step[]): unknown[] {
  let current: unknown[] = [value];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if ('key' in step) {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, step.key)) {
          next.push((v as Record<string, unknown>)[step.key]);
        }
      } else if ('index' in step) {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else if (Array.isArray(v)) {
        next.push(...v);
      } else if (v !== null && typeof v === 'object') {
        next.push(...Object.values(v));
      }
    }
    current = next;
  }
  return current;
}

type JsonExpr = (doc: unknown) => boolean;

function compileJson(text: string): Matcher {
  if (!text.endsWith('}')) throw invalid();
  const tokens = tokenizeJson(text.slice(1, -1));
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];

  const parseOr = (): JsonExpr => {
    let left = parseAnd();
    while (peek()?.t === 'sym' && peek().v === '||') {
      take();
      const right = parseAnd();
      const l = left;
      left = (d) => l(d) || right(d);
    }
    return left;
  };
  const parseAnd = (): JsonExpr => {
    let left = parseUnary();
    while (peek()?.t === 'sym' && peek().v === '&&') {
      take();
      const right = parseUnary();
      const l = left;
      left = (d) => l(d) && right(d);
    }
    return left;
  };
  const parseUnary = (): JsonExpr => {
    const tok = take();
    if (!tok) throw invalid();
    if (tok.t === 'sym' && tok.v === '(') {
      const inner = parseOr();
      const close = take();
      if (!close || close.t !== 'sym' || close.v !== ')') throw invalid();
      return inner;
    }
    if (tok.t !== 'word') throw invalid();
    const steps = parseSelector(tok.v);
    const next = take();
    if (!next) throw invalid();
    if (next.t === 'word' && next.v.toUpperCase() === 'IS') {
      const what = take();
      if (!what || what.t !== 'word') throw invalid();
      const w = what.v.toUpperCase();
      if (w === 'TRUE' || w === 'FALSE') return (d) => resolve(d, steps).some((v) => v === (w === 'TRUE'));
      if (w === 'NULL') return (d) => resolve(d, steps).some((v) => v === null);
      throw invalid();
    }
    if (next.t === 'word' && next.v.toUpperCase() === 'NOT') {
      const what = take();
      if (!what || what.t !== 'word' || what.v.toUpperCase() !== 'EXISTS') throw invalid();
      return (d) => resolve(d, steps).length === 0;
    }
    if (next.t === 'word' && next.v.toUpperCase() === 'EXISTS') return (d) => resolve(d, steps).length > 0;
    if (next.t !== 'sym' || !['=', '!=', '<', '>', '<=', '>='].includes(next.v)) throw invalid();
    const op = next.v as Op;
    const valueTok = take();
    if (!valueTok || valueTok.t === 'sym') throw invalid();
    const literal = literalOf(valueTok.v, valueTok.t === 'str');
    if (literal.kind === 'string' && op !== '=' && op !== '!=') throw invalid();
    return (d) => resolve(d, steps).some((v) => compare(v, op, literal));
  };

  const expr = parseOr();
  if (pos !== tokens.length) throw invalid();
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return doc !== null && typeof doc === 'object' && expr(doc);
  };
}

// ---------------------------------------------------------------------------------------------
// Space-delimited patterns

type FieldTest = { kind: 'any' } | { kind: 'rest' } | { kind: 'test'; test: (value: string) => boolean };

function compileDelimited(text: string): Matcher {
  if (!text.endsWith(']')) throw invalid();
  const body = text.slice(1, -1);
  const entries = splitTopLevel(body, ',').map((s) => s.trim());
  if (entries.length === 0 || entries.some((e) => e === '')) throw invalid();
  const fields: FieldTest[] = entries.map((entry) => {
    if (entry === '...') return { kind: 'rest' };
    if (/^[A-Za-z_][\w-]*$/.test(entry)) return { kind: 'any' };
    return { kind: 'test', test: compileFieldCondition(entry) };
  });
  return (message) => matchFields(splitMessage(message), 0, fields, 0);
}

function compileFieldCondition(entry: string): (value: string) => boolean {
  const orParts = splitTopLevel(entry, '||');
  const ors = orParts.map((part) =>
    splitTopLevel(part, '&&').map((clause) => {
      const m = /^\s*([A-Za-z_][\w-]*)\s*(!=|<=|>=|=|<|>)\s*(.+?)\s*$/.exec(clause);
      if (!m) throw invalid();
      const raw = m[3];
      const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
      const literal = literalOf(quoted ? raw.slice(1, -1) : raw, quoted);
      const op = m[2] as Op;
      if (literal.kind === 'string' && op !== '=' && op !== '!=') throw invalid();
      return (value: string) => compare(value, op, literal);
    }),
  );
  return (value) => ors.some((ands) => ands.every((f) => f(value)));
}

function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '(' || c === '[')) depth++;
    else if (!quoted && (c === ')' || c === ']')) depth--;
    else if (!quoted && depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Fields of a message: separated by spaces, a "quoted" or [bracketed] run being one field. */
function splitMessage(message: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < message.length) {
    while (i < message.length && message[i] === ' ') i++;
    if (i >= message.length) break;
    const open = message[i];
    const close = open === '"' ? '"' : open === '[' ? ']' : undefined;
    if (close) {
      const end = message.indexOf(close, i + 1);
      if (end > 0) {
        fields.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < message.length && message[j] !== ' ') j++;
    fields.push(message.slice(i, j));
    i = j;
  }
  return fields;
}

function matchFields(values: string[], vi: number, fields: FieldTest[], fi: number): boolean {
  if (fi === fields.length) return vi === values.length;
  const f = fields[fi];
  if (f.kind === 'rest') {
    for (let skip = vi; skip <= values.length; skip++) if (matchFields(values, skip, fields, fi + 1)) return true;
    return false;
  }
  if (vi >= values.length) return false;
  if (f.kind === 'test' && !f.test(values[vi])) return false;
  return matchFields(values, vi + 1, fields, fi + 1);
}

/**
 * The named fields of a space-delimited pattern (`[ip, user, ..., status]`) as metric filters
 * and TestMetricFilter report them: `$ip` -> its value, by position (fields after `...` count from the end).
 */
export function extractDelimited(pattern: string, message: string): Record<string, string> {
  const text = pattern.trim();
  if (!text.startsWith('[') || !text.endsWith(']')) return {};
  const entries = splitTopLevel(text.slice(1, -1), ',').map((s) => s.trim());
  const values = splitMessage(message);
  const rest = entries.indexOf('...');
  const out: Record<string, string> = {};
  entries.forEach((entry, i) => {
    const name = /^([A-Za-z_][\w-]*)/.exec(entry)?.[1];
    if (!name || entry === '...') return;
    const at = rest >= 0 && i > rest ? values.length - (entries.length - i) : i;
    if (at >= 0 && at < values.length) out[`$${name}`] = values[at];
  });
  return out;
}

/** The first value a `$.path` selector reaches in a JSON message, if the message is JSON and has one. */
export function selectJson(message: string, selector: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    return undefined;
  }
  return resolve(doc, parseSelector(selector))[0];
}
