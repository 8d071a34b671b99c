/**
 * Condition operators, compiled once per policy into closures. The rules follow the IAM User
 * Guide's condition-operator and multivalued-key pages:
 * - several keys under one operator, and several operators: AND; several values for a key: OR,
 *   and for a negated operator NOR (the request value must match none);
 * - a missing key: positive operators false, negated operators true, `...IfExists` true,
 *   `ForAllValues:` true, `ForAnyValue:` false, `Null` by its value;
 * - a multivalued (list) request value under an operator without a set prefix does not match;
 *   a single value under a set prefix acts as a one-element list.
 */
import type { ContextScalar, RequestContext } from './context.js';
import { cidrContains, normalizeBase64, parseCidr, parseDate, parseIp, parseNumber, type CidrBlock } from './values.js';
import { hasVariables, isVariable, parseTemplate, resolveTemplate, resolveText, staticParts, type TemplatePart, type VariableRef } from './variables.js';
import { compileGlob, matchGlob, mergeText, type GlobPart, type StringMatcher } from './wildcard.js';

type Family = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn' | 'Null';
type Ordering = 'equals' | 'lt' | 'le' | 'gt' | 'ge';
type Comparison = Ordering | 'equalsIgnoreCase' | 'like';

interface OperatorSpec {
  readonly family: Family;
  readonly comparison: Comparison;
  readonly negated: boolean;
}

const OPERATORS: Readonly<Record<string, OperatorSpec>> = {
  StringEquals: { family: 'String', comparison: 'equals', negated: false },
  StringNotEquals: { family: 'String', comparison: 'equals', negated: true },
  StringEqualsIgnoreCase: { family: 'String', comparison: 'equalsIgnoreCase', negated: false },
  StringNotEqualsIgnoreCase: { family: 'String', comparison: 'equalsIgnoreCase', negated: true },
  StringLike: { family: 'String', comparison: 'like', negated: false },
  StringNotLike: { family: 'String', comparison: 'like', negated: true },
  NumericEquals: { family: 'Numeric', comparison: 'equals', negated: false },
  NumericNotEquals: { family: 'Numeric', comparison: 'equals', negated: true },
  NumericLessThan: { family: 'Numeric', comparison: 'lt', negated: false },
  NumericLessThanEquals: { family: 'Numeric', comparison: 'le', negated: false },
  NumericGreaterThan: { family: 'Numeric', comparison: 'gt', negated: false },
  NumericGreaterThanEquals: { family: 'Numeric', comparison: 'ge', negated: false },
  DateEquals: { family: 'Date', comparison: 'equals', negated: false },
  DateNotEquals: { family: 'Date', comparison: 'equals', negated: true },
  DateLessThan: { family: 'Date', comparison: 'lt', negated: false },
  DateLessThanEquals: { family: 'Date', comparison: 'le', negated: false },
  DateGreaterThan: { family: 'Date', comparison: 'gt', negated: false },
  DateGreaterThanEquals: { family: 'Date', comparison: 'ge', negated: false },
  Bool: { family: 'Bool', comparison: 'equals', negated: false },
  BinaryEquals: { family: 'Binary', comparison: 'equals', negated: false },
  IpAddress: { family: 'Ip', comparison: 'equals', negated: false },
  NotIpAddress: { family: 'Ip', comparison: 'equals', negated: true },
  ArnEquals: { family: 'Arn', comparison: 'like', negated: false },
  ArnLike: { family: 'Arn', comparison: 'like', negated: false },
  ArnNotEquals: { family: 'Arn', comparison: 'like', negated: true },
  ArnNotLike: { family: 'Arn', comparison: 'like', negated: true },
  Null: { family: 'Null', comparison: 'equals', negated: false },
};

export type SetOperator = 'ForAnyValue' | 'ForAllValues';

export interface ConditionOperator extends OperatorSpec {
  readonly set?: SetOperator;
  readonly ifExists: boolean;
}

/** Reads `[ForAnyValue:|ForAllValues:]<Operator>[IfExists]`; undefined for an unknown operator. */
export function parseOperator(name: string): ConditionOperator | undefined {
  let rest = name;
  let set: SetOperator | undefined;
  for (const prefix of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
      break;
    }
  }
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (!Object.hasOwn(OPERATORS, rest)) return undefined;
  const spec = OPERATORS[rest];
  if (ifExists && spec.family === 'Null') return undefined;
  return { ...spec, set, ifExists };
}

export function isDateOperator(name: string): boolean {
  return parseOperator(name)?.family === 'Date';
}

export interface CompiledCondition {
  readonly operator: string;
  readonly key: string;
  readonly keyLower: string;
  /** Variables in the values that have no default: context the condition may need. */
  readonly variables: readonly VariableRef[];
  holds(ctx: RequestContext): boolean;
}

/** Condition values as policy text: IAM accepts strings, numbers and booleans, alone or in a list. */
export function conditionValueTexts(raw: unknown): string[] {
  return (Array.isArray(raw) ? raw : [raw]).map((v) => String(v));
}

/** A value test over one request value: true when it matches any policy value (before negation). */
type ValueTest = (value: ContextScalar, ctx: RequestContext) => boolean;

