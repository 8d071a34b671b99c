import { GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, TagResourceCommand, DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { mountAwsFront } from '../../src/core/aws-front.js';
import { systemClock } from '../../src/core/clock.js';
import { allowAll } from '../../src/core/dispatch.js';
import { AwsError } from '../../src/core/errors.js';
import { Identity } from '../../src/core/identity.js';
import { loadModel } from '../../src/core/models/model.js';
import type { ServiceDefinition } from '../../src/core/service.js';

/** A stand-in service on Lambda's model that echoes what the REST-JSON front decoded. */
const seen: Record<string, unknown>[] = [];
const echo: ServiceDefinition = {
  name: 'lambda',
  model: loadModel('lambda'),
  operations: {
    GetFunction: {
      iam: { action: 'lambda:GetFunction', resource: () => '*' },
      handler: (input: Record<string, unknown>) => {
        seen.push(input);
        if (input.FunctionName === 'missing') throw new AwsError('ResourceNotFoundException', 'Function not found: missing', 404);
        return { Configuration: { FunctionName: input.FunctionName, Version: input.Qualifier ?? '$LATEST' }, Tags: { a: 'b' } };
      },
    },
    ListFunctions: {
      iam: { action: 'lambda:ListFunctions', resource: () => '*' },
      handler: (input: Record<string, unknown>) => (seen.push(input), { Functions: [], NextMarker: 'next' }),
    },
    Invoke: {
      iam: { action: 'lambda:InvokeFunction', resource: () => '*' },
      handler: (input: Record<string, unknown>) => {
        seen.push(input);
        return { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST', Payload: Buffer.from(`{"got":${(input.Payload as Buffer).toString()}}`) };
      },
    },
    TagResource: { iam: { action: 'lambda:TagResource', resource: () => '*' }, handler: (input: Record<string, unknown>) => (seen.push(input), {}) },
  },
};

let app: FastifyInstance;
let client: LambdaClient;
beforeAll(async () => {
  const config = parseConfig({});
  app = Fastify();
  const identity = new Identity([echo], config, systemClock);
  mountAwsFront(app, [echo], identity, () => '', allowAll, 1 << 20);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  client = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' } });
});
afterAll(() => app?.close());

describe('the REST-JSON front', () => {
  it('routes by method and path, and decodes path labels (ARNs included) and the query string', async () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:hello';
    const out = await client.send(new GetFunctionCommand({ FunctionName: arn, Qualifier: '3' }));
    expect(out.Configuration).toEqual({ FunctionName: arn, Version: '3' });
    expect(out.Tags).toEqual({ a: 'b' });
    await client.send(new ListFunctionsCommand({ MaxItems: 5, Marker: 'm' }));
    expect(seen.at(-1)).toEqual({ MaxItems: 5, Marker: 'm' });
  });

  it('takes a blob payload raw with its headers, and answers with header members and a raw payload', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'f', Payload: Buffer.from('{"x":1}'), LogType: 'Tail', InvocationType: 'RequestResponse' }));
    expect(seen.at(-1)).toMatchObject({ FunctionName: 'f', LogType: 'Tail', InvocationType: 'RequestResponse' });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(Buffer.from(out.Payload!).toString()).toBe('{"got":{"x":1}}');
  });

  it('reads JSON body members beside path labels', async () => {
    await client.send(new TagResourceCommand({ Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', Tags: { team: 'x' } }));
    expect(seen.at(-1)).toEqual({ Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', Tags: { team: 'x' } });
  });

  it('writes errors with x-amzn-errortype, the model status and message member', async () => {
    const err = await client.send(new GetFunctionCommand({ FunctionName: 'missing' })).catch((e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode: number }; Type?: string });
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', message: 'Function not found: missing', Type: 'User' });
    expect(err.$metadata.httpStatusCode).toBe(404);
    const unimplemented = await client.send(new DeleteFunctionCommand({ FunctionName: 'f' })).catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    expect(unimplemented).toMatchObject({ name: 'NotImplemented' });
    expect(unimplemented.$metadata.httpStatusCode).toBe(501);
  });

  it('refuses a body that is not JSON, and a path no operation has, with REST-JSON errors', async () => {
    const bad = await fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/2017-03-31/tags/arn%3Ax`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-errortype')).toBe('SerializationException');
    const nowhere = await fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/2015-03-31/nothing-here`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0' },
    });
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });
});
