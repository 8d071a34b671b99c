import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, CreateFunctionCommand, InvokeCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { credentials, testServer } from '../helpers/server.js';
import { lambda, ROLE, settled, zipOf } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

describe("Lambda's AWS/Lambda metrics", () => {
  it('counts invocations and errors, and records durations, by function and by alias', async () => {
    const client = lambda(server);
    const code = await zipOf({ 'index.js': "exports.handler = async (e) => { if (e.fail) throw new Error('no'); return 'ok'; };" });
    await client.send(new CreateFunctionCommand({ FunctionName: 'counted', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code } }));
    await settled(client, 'counted');
    const { Version } = await client.send(new PublishVersionCommand({ FunctionName: 'counted' }));
    await client.send(new CreateAliasCommand({ FunctionName: 'counted', Name: 'live', FunctionVersion: Version }));
    await client.send(new InvokeCommand({ FunctionName: 'counted', Payload: Buffer.from('{}') }));
    const failed = await client.send(new InvokeCommand({ FunctionName: 'counted', Payload: Buffer.from('{"fail":true}') }));
    expect(failed.FunctionError).toBe('Unhandled');
    await client.send(new InvokeCommand({ FunctionName: 'counted', Qualifier: 'live', Payload: Buffer.from('{}') }));

    const cw = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const sum = async (metric: string, dimensions: { Name: string; Value: string }[], statistic: 'Sum' | 'SampleCount' = 'Sum') => {
      const { Datapoints = [] } = await cw.send(
        new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dimensions, StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 120_000), Period: 60, Statistics: [statistic] }),
      );
      return Datapoints.reduce((n, d) => n + (d[statistic] ?? 0), 0);
    };
    const byFunction = [{ Name: 'FunctionName', Value: 'counted' }];
    expect(await sum('Invocations', byFunction)).toBe(3);
    expect(await sum('Errors', byFunction)).toBe(1);
    expect(await sum('Duration', byFunction, 'SampleCount')).toBe(3);
    expect(await sum('Invocations', [...byFunction, { Name: 'Resource', Value: 'counted:live' }])).toBe(1);
    expect(await sum('Invocations', [])).toBe(3);
  });
});
