import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../core/context.js';
import { dispatch, type Authorizer, type ProtocolErrors } from '../core/dispatch.js';
import { AwsError } from '../core/errors.js';
import type { ServiceModel } from '../core/models/model.js';
import {
  RestRouter,
  RestValueError,
  XmlSyntaxError,
  parseXml,
  payloadOf as payloadMember,
  readRestInput,
  restXmlError,
  writeRestOutput,
  xmlDocument,
  xmlToShape,
} from '../core/protocol/rest-xml.js';
import { escapeXml } from '../core/protocol/xml.js';
import type { ServiceDefinition } from '../core/service.js';
import { addressOf, type S3Address } from './addressing.js';
import { accessDenied, bindAuthorizer, refineAuthorizer } from './authorization.js';
import { createHasher } from './checksums.js';
import type { S3Deps } from './deps.js';
import {
  badChecksum,
  badDigestMd5,
  contentSha256Mismatch,
  invalidArgument,
  invalidRequest,
  malformedXml,
  methodNotAllowed,
  missingRequestBody,
  S3Error,
} from './errors.js';
import { httpPayload } from './http-payload.js';
import { integrityOf, PAYLOAD, type Payload } from './payload.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Operations that share a URI with a newer one, or that S3 does not route by bucket and key. */
const NOT_ROUTED = [
  'GetBucketLifecycle',
  'PutBucketLifecycle',
  'GetBucketNotification',
  'PutBucketNotification',
  'ListDirectoryBuckets',
  'WriteGetObjectResponse',
];

/** Root elements of S3's response documents (the model leaves them to the protocol). */
const ROOTS: Record<string, string> = {
  ListBuckets: 'ListAllMyBucketsResult',
  ListObjects: 'ListBucketResult',
  ListObjectsV2: 'ListBucketResult',
  ListObjectVersions: 'ListVersionsResult',
  ListMultipartUploads: 'ListMultipartUploadsResult',
  ListParts: 'ListPartsResult',
  CreateMultipartUpload: 'InitiateMultipartUploadResult',
  CompleteMultipartUpload: 'CompleteMultipartUploadResult',
  CopyObject: 'CopyObjectResult',
  UploadPartCopy: 'CopyPartResult',
  DeleteObjects: 'DeleteResult',
  GetBucketTagging: 'Tagging',
  GetObjectTagging: 'Tagging',
  GetBucketVersioning: 'VersioningConfiguration',
  GetObjectAttributes: 'GetObjectAttributesResponse',
};

/** Operations S3 answers with 204 No Content. */
const NO_CONTENT = new Set([
  'DeleteBucket',
  'DeleteObject',
  'DeleteObjectTagging',
  'DeleteBucketTagging',
  'DeleteBucketPolicy',
  'PutBucketTagging',
  'PutBucketPolicy',
  'AbortMultipartUpload',
]);

export const S3_ERRORS: ProtocolErrors = {
  unknownOperation: (operation) => methodNotAllowed(operation, 'SERVICE'),
  validationCode: 'InvalidArgument',
  accessDenied,
};

const addresses = new WeakMap<FastifyRequest, S3Address>();

/** S3's own request id shape is opaque; x-amz-id-2 is derived from it so both are stable per request. */
const hostIdOf = (requestId: string) => createHash('sha256').update(requestId).digest('base64');

export interface S3Front {
  handle: (request: FastifyRequest, reply: FastifyReply, ctx: RequestContext, authorize: Authorizer) => Promise<unknown>;
  sendError: (request: FastifyRequest, reply: FastifyReply, err: AwsError) => void;
}

/**
 * The REST-XML front of S3: addresses (path or virtual host), the operation the method, path,
 * query and headers name, its input decoded from them (the body streamed for object uploads),
 * the same dispatch every AWS call takes, and the output written back as S3 writes it.
 */
