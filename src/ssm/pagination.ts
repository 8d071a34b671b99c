import { invalidNextToken } from './errors.js';

/**
 * Continuation tokens carry the sort key of the last item returned, so a page boundary stays put
 * when parameters are added or removed between calls.
 */
export function encodeToken(after: string | number): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

export function decodeToken<T extends string | number>(token: string | undefined, kind: 'string' | 'number'): T | undefined {
  if (token === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === kind) return decoded.after as T;
  } catch {
    // Falls through to the error below.
  }
  throw invalidNextToken();
}

/** Takes up to `size` items and the token for the rest. */
export function page<T>(items: T[], size: number, keyOf: (item: T) => string | number): { items: T[]; nextToken?: string } {
  if (items.length <= size) return { items };
  const taken = items.slice(0, size);
  return { items: taken, nextToken: encodeToken(keyOf(taken[taken.length - 1])) };
}
