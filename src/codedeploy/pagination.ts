import { invalidNextToken } from './errors.js';

/** One page of a listing; the token is the offset of the next page, opaque to clients. */
export function page<T>(items: T[], nextToken: string | undefined, pageSize = 100): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken) {
    const text = Buffer.from(nextToken, 'base64url').toString('utf8');
    const m = /^cd:(\d+)$/.exec(text);
    if (!m) throw invalidNextToken();
    start = Number(m[1]);
  }
  const next = start + pageSize < items.length ? Buffer.from(`cd:${start + pageSize}`).toString('base64url') : undefined;
  return { items: items.slice(start, start + pageSize), ...(next ? { nextToken: next } : {}) };
}