export function compileCondition(operatorName: string, key: string, rawValues: unknown, variablesEnabled: boolean): CompiledCondition {
  const operator = parseOperator(operatorName);
  if (!operator) throw new Error(`unknown condition operator ${operatorName}`);
  const values = conditionValueTexts(rawValues);
  const keyLower = key.toLowerCase();
  const substitutes = variablesEnabled && (operator.family === 'String' || operator.family === 'Arn');
  const templates = values.map((v) =>
    parseTemplate(v, { wildcards: operator.comparison === 'like', variables: substitutes }),
  );
  const variables = templates.flat().filter((p): p is VariableRef => isVariable(p) && p.fallback === undefined);
  const base = { operator: operatorName, key, keyLower, variables };

  if (operator.family === 'Null') {
    const lower = values.map((v) => v.toLowerCase());
    const whenMissing = lower.includes('true');
    const whenPresent = lower.includes('false');
    return { ...base, holds: (ctx) => (ctx.get(keyLower) === undefined ? whenMissing : whenPresent) };
  }

  const test = valueTest(operator.family, operator.comparison, values, templates);
  const { negated, set, ifExists } = operator;
  const one: ValueTest = negated ? (v, ctx) => !test(v, ctx) : test;
  return {
    ...base,
    holds(ctx) {
      const value = ctx.get(keyLower);
      if (value === undefined) {
        if (ifExists || set === 'ForAllValues') return true;
        return set === 'ForAnyValue' ? false : negated;
      }
      if (set === undefined) return Array.isArray(value) ? false : one(value, ctx);
      if (!Array.isArray(value)) return one(value, ctx);
      return set === 'ForAllValues' ? value.every((v) => one(v, ctx)) : value.some((v) => one(v, ctx));
    },
  };
}

function valueTest(family: Exclude<Family, 'Null'>, comparison: Comparison, values: string[], templates: TemplatePart[][]): ValueTest {
  switch (family) {
    case 'String':
      return stringTest(comparison, templates);
    case 'Arn':
      return arnTest(templates);
    case 'Numeric':
      return orderedTest(comparison as Ordering, values.map(parseNumber), parseNumber);
    case 'Date':
      return orderedTest(comparison as Ordering, values.map(parseDate), parseDate);
    case 'Bool': {
      const accepted = new Set(values.map((v) => v.toLowerCase()));
      return (v) => accepted.has(String(v).toLowerCase());
    }
    case 'Binary': {
      const accepted = new Set(values.map(normalizeBase64));
      return (v) => accepted.has(normalizeBase64(String(v)));
    }
    case 'Ip': {
      const blocks = values.map(parseCidr).filter((b): b is CidrBlock => b !== undefined);
      return (v) => {
        const ip = parseIp(String(v).trim());
        return ip !== undefined && blocks.some((b) => cidrContains(b, ip));
      };
    }
  }
}

function stringTest(comparison: Comparison, templates: TemplatePart[][]): ValueTest {
  const fixed = templates.filter((t) => !hasVariables(t));
  const dynamic = templates.filter(hasVariables);
  if (comparison === 'like') {
    const matchers = fixed.map((t) => compileGlob(staticParts(t), 'plain'));
    return (v, ctx) => {
      const s = String(v);
      if (matchers.some((m) => m(s))) return true;
      return dynamic.some((t) => {
        const parts = resolveTemplate(t, ctx);
        return parts !== undefined && matchGlob(parts, 'plain', s);
      });
    };
  }
  const fold = comparison === 'equalsIgnoreCase' ? (s: string) => s.toLowerCase() : (s: string) => s;
  const accepted = new Set(fixed.map((t) => fold(staticParts(t).join(''))));
  return (v, ctx) => {
    const s = fold(String(v));
    if (accepted.has(s)) return true;
    return dynamic.some((t) => {
      const text = resolveText(t, ctx);
      return text !== undefined && fold(text) === s;
    });
  };
}

function orderedTest(comparison: Ordering, accepted: number[], read: (v: ContextScalar) => number): ValueTest {
  const compare = ORDERINGS[comparison];
  return (v) => {
    const n = read(v);
    return accepted.some((p) => compare(n, p));
  };
}

const ORDERINGS: Record<Ordering, (request: number, policy: number) => boolean> = {
  equals: (a, b) => a === b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
};

/**
 * ArnEquals and ArnLike are the same test: the six colon-separated parts are compared one by one,
 * wildcards inside a part. A policy value with fewer parts lets its last part cover the rest.
 */
function arnTest(templates: TemplatePart[][]): ValueTest {
  const fixed = templates.filter((t) => !hasVariables(t)).map((t) => arnParts(staticParts(t)).map((p) => compileGlob(p, 'plain')));
  const dynamic = templates.filter(hasVariables);
  return (v, ctx) => {
    const s = String(v);
    if (fixed.some((matchers) => arnMatches(matchers, s))) return true;
    return dynamic.some((t) => {
      const parts = resolveTemplate(t, ctx);
      if (parts === undefined) return false;
      const pattern = arnParts(parts);
      const request = splitArn(s, pattern.length);
      return request !== undefined && pattern.every((p, i) => matchGlob(p, 'plain', request[i]));
    });
  };
}

function arnMatches(matchers: StringMatcher[], arn: string): boolean {
  const parts = splitArn(arn, matchers.length);
  return parts !== undefined && matchers.every((m, i) => m(parts[i]));
}

/** Splits at the first count-1 colons; undefined when the value has fewer parts. */
function splitArn(arn: string, count: number): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i < count; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}

const ARN_PARTS = 6;

/** A pattern split into at most six ARN parts at its literal colons. */
function arnParts(pattern: readonly GlobPart[]): GlobPart[][] {
  const out: GlobPart[][] = [[]];
  for (const piece of pattern) {
    if (typeof piece !== 'string') {
      out[out.length - 1].push(piece);
      continue;
    }
    const texts = piece.split(':');
    texts.forEach((text, i) => {
      if (i > 0) {
        if (out.length < ARN_PARTS) out.push([]);
        else out[out.length - 1].push(':');
      }
      if (text) out[out.length - 1].push(text);
    });
  }
  return out.map((p) => mergeText(p));
}
