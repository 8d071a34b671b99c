import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { decodeAwsChunked } from './aws-chunked.js';
import { invalidArgument, missingContentLength } from './errors.js';
import type { Payload } from './payload.js';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

async function* nothing(): AsyncGenerator<Buffer> {}

function length(value: string, name: string): number {
  if (!/^\d+$/.test(value.trim())) throw invalidArgument(`Invalid ${name}`, name, value);
  return Number(value);
}

/**
 * A request body as S3 reads it: `aws-chunked` (by Content-Encoding or a STREAMING-* payload
 * hash) decoded, with its declared size; a plain body must declare its Content-Length.
 */
export function httpPayload(request: FastifyRequest): Payload {
  const body = request.body as Readable | undefined;
  const stream: AsyncIterable<Buffer> = body && typeof body[Symbol.asyncIterator] === 'function' ? body : nothing();
  const sha = header(request, 'x-amz-content-sha256');
  const encoding = header(request, 'content-encoding') ?? '';
  const trailer = header(request, 'x-amz-trailer');
  const trailers = new Map<string, string>();
  const checksums: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type' && name !== 'x-amz-checksum-algorithm' && name !== 'x-amz-checksum-mode' && value !== undefined) {
      checksums[name.slice('x-amz-checksum-'.length).toUpperCase()] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  const md5 = header(request, 'content-md5');
  const chunked = encoding.split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked') || (sha?.startsWith('STREAMING-') ?? false);
  if (chunked) {
    const decoded = header(request, 'x-amz-decoded-content-length');
    if (decoded === undefined) throw missingContentLength();
    return { stream: decodeAwsChunked(stream, trailers), length: length(decoded, 'x-amz-decoded-content-length'), trailers, trailer, checksums, md5 };
  }
  const declared = header(request, 'content-length');
  if (declared === undefined && header(request, 'transfer-encoding') !== undefined) throw missingContentLength();
  return {
    stream,
    length: declared === undefined ? 0 : length(declared, 'content-length'),
    trailers,
    trailer,
    checksums,
    md5,
    sha256: sha && /^[0-9a-fA-F]{64}$/.test(sha) ? sha : undefined,
  };
}
