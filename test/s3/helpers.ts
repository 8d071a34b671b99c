import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { lookup } from 'node:dns';
import { Agent } from 'node:http';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export { awsError, credentials, testServer } from '../helpers/server.js';

/** SDK v3 with its default checksum behaviour, path style. */
export function s3Client(server: RunningServer, config: S3ClientConfig = {}): S3Client {
  return new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials, ...config });
}

/**
 * Virtual-host style (`<bucket>.localhost:<port>`): the SDK puts the bucket in the host name; the
 * agent resolves every `*.localhost` to the loopback address, as systemd-resolved would.
 */
export function virtualHostClient(server: RunningServer): S3Client {
  const httpAgent = new Agent({
    lookup: (_host: string, options: object, callback: (...args: unknown[]) => void) => lookup('127.0.0.1', options, callback as never),
  } as never);
  return new S3Client({
    endpoint: `http://localhost:${server.port}`,
    region: 'us-east-1',
    forcePathStyle: false,
    credentials,
    requestHandler: { httpAgent },
  });
}

export async function text(body: { transformToString(): Promise<string> } | undefined): Promise<string> {
  return body ? body.transformToString() : '';
}

/** A raw HTTP request to the server, for wire details no SDK lets a test choose. */
export async function raw(
  server: RunningServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(`${server.endpoint}${path}`, { method, headers, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) });
  return { status: res.status, headers: res.headers, body: await res.text() };
}
