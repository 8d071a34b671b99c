import { invalidInput } from './errors.js';

/** One page of a listing; the token is the offset of the next page, opaque to clients. */
export function page<T>(items: T[], nextToken: string | undefined, pageSize = 100): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken) {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8').replace(/^cb:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0 || !Buffer.from(nextToken, 'base64url').toString('utf8').startsWith('cb:')) {
      throw invalidInput('Invalid next token');
    }
    start = decoded;
  }
  const slice = items.slice(start, start + pageSize);
  const next = start + pageSize < items.length ? Buffer.from(`cb:${start + pageSize}`).toString('base64url') : undefined;
  return { items: slice, ...(next ? { nextToken: next } : {}) };
}
