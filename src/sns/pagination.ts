import { invalidParameter } from './errors.js';

/**
 * SNS pages by an opaque token: here the base64 of the last key shown. A token that does not
 * decode is `Invalid parameter: NextToken`, as AWS answers.
 */
export function pageOf<T>(token: string | undefined, size: number, fetch: (after: string, limit: number) => T[], keyOf: (item: T) => string): { items: T[]; next?: string } {
  let after = '';
  if (token) {
    after = Buffer.from(token, 'base64url').toString('utf8');
    if (!after.startsWith('arn:')) throw invalidParameter('NextToken');
  }
  const rows = fetch(after, size + 1);
  const items = rows.slice(0, size);
  return { items, ...(rows.length > size ? { next: Buffer.from(keyOf(items[items.length - 1]), 'utf8').toString('base64url') } : {}) };
}
