import { validationError } from './errors.js';

/**
 * IAM's Marker/MaxItems paging over a list in its final order: the marker is an opaque token for
 * the position after the last item returned; 100 items per page unless MaxItems says otherwise.
 */
export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

export const DEFAULT_MAX_ITEMS = 100;

export function paginate<T>(all: T[], marker: string | undefined, maxItems: number | undefined): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    const decoded = Buffer.from(marker, 'base64').toString('utf8');
    const m = /^iam-page:(\d+)$/.exec(decoded);
    // (unconfirmed) IAM's text for a marker it did not issue.
    if (!m || Number(m[1]) > all.length) throw validationError('Invalid Marker.');
    start = Number(m[1]);
  }
  const end = start + (maxItems ?? DEFAULT_MAX_ITEMS);
  const truncated = end < all.length;
  return {
    items: all.slice(start, end),
    IsTruncated: truncated,
    Marker: truncated ? Buffer.from(`iam-page:${end}`, 'utf8').toString('base64') : undefined,
  };
}
