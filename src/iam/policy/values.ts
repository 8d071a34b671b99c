/** Reading condition values as numbers, dates, addresses and bytes, for policy and request alike. */
import type { ContextScalar } from './context.js';

export function parseNumber(value: ContextScalar): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return NaN;
  return Number(value);
}

const ISO_8601 =
  /^([+-]?\d{1,9})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[Tt](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:[.,](\d+))?)?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Milliseconds since the epoch. Date operators accept W3C ISO 8601 and epoch seconds and compare
 * both on one scale; a bare run of digits is epoch seconds.
 */
export function parseDate(value: ContextScalar): number {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string') return NaN;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const m = ISO_8601.exec(text);
  if (!m) return NaN;
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
  const millis = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  date.setUTCHours(Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Math.floor(millis));
  const offsetMinutes = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11] ?? 0)) : 0;
  return date.getTime() - offsetMinutes * 60_000;
}

export interface IpAddress {
  readonly v6: boolean;
  readonly value: bigint;
}

export interface CidrBlock extends IpAddress {
  readonly prefix: number;
}

export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { v6: false, value: BigInt(v4) };
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address.
  if (v6 >> 32n === 0xffffn) return { v6: false, value: v6 & 0xffffffffn };
  return { v6: true, value: v6 };
}

/** A CIDR block; a bare address is a /32 (or /128) block. */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text.trim() : text.slice(0, slash).trim());
  if (!ip) return undefined;
  const width = ip.v6 ? 128 : 32;
  const prefix = slash < 0 ? width : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  return { ...ip, prefix };
}

export function cidrContains(block: CidrBlock, ip: IpAddress): boolean {
  if (block.v6 !== ip.v6) return false;
  const shift = BigInt((block.v6 ? 128 : 32) - block.prefix);
  return block.value >> shift === ip.value >> shift;
}

function parseIpv4(text: string): number | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet) || Number(octet) > 255) return undefined;
    value = value * 256 + Number(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let address = text;
  if (address.includes('.')) {
    const lastColon = address.lastIndexOf(':');
    const v4 = parseIpv4(address.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    address = `${address.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const gap = 8 - head.length - tail.length;
  if (halves.length === 1 ? gap !== 0 : gap < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? gap : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/** Base64 text re-encoded from its bytes, so two spellings of the same bytes compare equal. */
export function normalizeBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('base64');
}