export function s3Front(model: ServiceModel, service: () => ServiceDefinition, deps: S3Deps, bodyLimit: number): S3Front {
  const router = new RestRouter(model, NOT_ROUTED);

  async function handle(request: FastifyRequest, reply: FastifyReply, ctx: RequestContext, authorize: Authorizer): Promise<unknown> {
    const address = addressOf(request.raw.url ?? request.url, request.headers.host, ctx.endpoint);
    addresses.set(request, address);
    const labels = address.key !== undefined ? ['Bucket', 'Key'] : address.bucket !== undefined ? ['Bucket'] : [];
    const operation = router.match({ method: request.method, labels, query: address.query, headers: request.headers });
    if (!operation) throw methodNotAllowed(request.method, labels.length === 2 ? 'OBJECT' : labels.length === 1 ? 'BUCKET' : 'SERVICE');
    request.awsOperation = operation;
    let input: Record<string | symbol, unknown>;
    try {
      input = readRestInput(model, operation, { labels: { Bucket: address.bucket ?? '', Key: address.key ?? '' }, query: address.query, headers: request.headers });
    } catch (err) {
      if (err instanceof RestValueError) throw invalidArgument(`Invalid value for ${err.location}`, err.location, err.raw);
      throw err;
    }
    checkExpectedOwner(input);
    await readPayload(request, operation, input);
    const authz = refineAuthorizer(authorize, operation, (bucket) => deps.store.bucket(bucket)?.policy);
    bindAuthorizer(ctx, input, authz);
    const output = (await dispatch(service(), operation, input, ctx, S3_ERRORS, authz)) as Record<string, unknown>;
    return send(request, reply, operation, output, ctx);
  }

  function checkExpectedOwner(input: Record<string, unknown>): void {
    const expected = input.ExpectedBucketOwner;
    if (typeof expected !== 'string' || typeof input.Bucket !== 'string') return;
    const bucket = deps.store.bucket(input.Bucket);
    if (bucket && bucket.accountId !== expected) throw new S3Error('AccessDenied', 'Access Denied', 403);
  }

  /** A blob payload stays a stream; a document payload is read (bounded), verified and parsed. */
  async function readPayload(request: FastifyRequest, operation: string, input: Record<string | symbol, unknown>): Promise<void> {
    const op = model.operations[operation];
    const payload = payloadMember(model, op.input?.shape);
    const body = httpPayload(request);
    if (payload?.shape.type === 'blob') {
      input[PAYLOAD] = body;
      return;
    }
    const bytes = await readVerified(body, input, operation);
    if (!payload) return;
    if (payload.shape.type === 'string') {
      if (bytes.length > 0) input[payload.member] = bytes.toString('utf8');
      return;
    }
    if (bytes.length === 0) {
      if (model.shapes[op.input!.shape].required?.includes(payload.member)) throw missingRequestBody();
      return;
    }
    let document;
    try {
      document = parseXml(bytes.toString('utf8'));
    } catch (err) {
      if (err instanceof XmlSyntaxError) throw malformedXml();
      throw err;
    }
    const rootName = payload.ref.locationName ?? payload.ref.shape;
    if (document.name !== rootName) throw malformedXml();
    try {
      input[payload.member] = xmlToShape(model, payload.shape, document);
    } catch (err) {
      if (err instanceof RestValueError) throw malformedXml();
      throw err;
    }
  }

  /**
   * A small body in memory. Where the operation's checksum headers describe its body (the model
   * says httpChecksum, or it takes Content-MD5) it is checked against them as uploads are.
   */
  async function readVerified(body: Payload, input: Record<string, unknown>, operation: string): Promise<Buffer> {
    const op = model.operations[operation] as { httpChecksum?: { requestChecksumRequired?: boolean }; input?: { shape: string } };
    const describesBody = op.httpChecksum !== undefined || model.shapes[op.input?.shape ?? '']?.members?.ContentMD5 !== undefined;
    const integrity = describesBody ? integrityOf(input, body) : {};
    if (op.httpChecksum?.requestChecksumRequired && !integrity.md5 && !integrity.checksum) {
      throw invalidRequest('Missing required header for this request: Content-MD5');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body.stream) {
      size += chunk.length;
      if (size > bodyLimit) throw new S3Error('MaxMessageLengthExceeded', 'Your request was too big.', 400);
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks);
    if (integrity.md5) {
      const md5 = createHash('md5').update(bytes).digest('base64');
      if (md5 !== integrity.md5) throw badDigestMd5(Buffer.from(integrity.md5, 'base64').toString('hex'), md5);
    }
    if (body.sha256) {
      const computed = createHash('sha256').update(bytes).digest('hex');
      if (computed !== body.sha256.toLowerCase()) throw contentSha256Mismatch(body.sha256, computed);
    }
    if (integrity.checksum) {
      const { algorithm, trailer, value } = integrity.checksum;
      const hasher = createHasher(algorithm);
      hasher.update(bytes);
      if ((trailer ? body.trailers.get(trailer) : value) !== hasher.digest()) throw badChecksum(algorithm);
    }
    return bytes;
  }

  function send(request: FastifyRequest, reply: FastifyReply, operation: string, output: Record<string, unknown>, ctx: RequestContext): FastifyReply {
    const head = request.method === 'HEAD';
    const written =
      operation === 'GetBucketLocation'
        ? { headers: {}, body: xmlDocument('LocationConstraint', S3_NAMESPACE, escapeXml(String(output.LocationConstraint ?? ''))) }
        : writeRestOutput(model, operation, output, ROOTS[operation] ?? `${operation}Result`, S3_NAMESPACE);
    let status = NO_CONTENT.has(operation) ? 204 : 200;
    if (operation === 'GetObject' && written.headers['content-range']) status = 206;
    reply.status(status).header('x-amz-request-id', ctx.requestId).header('x-amz-id-2', hostIdOf(ctx.requestId));
    for (const [k, v] of Object.entries(written.headers)) reply.header(k, v);
    if ('stream' in written && written.stream) {
      if (head) {
        (written.stream as { destroy(): void }).destroy();
        return reply.send();
      }
      return reply.send(written.stream);
    }
    if (written.body !== undefined && !head && status !== 204) {
      if (!written.headers['content-type']) reply.header('content-type', operation === 'GetBucketPolicy' ? 'application/json' : 'application/xml');
      return reply.send(Buffer.from(written.body));
    }
    if (status !== 204 && !written.headers['content-length']) reply.header('content-length', '0');
    return reply.send();
  }

  function sendError(request: FastifyRequest, reply: FastifyReply, err: AwsError): void {
    const error = err.code === 'InternalFailure' ? new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500) : err;
    const headers = error instanceof S3Error ? error.headers : {};
    reply.status(error.statusCode).header('x-amz-request-id', request.id).header('x-amz-id-2', hostIdOf(request.id));
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    if (error.statusCode === 304 || request.method === 'HEAD') {
      reply.send();
      return;
    }
    const resource = addresses.get(request)?.resource;
    const body = restXmlError(error.code, error.message, { ...error.fields, Resource: resource }, request.id, hostIdOf(request.id));
    reply.header('content-type', 'application/xml').send(Buffer.from(body));
  }

  return { handle, sendError };
}
