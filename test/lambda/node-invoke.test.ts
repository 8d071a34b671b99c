import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { credentials, testServer } from '../helpers/server.js';
import { json, lambda, ROLE, settled, text, zipOf } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

const handler = `
let count = 0;
exports.handler = async (event, context) => {
  count++;
  console.log('got', JSON.stringify(event));
  return { echo: event, count, pid: process.pid, requestId: context.awsRequestId, remaining: context.getRemainingTimeInMillis() > 0,
    name: process.env.AWS_LAMBDA_FUNCTION_NAME, version: process.env.AWS_LAMBDA_FUNCTION_VERSION, region: process.env.AWS_REGION,
    arn: context.invokedFunctionArn, custom: process.env.GREETING };
};`;

describe('a Node.js function', () => {
  it('is created Pending, becomes Active, runs, and the second invocation reuses the warm environment', async () => {
    const client = lambda(server);
    const created = await client.send(
      new CreateFunctionCommand({ FunctionName: 'hello-node', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zipOf({ 'index.js': handler }) }, Environment: { Variables: { GREETING: 'hi' } } }),
    );
    expect(created).toMatchObject({ FunctionName: 'hello-node', State: 'Pending', StateReasonCode: 'Creating', Version: '$LATEST', Runtime: 'nodejs20.x', Timeout: 3, MemorySize: 128 });
    expect(created.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    await settled(client, 'hello-node');
    const got = await client.send(new GetFunctionCommand({ FunctionName: 'hello-node' }));
    expect(got.Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    const zip = await fetch(got.Code!.Location!);
    expect(zip.status).toBe(200);

    const first = await client.send(new InvokeCommand({ FunctionName: 'hello-node', Payload: Buffer.from('{"a":1}'), LogType: 'Tail' }));
    expect(first.StatusCode).toBe(200);
    expect(first.FunctionError).toBeUndefined();
    expect(first.ExecutedVersion).toBe('$LATEST');
    const out = json(first.Payload);
    expect(out).toMatchObject({ echo: { a: 1 }, count: 1, remaining: true, name: 'hello-node', version: '$LATEST', region: 'us-east-1', custom: 'hi' });
    expect(out.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:hello-node');
    const tail = Buffer.from(first.LogResult!, 'base64').toString('utf8');
    expect(tail).toMatch(/^START RequestId: \S+ Version: \$LATEST\n/);
    expect(tail).toContain('\tINFO\tgot {"a":1}');
    expect(tail).toMatch(/REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t\n$/);

    const second = await client.send(new InvokeCommand({ FunctionName: 'hello-node', Payload: Buffer.from('{"a":2}') }));
    const again = json(second.Payload);
    expect(again).toMatchObject({ echo: { a: 2 }, count: 2, pid: out.pid });

    const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const events = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/hello-node' }));
    const messages = events.events!.map((e) => e.message!);
    expect(messages.filter((m) => m.startsWith('START RequestId:'))).toHaveLength(2);
    expect(messages.filter((m) => m.startsWith('REPORT RequestId:'))).toHaveLength(2);
    expect(messages.some((m) => m.startsWith('INIT_START Runtime Version: nodejs20'))).toBe(true);
    expect(text(second.Payload)).not.toBe('');
  });
});
