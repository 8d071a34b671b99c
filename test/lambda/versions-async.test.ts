import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { awsError, credentials, testServer } from '../helpers/server.js';
import { json, lambda, ROLE, settled, text, zipOf } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

const versioned = (v: string) => zipOf({ 'app.py': `def handler(event, context):\n    return {"v": "${v}", "version": context.function_version, "arn": context.invoked_function_arn}\n` });

describe('versions and aliases', () => {
  it('publishes versions, routes an alias by weight over 200 invocations, and reports the executed version', async () => {
    const client = lambda(server);
    await client.send(new CreateFunctionCommand({ FunctionName: 'weights', Runtime: 'python3.11', Handler: 'app.handler', Role: ROLE, Code: { ZipFile: await versioned('one') }, Publish: true }));
    await settled(client, 'weights');
    const again = await client.send(new PublishVersionCommand({ FunctionName: 'weights' }));
    expect(again.Version).toBe('1');
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'weights', ZipFile: await versioned('two') }));
    await settled(client, 'weights');
    const stale = await awsError(client.send(new PublishVersionCommand({ FunctionName: 'weights', CodeSha256: 'AAAA' })));
    expect(stale.message).toMatch(/^CodeSHA256 \(AAAA\) is different from current CodeSHA256 in \$LATEST/);
    const v2 = await client.send(new PublishVersionCommand({ FunctionName: 'weights' }));
    expect(v2).toMatchObject({ Version: '2', FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:weights:2' });
    const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'weights' }));
    expect(versions.Versions!.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);

    const invalid = await awsError(client.send(new CreateAliasCommand({ FunctionName: 'weights', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })));
    expect(invalid.message).toBe('Invalid function version 1. Function version 1 is already included in routing configuration.');
    const alias = await client.send(new CreateAliasCommand({ FunctionName: 'weights', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } } }));
    expect(alias).toMatchObject({ AliasArn: 'arn:aws:lambda:us-east-1:000000000000:function:weights:live', FunctionVersion: '1' });

    const counts: Record<string, number> = {};
    for (let i = 0; i < 200; i++) {
      const out = await client.send(new InvokeCommand({ FunctionName: 'weights:live', Payload: Buffer.from('{}') }));
      const body = json(out.Payload);
      expect(body.version).toBe(out.ExecutedVersion);
      expect(body.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:weights:live');
      counts[out.ExecutedVersion!] = (counts[out.ExecutedVersion!] ?? 0) + 1;
    }
    // 30 % of 200 is 60; a binomial spread of 200 draws stays within 60 ± 30 but for a 1-in-10^5 chance.
    expect(counts['2']).toBeGreaterThan(30);
    expect(counts['2']).toBeLessThan(90);
    expect(counts['1'] + counts['2']).toBe(200);

    const moved = await client.send(new UpdateAliasCommand({ FunctionName: 'weights', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } }));
    expect(moved.RoutingConfig).toBeUndefined();
    const pinned = await client.send(new InvokeCommand({ FunctionName: 'weights', Qualifier: 'live', Payload: Buffer.from('{}') }));
    expect(json(pinned.Payload)).toMatchObject({ v: 'two', version: '2' });
    const stored = await client.send(new GetAliasCommand({ FunctionName: 'weights', Name: 'live' }));
    expect(stored.RevisionId).toBe(moved.RevisionId);
    const missing = await awsError(client.send(new InvokeCommand({ FunctionName: 'weights:9' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:weights:9', status: 404 });
  });
});

describe('asynchronous invocation', () => {
  it('accepts an Event with 202, runs it, and sends the record to an on-success Lambda destination', async () => {
    const client = lambda(server);
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'sink',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: await zipOf({ 'index.js': 'exports.handler = async (e) => { console.log("RECORD " + JSON.stringify(e)); };' }) },
      }),
    );
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'worker',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: await zipOf({ 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("failed on purpose"); return { doubled: e.n * 2 }; };' }) },
      }),
    );
    await settled(client, 'sink');
    await settled(client, 'worker');
    const self = await awsError(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker', DestinationConfig: { OnSuccess: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:worker' } } })));
    expect(self.message).toBe("You can't specify the function as a destination for itself.");
    const sink = 'arn:aws:lambda:us-east-1:000000000000:function:sink';
    const config = await client.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker', MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: sink }, OnFailure: { Destination: sink } } }),
    );
    expect(config.FunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:worker:$LATEST');
    const accepted = await client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: Buffer.from('{"n":21}') }));
    expect(accepted.StatusCode).toBe(202);
    expect(text(accepted.Payload)).toBe('');
    await client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: Buffer.from('{"fail":true}') }));
    // The sink runs asynchronously too (the destination is an event), in whichever environment is free: its log has the records.
    const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    let records: Record<string, any>[] = [];
    for (let i = 0; i < 400 && records.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/sink' })).catch(() => ({ events: [] }));
      records = (found.events ?? []).flatMap((e) => (/\tRECORD (.*)$/s.exec(e.message!.trim()) ? [JSON.parse(/\tRECORD (.*)$/s.exec(e.message!.trim())![1])] : []));
    }
    const success = records.find((r) => r.requestContext.condition === 'Success')!;
    expect(success).toMatchObject({
      version: '1.0',
      requestContext: { functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:worker:$LATEST', approximateInvokeCount: 1 },
      requestPayload: { n: 21 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { doubled: 42 },
    });
    const failure = records.find((r) => r.requestContext.condition === 'RetriesExhausted')!;
    expect(failure).toMatchObject({ responseContext: { functionError: 'Unhandled' }, responsePayload: { errorType: 'Error', errorMessage: 'failed on purpose' } });
  });

  it('DryRun answers 204; reserved concurrency 0 throttles synchronous calls', async () => {
    const client = lambda(server);
    const dry = await client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'worker', ReservedConcurrentExecutions: 0 }));
    const throttled = await awsError(client.send(new InvokeCommand({ FunctionName: 'worker', Payload: Buffer.from('{"n":1}') })));
    expect(throttled).toMatchObject({ name: 'TooManyRequestsException', message: 'Rate Exceeded.', status: 429 });
    const notJson = await awsError(client.send(new InvokeCommand({ FunctionName: 'sink', Payload: Buffer.from('{nope') })));
    expect(notJson.name).toBe('InvalidRequestContentException');
  });

  it('keeps a resource policy: AddPermission and GetPolicy', async () => {
    const client = lambda(server);
    const added = await client.send(
      new AddPermissionCommand({ FunctionName: 'sink', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/r' }),
    );
    expect(JSON.parse(added.Statement!)).toEqual({
      Sid: 'events',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:sink',
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/r' } },
    });
    const dup = await awsError(client.send(new AddPermissionCommand({ FunctionName: 'sink', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' })));
    expect(dup.status).toBe(409);
    const latest = await awsError(client.send(new AddPermissionCommand({ FunctionName: 'sink', Qualifier: '$LATEST', StatementId: 'x', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' })));
    expect(latest.message).toBe('We currently do not support adding policies for $LATEST.');
    const policy = await client.send(new GetPolicyCommand({ FunctionName: 'sink' }));
    expect(JSON.parse(policy.Policy!)).toMatchObject({ Version: '2012-10-17', Id: 'default', Statement: [{ Sid: 'events' }] });
  });
});
