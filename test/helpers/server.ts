import { CodeCommitClient } from '@aws-sdk/client-codecommit';
import { createServer } from 'node:net';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js';

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The real server on an ephemeral port, quiet, with its state in a temporary directory. */
export function testServer(options: StartOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, inMemory: true, logLevel: 'silent', ...options });
}

export function codecommit(server: RunningServer, region = 'us-east-1'): CodeCommitClient {
  return new CodeCommitClient({ endpoint: server.endpoint, region, credentials });
}

/** The AWS error a call failed with, or a test failure when it succeeded. */
export async function awsError(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** An Authorization header naming a service in its SigV4 scope, for servers that do not verify signatures. */
export function unverifiedSigV4(service: string, region = 'us-east-1'): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=abc`;
}

/** A TCP port free on 127.0.0.1 now, for a server a test starts as its own process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}
