import type { GetObjectRequest, HeadObjectRequest, PutObjectRequest } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CallerIdentity, RequestContext } from '../core/context.js';
import { dispatch, type Authorizer } from '../core/dispatch.js';
import { AwsError } from '../core/errors.js';
import type { ServiceDefinition } from '../core/service.js';
import type { Db } from '../core/store/db.js';
import { bindAuthorizer, refineAuthorizer } from './authorization.js';
import { payloadOf, PAYLOAD } from './payload.js';
import { S3_ERRORS } from './rest-front.js';
import type { S3ServiceDefinition } from './service.js';

export type ObjectBody = Buffer | string | AsyncIterable<Buffer>;

const mounted = new WeakMap<Db, S3ServiceDefinition>();

/** Called by the S3 service definition when a server mounts it. */
export function registerS3(db: Db, definition: S3ServiceDefinition): void {
  mounted.set(db, definition);
}

/** The S3 service a server mounted on this database, for other services' internal clients. */
export function mountedS3(db: Db): S3ServiceDefinition {
  const definition = mounted.get(db);
  if (!definition) throw new Error('S3 is not mounted on this database');
  return definition;
}

export interface InternalOptions {
  /** Region the calls are made in (a build's or deployment's region). */
  region: string;
  /** The server's base URL, for outputs that name it (CompleteMultipartUpload's Location). */
  endpoint?: string;
}

/**
 * S3 for the other services (CodeBuild sources and artifacts, CodeDeploy revisions, pipeline
 * artifacts): put, get and stream objects as a principal, through the same validation,
 * authorization hook and handlers as a request from outside, without HTTP in between. Errors
 * are the same AwsErrors (NoSuchKey, AccessDenied...) a client would see.
 */
export class S3InternalClient {
  constructor(
    private readonly service: ServiceDefinition,
    private readonly authorize: Authorizer,
    private readonly options: InternalOptions,
  ) {
    if (service.name !== 's3') throw new Error('S3InternalClient needs the s3 service definition');
  }

  private context(principal: CallerIdentity): RequestContext {
    return {
      requestId: randomUUID(),
      accountId: principal.accountId,
      region: this.options.region,
      accessKeyId: principal.accessKeyId,
      caller: principal,
      principalArn: principal.arn,
      endpoint: this.options.endpoint ?? '',
      sourceIp: '127.0.0.1',
    };
  }

  private async call(principal: CallerIdentity, operation: string, input: Record<string | symbol, unknown>): Promise<Record<string, unknown>> {
    const ctx = this.context(principal);
    const authorize = refineAuthorizer(this.authorize, operation, (bucket) => (this.service as S3ServiceDefinition).bucketPolicy(bucket));
    bindAuthorizer(ctx, input, authorize);
    return (await dispatch(this.service, operation, input, ctx, S3_ERRORS, authorize)) as Record<string, unknown>;
  }

  /** Stores an object; the body is streamed to disk, never held whole. */
  async putObject(principal: CallerIdentity, input: Omit<PutObjectRequest, 'Body'> & { Body: ObjectBody }): Promise<Record<string, unknown>> {
    const { Body, ...rest } = input;
    return this.call(principal, 'PutObject', { ...rest, [PAYLOAD]: payloadOf(Body) });
  }

  /** An object's metadata and a stream of its bytes (the caller must consume or destroy it). */
  async streamObject(principal: CallerIdentity, input: GetObjectRequest): Promise<Record<string, unknown> & { Body: Readable }> {
    return (await this.call(principal, 'GetObject', { ...input })) as Record<string, unknown> & { Body: Readable };
  }

  /** A small object read whole into memory; larger than `maxBytes` is refused before reading. */
  async getObject(principal: CallerIdentity, input: GetObjectRequest, maxBytes = 64 * 1024 * 1024): Promise<Record<string, unknown> & { Body: Buffer }> {
    const output = await this.streamObject(principal, input);
    if (Number(output.ContentLength) > maxBytes) {
      output.Body.destroy();
      throw new AwsError('EntityTooLarge', `The object is larger than the ${maxBytes} bytes this call reads into memory; stream it instead.`, 400);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of output.Body) chunks.push(chunk as Buffer);
    return { ...output, Body: Buffer.concat(chunks) };
  }

  async headObject(principal: CallerIdentity, input: HeadObjectRequest): Promise<Record<string, unknown>> {
    return this.call(principal, 'HeadObject', { ...input });
  }
}
