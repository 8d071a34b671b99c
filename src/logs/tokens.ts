import { invalidNextToken } from './errors.js';
import type { EventKey } from './store.js';

/**
 * GetLogEvents tokens look like AWS's: a direction, 56 digits, a suffix
 * (`f/3796...0704/s`). The digits are the position of an event in the stream's time order, so a
 * token keeps meaning the same place however many events arrive after it was handed out.
 */
export type Direction = 'f' | 'b';

export function positionDigits(key: EventKey): string {
  return String(key.timestamp).padStart(20, '0') + String(key.seq).padStart(36, '0');
}

export function streamToken(direction: Direction, key: EventKey): string {
  return `${direction}/${positionDigits(key)}/s`;
}

export function parseStreamToken(token: string): { direction: Direction; key: EventKey } {
  const m = /^([fb])\/(\d{20})(\d{36})\/s$/.exec(token);
  if (!m) throw invalidNextToken();
  const timestamp = Number(m[2]);
  const seq = Number(m[3]);
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(seq)) throw invalidNextToken();
  return { direction: m[1] as Direction, key: { timestamp, seq } };
}

/** FilterLogEvents' eventId: the same 56 digits, unique and stable for an event. */
export const eventId = positionDigits;

/** FilterLogEvents continues after the last event it scanned, whatever the filter let through. */
export function filterToken(key: EventKey): string {
  return Buffer.from(JSON.stringify([key.timestamp, key.seq]), 'utf8').toString('base64url');
}

export function parseFilterToken(token: string): EventKey {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      return { timestamp: value[0] as number, seq: value[1] as number };
    }
  } catch {
    // falls through to the error below
  }
  throw invalidNextToken();
}

/** DescribeLogGroups / DescribeLogStreams page by offset into their sorted listing. */
export function offsetToken(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

export function parseOffsetToken(token: string | undefined, total: number): number {
  if (token === undefined) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  const offset = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(offset) || offset > total) throw invalidNextToken();
  return offset;
}
