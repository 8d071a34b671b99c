import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-side SigV4 verification: recompute the canonical request and signature a client made
 * and compare in constant time. Pure: the caller supplies the request's parts, the secret of the
 * access key the request names, and the time.
 */
export interface SignedRequest {
  method: string;
  /** Path as sent on the wire, still percent-encoded, without the query. */
  path: string;
  /** Query string as sent, without the leading `?`. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** SHA-256 hex of the body actually received, when the caller has it whole. */
  bodySha256?: string;
  /** S3 signs its path as sent; every other service encodes the normalised path once more. */
  s3: boolean;
}

export type VerifyFailure =
  | { kind: 'missing'; message: string }
  | { kind: 'malformed'; message: string }
  | { kind: 'expired'; message: string }
  | { kind: 'mismatch'; message: string }
  | { kind: 'payload'; message: string };

export interface SignatureInfo {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  sessionToken?: string;
  presigned: boolean;
  expiresSeconds?: number;
  payloadHash: string;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const SKEW_MS = 15 * 60 * 1000;

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Reads what a request claims about its signature, or says why it cannot be read. */
export function readSignature(req: SignedRequest): SignatureInfo | VerifyFailure {
  const params = new URLSearchParams(req.query);
  const auth = header(req.headers, 'authorization');
  if (auth) {
    if (!auth.startsWith('AWS4-HMAC-SHA256 ')) return { kind: 'malformed', message: `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${auth.split(' ')[0]}` };
    const fields = Object.fromEntries(
      auth
        .slice('AWS4-HMAC-SHA256 '.length)
        .split(',')
        .map((p) => p.trim().split('=', 2) as [string, string]),
    );
    const scope = (fields.Credential ?? '').split('/');
    if (scope.length !== 5 || scope[4] !== 'aws4_request' || !fields.SignedHeaders || !fields.Signature) {
      return { kind: 'malformed', message: 'Authorization header requires \'Credential\' parameter. Authorization header requires \'Signature\' parameter. Authorization header requires \'SignedHeaders\' parameter.' };
    }
    const amzDate = header(req.headers, 'x-amz-date') ?? toAmzDate(header(req.headers, 'date'));
    if (!amzDate) return { kind: 'malformed', message: 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.' };
    return {
      accessKeyId: scope[0],
      date: scope[1],
      region: scope[2],
      service: scope[3],
      signedHeaders: fields.SignedHeaders.split(';'),
      signature: fields.Signature,
      amzDate,
      sessionToken: header(req.headers, 'x-amz-security-token'),
      presigned: false,
      payloadHash: header(req.headers, 'x-amz-content-sha256') ?? req.bodySha256 ?? EMPTY_SHA256,
    };
  }
  if (params.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    const scope = (params.get('X-Amz-Credential') ?? '').split('/');
    const amzDate = params.get('X-Amz-Date');
    const expires = Number(params.get('X-Amz-Expires') ?? '');
    if (scope.length !== 5 || !amzDate || !params.get('X-Amz-Signature') || !params.get('X-Amz-SignedHeaders')) {
      return { kind: 'malformed', message: 'Query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.' };
    }
    if (!Number.isInteger(expires) || expires < 1 || expires > 604800) {
      return { kind: 'malformed', message: 'X-Amz-Expires must be between 1 and 604800 seconds' };
    }
    return {
      accessKeyId: scope[0],
      date: scope[1],
      region: scope[2],
      service: scope[3],
      signedHeaders: params.get('X-Amz-SignedHeaders')!.split(';'),
      signature: params.get('X-Amz-Signature')!,
      amzDate,
      sessionToken: params.get('X-Amz-Security-Token') ?? undefined,
      presigned: true,
      expiresSeconds: expires,
      payloadHash: header(req.headers, 'x-amz-content-sha256') ?? (req.s3 ? 'UNSIGNED-PAYLOAD' : (req.bodySha256 ?? EMPTY_SHA256)),
    };
  }
  return { kind: 'missing', message: 'Missing Authentication Token' };
}

function toAmzDate(httpDate: string | undefined): string | undefined {
  if (!httpDate) return undefined;
  const d = new Date(httpDate);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalPath(path: string, s3: boolean): string {
  if (s3) return path === '' ? '/' : path;
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const normalised = `/${segments.join('/')}${path.endsWith('/') && segments.length > 0 ? '/' : ''}`;
  return normalised.split('/').map((seg) => encode(seg)).join('/');
}

/**
 * A query component as the signer saw it before encoding. Escapes that are not UTF-8 no signer
 * writes: kept as sent, so the request fails as a signature mismatch instead of an exception.
 */
function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, '%20'));
  } catch {
    return raw;
  }
}

