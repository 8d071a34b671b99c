/**
 * Turns a validated policy document into matchers built once: actions (case-insensitive),
 * resources (case-sensitive, wildcards within ARN segments, variables where the version allows),
 * principals and conditions. Compiled policies are cached by document text, so evaluating the same
 * stored policy again parses nothing.
 */
import { compileCondition, type CompiledCondition } from './conditions.js';
import type { RequestContext } from './context.js';
import { compilePrincipals, type CompiledPrincipals } from './principals.js';
import { validatePolicy, type PolicyKind, type PolicyVersion, type RawStatement } from './validate.js';
import { hasVariables, parseTemplate, resolveTemplate, staticParts } from './variables.js';
import { compileGlob, globParts, hasWildcard, matchGlob, STAR, type GlobPart, type StringMatcher } from './wildcard.js';

export interface ParseOptions {
  /** Which rules apply: identity policies must not name a principal; resource and trust policies must. */
  readonly kind?: PolicyKind;
  /** Managed policies must be version 2012-10-17. */
  readonly requireVersion2012?: boolean;
}

export interface CompiledStatement {
  /** Position in the document's Statement list, from 0. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Lower-case service prefixes its Action names; undefined when it can match any service (`*`, NotAction). */
  readonly services?: ReadonlySet<string>;
  readonly principals?: { readonly negated: boolean; readonly names: CompiledPrincipals };
  readonly conditions: readonly CompiledCondition[];
  /** Keys the conditions read, for reporting which the request lacked. */
  readonly contextKeys: readonly { readonly key: string; readonly keyLower: string }[];
  /** Takes the request action in lower case. */
  matchesAction(actionLower: string): boolean;
  matchesResource(resource: string, ctx: RequestContext): boolean;
}

export interface CompiledPolicy {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly CompiledStatement[];
  /** Condition keys the policy references, as first written (GetContextKeysFor*Policy). */
  readonly conditionKeys: readonly string[];
  /** The statements that can match an action of this (lower-case) service, in document order. */
  statementsFor(serviceLower: string): readonly CompiledStatement[];
}

