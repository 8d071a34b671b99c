import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { signRequest, type SigningCredentials } from '../src/core/sigv4-sign.js';

export interface SignedCall {
  method: 'GET' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  region: string;
  service: string;
  credentials: SigningCredentials;
  /** Read timeout: how long the socket may stay silent (the long poll's 80 s). */
  timeoutMs: number;
  /** Aborts the request (the agent stopping while a long poll is open). */
  signal?: AbortSignal;
}

export class HttpTimeoutError extends Error {}

/**
 * Sends one SigV4-signed request and resolves with the response stream once its headers are in.
 * node:http rather than fetch, because the signed Host header must be the one sent.
 */
export function signedRequest(call: SignedCall): Promise<IncomingMessage> {
  const body = call.body ?? '';
  const headers = signRequest({
    method: call.method,
    url: call.url,
    headers: { ...(call.headers ?? {}), ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
    body,
    region: call.region,
    service: call.service,
    credentials: call.credentials,
    now: new Date(),
  });
  const send = call.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    const req = send(call.url, { method: call.method, headers, signal: call.signal });
    req.setTimeout(call.timeoutMs, () => req.destroy(new HttpTimeoutError(`no answer from ${call.url.host} within ${call.timeoutMs} ms`)));
    req.on('response', (res) => {
      res.setTimeout(call.timeoutMs, () => res.destroy(new HttpTimeoutError(`response from ${call.url.host} stalled for ${call.timeoutMs} ms`)));
      done(res);
    });
    req.on('error', fail);
    req.end(body);
  });
}

export async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
