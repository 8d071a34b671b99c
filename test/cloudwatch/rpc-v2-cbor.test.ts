import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { encode } from 'cbor-x';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, credentials, testServer, unverifiedSigV4 } from '../helpers/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server?.stop());

/** SDK v3's CloudWatch client switched to the protocol the model lists first. */
const cborClient = () =>
  new CloudWatchClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials,
    protocol: new AwsSmithyRpcV2CborProtocol({ defaultNamespace: 'com.amazonaws.cloudwatch', awsQueryCompatible: true }),
  });

describe('the RPC v2 CBOR protocol', () => {
  it('serves CloudWatch to the SDK speaking CBOR, timestamps and errors included', async () => {
    const cw = cborClient();
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await cw.send(new PutMetricDataCommand({ Namespace: 'Cbor', MetricData: [{ MetricName: 'Hits', Value: 2.5, Timestamp: minute, Unit: 'Count' }] }));
    const stats = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'Cbor', MetricName: 'Hits', StartTime: new Date(minute.getTime() - 60_000), EndTime: new Date(minute.getTime() + 60_000), Period: 60, Statistics: ['Sum'] }),
    );
    expect(stats.Datapoints).toEqual([{ Timestamp: minute, Sum: 2.5, Unit: 'Count' }]);
    const missing = await awsError(cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFound', message: 'Alarm nope does not exist', status: 404 });
  });

  it('answers a body that is not CBOR, and an unknown service, in CBOR with 4xx', async () => {
    for (const [path, body] of [
      ['/service/GraniteServiceVersion20100801/operation/ListMetrics', Buffer.from([0xff, 0x00, 0x13])],
      ['/service/NoSuchService/operation/ListMetrics', Buffer.from(encode({}))],
      ['/service/GraniteServiceVersion20100801/operation/toString', Buffer.from(encode({}))],
    ] as const) {
      const res = await fetch(`${server.endpoint}${path}`, {
        method: 'POST',
        headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor', authorization: unverifiedSigV4('monitoring') },
        body,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    }
  });
});