/** Throws PolicyParseError. A document passed as an object is cached by identity: do not mutate it afterwards. */
export function parsePolicy(document: string | object, options: ParseOptions = {}): CompiledPolicy {
  const kind = options.kind ?? 'identity';
  const slot = options.requireVersion2012 ? 1 : 0;
  if (typeof document === 'string') {
    const cache = textCaches[kind][slot];
    const hit = cache.get(document);
    if (hit) return hit;
    const compiled = compilePolicy(document, kind, slot === 1);
    if (cache.size >= TEXT_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(document, compiled);
    return compiled;
  }
  const cache = objectCaches[kind][slot];
  let compiled = cache.get(document);
  if (!compiled) {
    compiled = compilePolicy(document, kind, slot === 1);
    cache.set(document, compiled);
  }
  return compiled;
}

// Bounded so a stream of distinct documents cannot grow memory without end; the oldest entry goes first.
const TEXT_CACHE_LIMIT = 2000;
const kinds: readonly PolicyKind[] = ['identity', 'resource', 'trust'];
const textCaches = Object.fromEntries(kinds.map((k) => [k, [new Map(), new Map()]])) as Record<PolicyKind, [Map<string, CompiledPolicy>, Map<string, CompiledPolicy>]>;
const objectCaches = Object.fromEntries(kinds.map((k) => [k, [new WeakMap(), new WeakMap()]])) as Record<PolicyKind, [WeakMap<object, CompiledPolicy>, WeakMap<object, CompiledPolicy>]>;

function compilePolicy(document: string | object, kind: PolicyKind, requireVersion2012: boolean): CompiledPolicy {
  const validated = validatePolicy(document, { kind, requireVersion2012 });
  const variables = validated.version === '2012-10-17';
  const statements = validated.statements.map((raw, index) => compileStatement(raw, index, variables));
  const conditionKeys = new Map<string, string>();
  for (const s of statements) for (const c of s.conditions) if (!conditionKeys.has(c.keyLower)) conditionKeys.set(c.keyLower, c.key);
  const byService = new Map<string, readonly CompiledStatement[]>();
  return {
    kind,
    version: validated.version,
    id: validated.id,
    statements,
    conditionKeys: [...conditionKeys.values()],
    statementsFor(serviceLower) {
      let list = byService.get(serviceLower);
      if (!list) {
        list = statements.filter((s) => !s.services || s.services.has(serviceLower));
        byService.set(serviceLower, list);
      }
      return list;
    },
  };
}

function compileStatement(raw: RawStatement, index: number, variables: boolean): CompiledStatement {
  const actions = raw.Action ?? raw.NotAction ?? [];
  const actionMatch = anyOf(listOf(actions).map((a) => a.toLowerCase()));
  const services = raw.NotAction !== undefined ? undefined : actionServices(listOf(actions));
  const resourceMatch = raw.Resource ?? raw.NotResource;
  const matchesResource = resourceMatch === undefined ? () => true : resourceMatcher(listOf(resourceMatch), variables);
  const conditions: CompiledCondition[] = [];
  for (const [operator, block] of Object.entries(raw.Condition ?? {})) {
    for (const [key, values] of Object.entries(block)) conditions.push(compileCondition(operator, key, values, variables));
  }
  const keys = new Map<string, string>();
  for (const c of conditions) {
    keys.set(c.keyLower, c.key);
    for (const v of c.variables) keys.set(v.keyLower, v.key);
  }
  const principalElement = raw.Principal ?? raw.NotPrincipal;
  return {
    index,
    sid: raw.Sid,
    effect: raw.Effect,
    services,
    principals: principalElement === undefined ? undefined : { negated: raw.NotPrincipal !== undefined, names: compilePrincipals(principalElement) },
    conditions,
    contextKeys: [...keys].map(([keyLower, key]) => ({ key, keyLower })),
    matchesAction: raw.NotAction !== undefined ? (a) => !actionMatch(a) : actionMatch,
    matchesResource: raw.NotResource !== undefined ? (r, ctx) => !matchesResource(r, ctx) : matchesResource,
  };
}

function listOf(value: string | string[]): string[] {
  return typeof value === 'string' ? [value] : value;
}

/** Service prefixes are never wildcards (IAM rejects `Vendor x* is not valid`), so `*` alone means any service. */
function actionServices(actions: string[]): ReadonlySet<string> | undefined {
  if (actions.includes('*')) return undefined;
  return new Set(actions.map((a) => a.slice(0, a.indexOf(':')).toLowerCase()));
}

/** One matcher for a list of patterns: exact names by set lookup, the rest by compiled globs. */
function anyOf(patterns: string[]): StringMatcher {
  const exact = new Set<string>();
  const globs: StringMatcher[] = [];
  for (const pattern of patterns) {
    const parts = globParts(pattern);
    if (parts.length === 1 && parts[0] === STAR) return () => true;
    if (hasWildcard(parts)) globs.push(compileGlob(parts, 'plain'));
    else exact.add(pattern);
  }
  if (globs.length === 0) return (v) => exact.has(v);
  if (exact.size === 0 && globs.length === 1) return globs[0];
  return (v) => exact.has(v) || globs.some((g) => g(v));
}

type ResourceMatcher = (resource: string, ctx: RequestContext) => boolean;

function resourceMatcher(resources: string[], variables: boolean): ResourceMatcher {
  const fixed: GlobPart[][] = [];
  const dynamic: ResourceMatcher[] = [];
  for (const resource of resources) {
    const template = parseTemplate(resource, { wildcards: true, variables, afterColons: 5 });
    if (hasVariables(template)) {
      dynamic.push((r, ctx) => {
        const parts = resolveTemplate(template, ctx);
        return parts !== undefined && matchGlob(parts, 'arn', r);
      });
    } else {
      fixed.push(staticParts(template));
    }
  }
  const fixedMatch = fixedResourceMatcher(fixed);
  if (dynamic.length === 0) return fixedMatch;
  return (r, ctx) => fixedMatch(r, ctx) || dynamic.some((d) => d(r, ctx));
}

function fixedResourceMatcher(patterns: GlobPart[][]): ResourceMatcher {
  const exact = new Set<string>();
  const globs: StringMatcher[] = [];
  for (const parts of patterns) {
    if (parts.length === 1 && parts[0] === STAR) return () => true;
    if (hasWildcard(parts)) globs.push(compileGlob(parts, 'arn'));
    else exact.add(parts.join(''));
  }
  if (globs.length === 0) return (r) => exact.has(r);
  return (r) => exact.has(r) || globs.some((g) => g(r));
}
