import { incompleteBody, invalidRequest, malformedTrailer } from './errors.js';

const CRLF = Buffer.from('\r\n');
const MAX_LINE = 8192;

/**
 * Decodes an `aws-chunked` body (`Content-Encoding: aws-chunked`, or any `STREAMING-*`
 * x-amz-content-sha256): `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` repeated, a zero-size
 * chunk, then optional trailing headers (`x-amz-checksum-crc32:<base64>`) and an empty line.
 * Yields the payload bytes as they arrive and fills `trailers` at the end. Chunk signatures are
 * read past, not verified: signature checks belong to IAM enforcement.
 */
export async function* decodeAwsChunked(source: AsyncIterable<Buffer>, trailers: Map<string, string>): AsyncGenerator<Buffer> {
  let state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  let line = Buffer.alloc(0);
  let remaining = 0;
  for await (const input of source) {
    let chunk = input as Buffer;
    while (chunk.length > 0 && state !== 'done') {
      if (state === 'data') {
        const take = Math.min(remaining, chunk.length);
        yield chunk.subarray(0, take);
        chunk = chunk.subarray(take);
        remaining -= take;
        if (remaining === 0) state = 'data-end';
        continue;
      }
      // Every other state reads a line up to CRLF.
      const joined = line.length > 0 ? Buffer.concat([line, chunk]) : chunk;
      const end = joined.indexOf(CRLF);
      if (end === -1) {
        if (joined.length > MAX_LINE) throw invalidRequest('The chunk header of the aws-chunked body is not valid.');
        line = Buffer.from(joined);
        chunk = Buffer.alloc(0);
        break;
      }
      const text = joined.subarray(0, end).toString('latin1');
      chunk = joined.subarray(end + 2);
      line = Buffer.alloc(0);
      if (state === 'data-end') {
        if (text !== '') throw incompleteBody();
        state = 'size';
      } else if (state === 'size') {
        const m = /^([0-9a-fA-F]+)(;.*)?$/.exec(text);
        if (!m) throw invalidRequest('The chunk header of the aws-chunked body is not valid.');
        remaining = parseInt(m[1], 16);
        state = remaining === 0 ? 'trailer' : 'data';
      } else {
        if (text === '') {
          state = 'done';
          break;
        }
        const colon = text.indexOf(':');
        if (colon <= 0) throw malformedTrailer();
        trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
      }
    }
  }
  // Some clients end the trailer section without its closing empty line.
  if (state === 'trailer' && line.length > 0) {
    const text = line.toString('latin1');
    const colon = text.indexOf(':');
    if (colon <= 0) throw malformedTrailer();
    trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
    state = 'done';
  }
  if (state !== 'done' && state !== 'trailer') throw incompleteBody();
}