export function canonicalQuery(query: string, presigned: boolean): string {
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const key = decodeComponent(rawKey);
    if (presigned && key === 'X-Amz-Signature') continue;
    pairs.push([encode(key), encode(decodeComponent(rawValue))]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

const keyCache = new Map<string, Buffer>();

/** The signing key of a secret for one day, region and service (cached: it changes daily). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${secret}\n${date}\n${region}\n${service}`;
  let key = keyCache.get(id);
  if (!key) {
    key = [date, region, service, 'aws4_request'].reduce<Buffer>(
      (k, part) => createHmac('sha256', k).update(part).digest(),
      Buffer.from(`AWS4${secret}`),
    );
    if (keyCache.size > 1000) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks time, payload hash and signature of a request whose signature was read by readSignature. */
export function verifySignature(req: SignedRequest, info: SignatureInfo, secret: string, now: Date): VerifyFailure | undefined {
  const signedAt = parseAmzDate(info.amzDate);
  if (!signedAt) return { kind: 'malformed', message: `Invalid X-Amz-Date: ${info.amzDate}` };
  if (info.amzDate.slice(0, 8) !== info.date) {
    return { kind: 'malformed', message: 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP' };
  }
  if (info.presigned) {
    if (now.getTime() > signedAt.getTime() + info.expiresSeconds! * 1000) return { kind: 'expired', message: 'Request has expired' };
    if (signedAt.getTime() - now.getTime() > SKEW_MS) return { kind: 'expired', message: 'Request is not valid yet' };
  } else if (Math.abs(now.getTime() - signedAt.getTime()) > SKEW_MS) {
    const iso = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    return signedAt < now
      ? { kind: 'expired', message: `Signature expired: ${info.amzDate} is now earlier than ${iso(new Date(now.getTime() - SKEW_MS))} (${iso(now)} - 15 min.)` }
      : { kind: 'expired', message: `Signature not yet current: ${info.amzDate} is still later than ${iso(new Date(now.getTime() + SKEW_MS))} (${iso(now)} + 15 min.)` };
  }
  if (!info.signedHeaders.includes('host')) return { kind: 'malformed', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };
  if (/^[0-9a-f]{64}$/.test(info.payloadHash) && req.bodySha256 !== undefined && info.payloadHash !== req.bodySha256) {
    return { kind: 'payload', message: 'The provided x-amz-content-sha256 header does not match what was computed.' };
  }
  const canonicalHeaders = info.signedHeaders
    .map((name) => `${name}:${(header(req.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonical = [
    req.method.toUpperCase(),
    canonicalPath(req.path, req.s3),
    canonicalQuery(req.query, info.presigned),
    canonicalHeaders,
    info.signedHeaders.join(';'),
    info.payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', info.amzDate, `${info.date}/${info.region}/${info.service}/aws4_request`, sha256Hex(canonical)].join('\n');
  const expected = hmacHex(signingKey(secret, info.date, info.region, info.service), stringToSign);
  if (!constantTimeEqual(expected, info.signature)) {
    return {
      kind: 'mismatch',
      message: `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
    };
  }
  return undefined;
}
