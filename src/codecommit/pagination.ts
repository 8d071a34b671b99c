import { invalidContinuationToken } from './errors.js';

/** Opaque continuation tokens over a sorted list: the position after the last item returned. */
export function page<T>(items: T[], nextToken: string | undefined, size: number): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = /^\d+$/.test(Buffer.from(nextToken, 'base64url').toString('utf8'))
      ? Number(Buffer.from(nextToken, 'base64url').toString('utf8'))
      : NaN;
    if (!Number.isSafeInteger(decoded) || decoded > items.length) throw invalidContinuationToken();
    start = decoded;
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined,
  };
}
