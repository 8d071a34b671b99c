/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, and the escapes
 * `${*}` `${?}` `${$}`). They are substituted only in `"Version": "2012-10-17"` documents, in the
 * resource part of a Resource ARN and in String/ARN condition values. A substituted value is
 * literal text: a `*` in a user name never acts as a wildcard.
 */
import type { RequestContext } from './context.js';
import { globParts, mergeText, type GlobPart } from './wildcard.js';

export interface VariableRef {
  /** As the policy wrote it, for reporting. */
  readonly key: string;
  readonly keyLower: string;
  readonly fallback?: string;
}

export type TemplatePart = GlobPart | VariableRef;

export interface TemplateOptions {
  /** Whether `*` and `?` outside variables are wildcards. */
  readonly wildcards: boolean;
  /** False for 2008-10-17 documents, where `${...}` is plain text. */
  readonly variables: boolean;
  /** Resource ARNs take variables only after the fifth colon; earlier `${...}` stays text. */
  readonly afterColons?: number;
}

const ESCAPES = new Set(['*', '?', '$']);
const VARIABLE_BODY = /^\s*([^,]*?)\s*(?:,\s*'([^']*)'\s*)?$/;

export function parseTemplate(raw: string, options: TemplateOptions): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let colons = 0;
  const flush = () => {
    if (options.wildcards) parts.push(...globParts(text));
    else if (text) parts.push(text);
    text = '';
  };
  for (let i = 0; i < raw.length; ) {
    if (options.variables && raw.startsWith('${', i) && colons >= (options.afterColons ?? 0)) {
      const end = raw.indexOf('}', i + 2);
      if (end > 0) {
        flush();
        const body = raw.slice(i + 2, end);
        parts.push(ESCAPES.has(body) ? body : variableRef(body));
        i = end + 1;
        continue;
      }
    }
    if (raw[i] === ':') colons++;
    text += raw[i];
    i++;
  }
  flush();
  return mergeText(parts);
}

function variableRef(body: string): VariableRef {
  const m = VARIABLE_BODY.exec(body);
  const key = m ? m[1] : body.trim();
  return m?.[2] === undefined ? { key, keyLower: key.toLowerCase() } : { key, keyLower: key.toLowerCase(), fallback: m[2] };
}

export function isVariable(part: TemplatePart): part is VariableRef {
  return typeof part === 'object';
}

export function hasVariables(parts: readonly TemplatePart[]): boolean {
  return parts.some(isVariable);
}

/** The template's text parts and wildcards, when it holds no variable (checked by the caller). */
export function staticParts(parts: readonly TemplatePart[]): GlobPart[] {
  return parts.filter((p): p is GlobPart => !isVariable(p));
}

/** The pattern with every variable replaced, or undefined when one has no value and no default. */
export function resolveTemplate(parts: readonly TemplatePart[], ctx: RequestContext): GlobPart[] | undefined {
  const out: GlobPart[] = [];
  for (const part of parts) {
    if (!isVariable(part)) {
      out.push(part);
      continue;
    }
    const value = variableValue(part, ctx);
    if (value === undefined) return undefined;
    out.push(value);
  }
  return mergeText(out);
}

/** For templates without wildcards: the resolved text, or undefined when a variable has no value. */
export function resolveText(parts: readonly TemplatePart[], ctx: RequestContext): string | undefined {
  let out = '';
  for (const part of parts) {
    if (!isVariable(part)) {
      out += part as string;
      continue;
    }
    const value = variableValue(part, ctx);
    if (value === undefined) return undefined;
    out += value;
  }
  return out;
}

function variableValue(ref: VariableRef, ctx: RequestContext): string | undefined {
  const value = ctx.get(ref.keyLower);
  // Only single-valued keys substitute; a list behaves as no value.
  if (value !== undefined && !Array.isArray(value)) return String(value);
  if (ref.fallback !== undefined) return ref.fallback;
  ctx.noteMissing(ref.keyLower, ref.key);
  return undefined;
}
