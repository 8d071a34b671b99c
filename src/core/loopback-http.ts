import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

/**
 * HTTP to endpoints users configure (API destinations, OAuth token endpoints, SNS HTTP/S
 * subscriptions), which codesuite only ever sends to this machine: an endpoint must name a loopback
 * address (127.0.0.0/8, ::1) or `localhost`, and a name is resolved and checked again when the
 * request is made, so no traffic leaves the machine.
 */
const LOOPBACK_NAMES = new Set(['localhost']);

export function isLoopbackAddress(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) === 6) return address === '::1' || /^::ffff:127\./i.test(address);
  return false;
}

export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Why codesuite would not call an endpoint, or undefined when it would. */
export function loopbackProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `${endpoint} is not an absolute http(s) URL.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https endpoints are supported.';
  const host = hostOf(url);
  if (!LOOPBACK_NAMES.has(host.toLowerCase()) && !isLoopbackAddress(host)) {
    return `codesuite only sends HTTP requests to this machine's loopback addresses (127.0.0.0/8, ::1, localhost); ${host} is not one of them.`;
  }
  return undefined;
}

export interface HttpResult {
  status: number;
  body: string;
}

export class HttpFailure extends Error {}

/** Sends one request to a loopback endpoint, resolving and checking the address it connects to. */
export async function sendLoopback(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs = 5000,
): Promise<HttpResult> {
  const host = hostOf(url);
  let address = host;
  if (!isIP(host)) {
    const all = await lookup(host, { all: true }).catch(() => []);
    const loopback = all.find((a) => isLoopbackAddress(a.address));
    if (!loopback || all.some((a) => !isLoopbackAddress(a.address))) throw new HttpFailure(`${host} does not resolve to loopback addresses only; not sent`);
    address = loopback.address;
  }
  if (!isLoopbackAddress(address)) throw new HttpFailure(`${host} is not a loopback address; not sent`);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpResult>((resolve, reject) => {
    const req = send(
      {
        method,
        host: address,
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        headers: { host: url.host, ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
        servername: isIP(host) ? undefined : host,
        timeout: timeoutMs,
        // Loopback test servers use self-signed certificates; the traffic never leaves the machine.
        rejectUnauthorized: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 64 * 1024) chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(new HttpFailure(err.message)));
      },
    );
    req.on('timeout', () => req.destroy(new HttpFailure(`no response within ${timeoutMs / 1000} seconds`)));
    req.on('error', (err) => reject(err instanceof HttpFailure ? err : new HttpFailure(err.message)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}
