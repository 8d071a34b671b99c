import { invalidNextToken } from './errors.js';

const DEFAULT_PAGE = 100;

/** One page of a listing by offset; the token is the offset in base64, which the model's `[\w/+=]+` pattern admits. */
export function page<T>(items: T[], nextToken: string | undefined, maxResults: number | undefined): { items: T[]; NextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = Buffer.from(nextToken, 'base64').toString('utf8');
    if (!/^\d+$/.test(decoded)) throw invalidNextToken();
    start = Number(decoded);
  }
  const size = maxResults ?? DEFAULT_PAGE;
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return { items: slice, ...(end < items.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}) };
}
