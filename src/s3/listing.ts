import { invalidArgument } from './errors.js';

/** A listing entry: an item, or a common prefix that stands for every key under it. */
export type Entry<T> = { item: T; prefix?: undefined } | { prefix: string; item?: undefined };

export interface Window<T> {
  prefix: string;
  delimiter?: string;
  max: number;
  /** Where the previous page ended: a key, or a common prefix already returned (exclusive). */
  marker?: string;
  /** Resumes inside the marker's key (versions, uploads): the row the previous page ended on. */
  markerRow?: T;
}

/** Reads rows from a key on (inclusive) or after it; `after` resumes inside a key. */
export type Fetch<T> = (key: string, inclusive: boolean, after: T | undefined, limit: number) => T[];

// Sorts after every key that starts with a prefix it is appended to.
const PAST = '\u{10FFFF}';

/**
 * S3's listing walk over rows in key order: keys under `prefix`, those with `delimiter` after the
 * prefix rolled up into common prefixes (each counted once against `max`), resuming after
 * `marker`. It looks one entry ahead to know whether the listing is truncated.
 */
export function walk<T>(fetch: Fetch<T>, keyOf: (row: T) => string, window: Window<T>): { entries: Entry<T>[]; truncated: boolean } {
  const { prefix, delimiter, max, marker } = window;
  const entries: Entry<T>[] = [];
  let key = prefix;
  let inclusive = true;
  let after: T | undefined;
  if (marker !== undefined && marker >= prefix) {
    key = marker;
    inclusive = false;
    after = window.markerRow;
  }
  const batch = Math.min(Math.max(max + 1, 64), 1001);
  for (;;) {
    const rows = fetch(key, inclusive, after, batch);
    let requery = false;
    for (const row of rows) {
      const k = keyOf(row);
      if (!k.startsWith(prefix)) return { entries, truncated: false };
      const at = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
      if (at >= 0) {
        const common = k.slice(0, at + delimiter!.length);
        if (marker === undefined || common > marker) {
          if (entries.length >= max) return { entries, truncated: true };
          entries.push({ prefix: common });
        }
        key = common + PAST;
        inclusive = false;
        after = undefined;
        requery = true;
        break;
      }
      if (entries.length >= max) return { entries, truncated: true };
      entries.push({ item: row });
      key = k;
      inclusive = false;
      after = row;
    }
    if (!requery && rows.length < batch) return { entries, truncated: false };
  }
}

/** The name an entry resumes from: its key, or its common prefix. */
export const entryName = <T>(entry: Entry<T>, keyOf: (row: T) => string) => (entry.prefix !== undefined ? entry.prefix : keyOf(entry.item));

/** `max-keys` and its kin: at most 1000 per page, and never negative. */
export function pageSize(value: number | undefined, argument: string): number {
  if (value === undefined) return 1000;
  if (value < 0) throw invalidArgument(`Argument ${argument} must be an integer between 0 and 2147483647`, argument, value);
  return Math.min(value, 1000);
}

/** `encoding-type=url`: keys and prefixes percent-encoded, as clients that ask for it decode them. */
export function encoder(encodingType: string | undefined): (text: string | undefined) => string | undefined {
  if (encodingType !== 'url') return (text) => text;
  return (text) => (text === undefined ? undefined : encodeURIComponent(text).replace(/%2F/g, '/'));
}
