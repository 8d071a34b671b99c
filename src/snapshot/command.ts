import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { CommandFailed } from '../cli/errors.js';
import { hmacHex, sha256Hex, signingKey } from '../core/sigv4-verify.js';
import { UsageError } from '../config.js';
import { SNAPSHOT_PATH } from './route.js';

const USAGE = 'usage: codesuite snapshot save FILE [--endpoint URL]';

/** `codesuite snapshot save FILE [--endpoint URL]`: asks a running server for its snapshot and writes it. */
export async function runSnapshot(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'save') throw new UsageError(action === undefined ? USAGE : `unknown snapshot action ${action}; ${USAGE}`);
  let file: string | undefined;
  let endpoint = env.AWS_ENDPOINT_URL || 'http://127.0.0.1:4577';
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split(/=(.*)/s, 2);
    if (flag === '--endpoint') {
      const value = inline ?? rest[++i];
      if (!value) throw new UsageError('option --endpoint needs a value (URL)');
      endpoint = value;
    } else if (flag.startsWith('-')) {
      throw new UsageError(`unknown option ${flag} (see codesuite help snapshot)`);
    } else if (file === undefined) {
      file = rest[i];
    } else {
      throw new UsageError(`one FILE only; ${USAGE}`);
    }
  }
  if (!file) throw new UsageError(USAGE);
  let url: URL;
  try {
    url = new URL(SNAPSHOT_PATH, endpoint);
  } catch {
    throw new UsageError(`--endpoint ${endpoint} is not a URL`);
  }
  const credentials = {
    accessKeyId: env.AWS_ACCESS_KEY_ID || env.CODESUITE_ROOT_ACCESS_KEY || 'test',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY || env.CODESUITE_ROOT_SECRET_KEY || 'test',
  };
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || env.CODESUITE_DEFAULT_REGION || 'us-east-1';

  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: signedHeaders(url, credentials, region, new Date()) });
  } catch (err) {
    throw new CommandFailed(`no codesuite server answers at ${url.origin} (${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}); start one, or name it with --endpoint`);
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    let message = text;
    try {
      const body = JSON.parse(text) as { __type?: string; message?: string };
      message = [body.__type, body.message].filter(Boolean).join(': ');
    } catch {
      // Not codesuite's JSON (another server on that port): its text says what it is.
    }
    throw new CommandFailed(`${url.origin} refused the snapshot: ${response.status} ${message}`.trim());
  }
  // Written beside its final name and renamed when whole: a cut transfer never leaves a lab that looks complete.
  const partial = `${file}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), createWriteStream(partial));
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw new CommandFailed(`the snapshot could not be written to ${file}: ${(err as Error).message}`);
  }
  process.stdout.write(`codesuite: snapshot of ${url.origin} saved to ${file}\n`);
  return 0;
}

/** SigV4 headers of a body-less request: what the server verifies under --enforce-iam. */
function signedHeaders(url: URL, credentials: { accessKeyId: string; secretAccessKey: string }, region: string, now: Date): Record<string, string> {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = sha256Hex('');
  const headers = { host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', url.pathname, '', ...names.map((n) => `${n}:${headers[n as keyof typeof headers]}`), '', names.join(';'), payloadHash].join('\n');
  const scope = `${date}/${region}/codesuite/aws4_request`;
  const signature = hmacHex(signingKey(credentials.secretAccessKey, date, region, 'codesuite'), ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n'));
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
