import { invalidNextToken } from './errors.js';

/** Opaque continuation tokens over a sorted list: the position after the last item returned. */
export function page<T>(items: T[], nextToken: string | undefined, size: number): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = Buffer.from(nextToken, 'base64url').toString('utf8');
    const match = /^offset:(\d+)$/.exec(decoded);
    if (!match || Number(match[1]) > items.length) throw invalidNextToken();
    start = Number(match[1]);
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(`offset:${end}`, 'utf8').toString('base64url') : undefined,
  };
}
