import { IAMClient } from '@aws-sdk/client-iam';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js';

export const ACCOUNT = '000000000000';

/** The real server on an ephemeral port, quiet, with its state in a temporary directory. */
export function iamServer(options: StartOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, inMemory: true, logLevel: 'silent', ...options });
}

/** One attempt per call: the SDK treats LimitExceededException as throttling and would retry it with back-off. */
export function iamClient(server: RunningServer): IAMClient {
  return new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** The AWS error a call failed with (code as the SDK names it, message, HTTP status); fails the test when it succeeded. */
export async function awsError(call: Promise<unknown>): Promise<{ name: string; code?: string; message: string; status?: number }> {
  try {
    await call;
  } catch (err) {
    const e = err as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, code: e.Code, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const allowAll = (action = 's3:*') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

export const trustService = (service = 'codebuild.amazonaws.com') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

/** Reverses IAM's RFC 3986 encoding of policy documents. */
export const decode = (document: string | undefined) => decodeURIComponent(document ?? '');
