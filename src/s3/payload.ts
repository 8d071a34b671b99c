import { createHash } from 'node:crypto';
import { BlobTooLarge, type BlobStore, type PendingBlob } from './blob-store.js';
import {
  CHECKSUM_ALGORITHMS,
  UNSUPPORTED_ALGORITHMS,
  createHasher,
  headerOf,
  isChecksumAlgorithm,
  isWellFormed,
  type ChecksumAlgorithm,
  type Hasher,
} from './checksums.js';
import {
  badChecksum,
  badDigestMd5,
  contentSha256Mismatch,
  entityTooLarge,
  incompleteBody,
  invalidDigest,
  invalidRequest,
  malformedTrailer,
  notImplemented,
} from './errors.js';

/** Where a streaming operation's bytes are in its input: not a model member, so validation skips it. */
export const PAYLOAD = Symbol('payload');

/** The body of a PutObject or UploadPart, decoded (aws-chunked undone) and not yet read. */
export interface Payload {
  stream: AsyncIterable<Buffer>;
  /** The size the client declared: Content-Length, or x-amz-decoded-content-length for aws-chunked. */
  length?: number;
  /** Trailing headers of an aws-chunked body; complete once `stream` has ended. */
  trailers: Map<string, string>;
  /** The trailer the client announced in `x-amz-trailer`. */
  trailer?: string;
  /**
   * x-amz-checksum-* headers of the request by algorithm name: they describe the body whether or
   * not the operation's input names them (PutBucketTagging's does not).
   */
  checksums?: Record<string, string>;
  /** The request's Content-MD5, likewise. */
  md5?: string;
  /** Hex SHA-256 of the payload the request was signed with (x-amz-content-sha256), to verify. */
  sha256?: string;
}

export type WithPayload<I> = I & { [PAYLOAD]?: Payload };

/** A body given directly (internal callers, tests) as a payload. */
export function payloadOf(body: Buffer | string | AsyncIterable<Buffer>): Payload {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const bytes = Buffer.from(body);
    return { stream: (async function* () { if (bytes.length > 0) yield bytes; })(), length: bytes.length, trailers: new Map() };
  }
  return { stream: body, trailers: new Map() };
}

/** What the request says the bytes must hash to. */
export interface Integrity {
  md5?: string;
  checksum?: { algorithm: ChecksumAlgorithm; value?: string; trailer?: string };
  sha256?: string;
}

type ChecksumInput = Record<string, unknown> & { ContentMD5?: string; ChecksumAlgorithm?: string };

/**
 * Reads Content-MD5, the x-amz-checksum-* members, x-amz-sdk-checksum-algorithm and x-amz-trailer
 * and refuses a request whose integrity headers are malformed or contradictory, before any byte
 * is stored.
 */
export function integrityOf(input: ChecksumInput, payload: Payload | undefined): Integrity {
  const integrity: Integrity = { sha256: payload?.sha256 };
  const contentMd5 = input.ContentMD5 ?? payload?.md5;
  if (contentMd5 !== undefined) {
    const md5 = String(contentMd5);
    if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw invalidDigest(md5);
    integrity.md5 = md5;
  }
  const valueOf = (algorithm: string) => (input[`Checksum${algorithm}`] as string | undefined) ?? payload?.checksums?.[algorithm];
  for (const name of UNSUPPORTED_ALGORITHMS) {
    if (valueOf(name) !== undefined) throw notImplemented(headerOf(name));
  }
  const supplied = CHECKSUM_ALGORITHMS.filter((a) => valueOf(a) !== undefined);
  if (supplied.length > 1 || (supplied.length === 1 && payload?.trailer)) {
    throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  }
  if (supplied.length === 1) {
    const algorithm = supplied[0];
    const value = String(valueOf(algorithm));
    if (!isWellFormed(algorithm, value)) throw invalidRequest(`Value for ${headerOf(algorithm)} header is invalid.`);
    integrity.checksum = { algorithm, value };
  } else if (payload?.trailer) {
    const name = payload.trailer.trim().toLowerCase();
    const algorithm = name.startsWith('x-amz-checksum-') ? name.slice('x-amz-checksum-'.length).toUpperCase() : '';
    if (!isChecksumAlgorithm(algorithm)) throw invalidRequest('The value specified in the x-amz-trailer header is not supported');
    integrity.checksum = { algorithm, trailer: name };
  } else if (input.ChecksumAlgorithm !== undefined) {
    throw invalidRequest('x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
  }
  return integrity;
}

export interface Received {
  pending: PendingBlob;
  size: number;
  md5Hex: string;
  /** Base64 checksums computed, by algorithm. */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/**
 * Streams a payload into a pending blob while computing MD5 (the ETag), the checksum the client
 * sent and any `alsoCompute`, then verifies length, Content-MD5, checksum and payload hash. A
 * payload that fails any check is discarded and the request refused; nothing is stored.
 */
export async function receive(blobs: BlobStore, payload: Payload, integrity: Integrity, alsoCompute: ChecksumAlgorithm[], maxSize: number): Promise<Received> {
  const md5 = createHash('md5');
  const sha256 = integrity.sha256 ? createHash('sha256') : undefined;
  const algorithms = new Set<ChecksumAlgorithm>(alsoCompute);
  if (integrity.checksum) algorithms.add(integrity.checksum.algorithm);
  const hashers: [ChecksumAlgorithm, Hasher][] = [...algorithms].map((a) => [a, createHasher(a)]);
  if (payload.length !== undefined && payload.length > maxSize) throw entityTooLarge(payload.length, maxSize);
  let pending: PendingBlob;
  try {
    pending = await blobs.write(
      payload.stream,
      (chunk) => {
        md5.update(chunk);
        sha256?.update(chunk);
        for (const [, h] of hashers) h.update(chunk);
      },
      maxSize,
    );
  } catch (err) {
    if (err instanceof BlobTooLarge) throw entityTooLarge(err.size, maxSize);
    throw err;
  }
  try {
    if (payload.length !== undefined && pending.size !== payload.length) throw incompleteBody();
    const md5Digest = md5.digest();
    if (integrity.md5 && md5Digest.toString('base64') !== integrity.md5) {
      throw badDigestMd5(Buffer.from(integrity.md5, 'base64').toString('hex'), md5Digest.toString('base64'));
    }
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const [algorithm, h] of hashers) checksums[algorithm] = h.digest();
    if (integrity.checksum) {
      const { algorithm, trailer } = integrity.checksum;
      const expected = trailer ? payload.trailers.get(trailer) : integrity.checksum.value;
      if (expected === undefined || !isWellFormed(algorithm, expected)) throw trailer ? malformedTrailer() : invalidRequest(`Value for ${headerOf(algorithm)} header is invalid.`);
      if (expected !== checksums[algorithm]) throw badChecksum(algorithm);
    }
    if (sha256 && integrity.sha256) {
      const computed = sha256.digest('hex');
      if (computed !== integrity.sha256.toLowerCase()) throw contentSha256Mismatch(integrity.sha256, computed);
    }
    return { pending, size: pending.size, md5Hex: md5Digest.toString('hex'), checksums };
  } catch (err) {
    await pending.discard();
    throw err;
  }
}
