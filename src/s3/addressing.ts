import { isIP } from 'node:net';
import { invalidUri } from './errors.js';

/** Which bucket and key a request addresses, path style (`/bucket/key`) or virtual-host style. */
export interface S3Address {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  /** The resource as S3 names it in errors: `/bucket/key`. */
  resource: string;
}

const hostname = (host: string) => host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();

/**
 * The bucket a Host header names: `<bucket>.localhost[:port]`, or `<bucket>.<server host>` when the
 * server is reached by a DNS name (an address cannot carry a bucket).
 */
export function virtualHostBucket(host: string | undefined, endpoint: string): string | undefined {
  if (!host) return undefined;
  const name = hostname(host);
  if (name.endsWith('.localhost')) return name.slice(0, -'.localhost'.length) || undefined;
  let server = '';
  try {
    server = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  if (!server || isIP(server.replace(/^\[|\]$/g, '')) || server === 'localhost') return undefined;
  return name.endsWith('.' + server) ? name.slice(0, -(server.length + 1)) : undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidUri();
  }
}

export function addressOf(rawUrl: string, host: string | undefined, endpoint: string): S3Address {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
  const virtual = virtualHostBucket(host, endpoint);
  let bucket: string | undefined;
  let key: string | undefined;
  if (virtual) {
    bucket = virtual;
    key = path.length > 1 ? decode(path.slice(1)) : undefined;
  } else {
    const rest = path.replace(/^\/+/, '');
    const slash = rest.indexOf('/');
    bucket = decode(slash === -1 ? rest : rest.slice(0, slash)) || undefined;
    key = slash === -1 || slash === rest.length - 1 ? undefined : decode(rest.slice(slash + 1));
  }
  const resource = bucket ? `/${bucket}${key !== undefined ? '/' + key : ''}` : '/';
  return { bucket, key, query, resource };
}
