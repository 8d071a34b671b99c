import { invalidNextToken } from './errors.js';

/** Opaque page tokens: an offset into a stable ordering, tied to the operation that issued it. */
export function pageToken(kind: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: kind, o: offset })).toString('base64');
}

export function readPageToken(kind: string, token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { k?: unknown; o?: unknown };
    if (parsed.k === kind && Number.isInteger(parsed.o) && (parsed.o as number) >= 0) return parsed.o as number;
  } catch {
    // fall through: any token codesuite did not issue is invalid
  }
  throw invalidNextToken();
}

/** One page of a list and the token for the next, if any. */
export function page<T>(kind: string, items: T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const offset = readPageToken(kind, token);
  const slice = items.slice(offset, offset + size);
  return { items: slice, ...(offset + size < items.length ? { next: pageToken(kind, offset + size) } : {}) };
}
