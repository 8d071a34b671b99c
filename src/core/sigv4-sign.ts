import { canonicalPath, canonicalQuery, hmacHex, sha256Hex, signingKey } from './sigv4-verify.js';

/** Credentials a client signs with. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestToSign {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | Buffer;
  region: string;
  service: string;
  credentials: SigningCredentials;
  now: Date;
}

/**
 * Client-side SigV4 (header form): the headers to send, Authorization included. It builds the
 * canonical request with the same functions the server verifies with, so both sides agree by
 * construction. S3 signs its path as sent and an explicit payload hash, like the SDKs.
 */
export function signRequest(req: RequestToSign): Record<string, string> {
  const amzDate = req.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const s3 = req.service === 's3';
  const payloadHash = sha256Hex(req.body);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v])),
    host: req.url.host,
    'x-amz-date': amzDate,
  };
  if (s3) headers['x-amz-content-sha256'] = payloadHash;
  if (req.credentials.sessionToken) headers['x-amz-security-token'] = req.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonical = [
    req.method.toUpperCase(),
    canonicalPath(req.url.pathname, s3),
    canonicalQuery(req.url.search.slice(1), false),
    names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`).join(''),
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/${req.region}/${req.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const signature = hmacHex(signingKey(req.credentials.secretAccessKey, date, req.region, req.service), stringToSign);
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${req.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}
