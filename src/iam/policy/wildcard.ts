/**
 * Glob patterns of the policy language (`*` any run of characters, `?` one character), compiled
 * once into the cheapest test that decides them. Evaluation runs these for every statement of
 * every policy on every request, so no regular expression is built on that path.
 */

/** A pattern as a list of pieces; text pieces are literal even when they hold `*` or `?`. */
export type GlobPart = string | typeof STAR | typeof ONE;
export const STAR = 0;
export const ONE = 1;

export type StringMatcher = (value: string) => boolean;

/**
 * `plain`: `*` spans anything (actions, StringLike values).
 * `arn`: a resource ARN, where a `*` stays inside its colon-separated segment unless it is the
 * segment's last character, in which case it may run past colons (IAM UG, Resource element).
 */
export type GlobMode = 'plain' | 'arn';

const matchAll: StringMatcher = () => true;

/** Splits raw policy text into literal text and wildcards. */
export function globParts(raw: string): GlobPart[] {
  const parts: GlobPart[] = [];
  let text = '';
  for (const ch of raw) {
    if (ch === '*' || ch === '?') {
      if (text) parts.push(text);
      text = '';
      parts.push(ch === '*' ? STAR : ONE);
    } else {
      text += ch;
    }
  }
  if (text) parts.push(text);
  return mergeText(parts);
}

/** Joins neighbouring text pieces, so a substituted variable reads as one literal run. */
export function mergeText<T>(parts: readonly (string | T)[]): (string | T)[] {
  const out: (string | T)[] = [];
  for (const p of parts) {
    const last = out.length - 1;
    if (typeof p === 'string' && last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + p;
    else if (p !== '') out.push(p);
  }
  return out;
}

export function hasWildcard(parts: readonly GlobPart[]): boolean {
  return parts.some((p) => typeof p !== 'string');
}

export function compileGlob(parts: readonly GlobPart[], mode: GlobMode): StringMatcher {
  if (parts.length === 0) return (v) => v === '';
  if (!hasWildcard(parts)) {
    const text = parts.join('');
    return (v) => v === text;
  }
  if (parts.length === 1 && parts[0] === STAR) return matchAll;
  const [first, second] = parts;
  // "prefix*": the commonest shape (`codecommit:Get*`, `arn:...:repo-*`); the star ends the pattern,
  // so in ARN mode too it may run past colons.
  if (parts.length === 2 && typeof first === 'string' && second === STAR) return (v) => v.startsWith(first);
  if (parts.length === 2 && first === STAR && typeof second === 'string' && (mode === 'plain' || second.startsWith(':'))) {
    return (v) => v.endsWith(second);
  }
  const re = cachedRegExp(regexSource(parts, mode));
  return (v) => re.test(v);
}

/** Decides a pattern that was only known at evaluation time (after variable substitution). */
export function matchGlob(parts: readonly GlobPart[], mode: GlobMode, value: string): boolean {
  if (!hasWildcard(parts)) return parts.join('') === value;
  return cachedRegExp(regexSource(parts, mode)).test(value);
}

function regexSource(parts: readonly GlobPart[], mode: GlobMode): string {
  let src = '^';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'string') src += escapeRegExp(p);
    else if (mode === 'plain') src += p === STAR ? '[\\s\\S]*' : '[\\s\\S]';
    else if (p === ONE) src += '[^:]';
    else src += endsSegment(parts, i) ? '[\\s\\S]*' : '[^:]*';
  }
  return src + '$';
}

function endsSegment(parts: readonly GlobPart[], starIndex: number): boolean {
  const next = parts[starIndex + 1];
  return next === undefined || (typeof next === 'string' && next.startsWith(':'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// Patterns that carry policy variables resolve to a new pattern per principal; a bounded cache keeps
// their compiled form so repeated requests by the same principal compile nothing.
const REGEXP_CACHE_LIMIT = 2000;
const regexpCache = new Map<string, RegExp>();

function cachedRegExp(source: string): RegExp {
  let re = regexpCache.get(source);
  if (!re) {
    if (regexpCache.size >= REGEXP_CACHE_LIMIT) regexpCache.delete(regexpCache.keys().next().value as string);
    re = new RegExp(source);
    regexpCache.set(source, re);
  }
  return re;
}
