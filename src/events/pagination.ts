import { invalidNextToken } from './errors.js';

/** Opaque continuation tokens over a sorted list: the position after the last item returned. */
export function page<T>(items: T[], nextToken: string | undefined, size: number): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const m = /^p:(\d+)$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    start = m ? Number(m[1]) : NaN;
    if (!Number.isSafeInteger(start) || start > items.length) throw invalidNextToken();
  }
  const end = start + size;
  return { items: items.slice(start, end), nextToken: end < items.length ? Buffer.from(`p:${end}`, 'utf8').toString('base64url') : undefined };
}
