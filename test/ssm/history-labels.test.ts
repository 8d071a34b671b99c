import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  UnlabelParameterVersionCommand,
  paginateGetParameterHistory,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { manualClock, ssm } from './helpers.js';

const clock = manualClock();
let server: RunningServer;
let client: SSMClient;
beforeAll(async () => {
  server = await testServer({ clock });
  client = ssm(server);
});
afterAll(() => server.stop());

async function versions(name: string, count: number, type: 'String' | 'SecureString' = 'String') {
  for (let i = 0; i < count; i++) {
    await client.send(new PutParameterCommand({ Name: name, Value: `value-${i}`, Type: type, Description: `version ${i}`, Overwrite: true }));
    clock.advance(1000);
  }
}

describe('GetParameterHistory', () => {
  it('lists every version with its labels and who changed it', async () => {
    await versions('hist', 3);
    const { Parameters } = await client.send(new GetParameterHistoryCommand({ Name: 'hist' }));
    expect(Parameters!.map((p) => [p.Version, p.Value, p.Description, p.Labels])).toEqual([
      [1, 'value-0', 'version 0', []],
      [2, 'value-1', 'version 1', []],
      [3, 'value-2', 'version 2', []],
    ]);
    expect(Parameters![0]).toMatchObject({ Name: 'hist', Type: 'String', Tier: 'Standard', DataType: 'text', LastModifiedUser: 'arn:aws:iam::000000000000:root' });
    expect(Parameters![1].LastModifiedDate!.getTime() - Parameters![0].LastModifiedDate!.getTime()).toBe(1000);
  });

  it('decrypts SecureString history only on request', async () => {
    await versions('hist-secure', 2, 'SecureString');
    const hidden = await client.send(new GetParameterHistoryCommand({ Name: 'hist-secure' }));
    expect(hidden.Parameters!.map((p) => p.Value)).not.toContain('value-0');
    expect(hidden.Parameters![0].KeyId).toBe('alias/aws/ssm');
    const shown = await client.send(new GetParameterHistoryCommand({ Name: 'hist-secure', WithDecryption: true }));
    expect(shown.Parameters!.map((p) => p.Value)).toEqual(['value-0', 'value-1']);
  });

  it('pages, and refuses more than 50 at once', async () => {
    await versions('hist-long', 12);
    const seen: number[] = [];
    for await (const page of paginateGetParameterHistory({ client, pageSize: 5 }, { Name: 'hist-long' })) seen.push(...page.Parameters!.map((p) => p.Version!));
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await awsError(client.send(new GetParameterHistoryCommand({ Name: 'hist-long', MaxResults: 51 })))).message).toBe(
      "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    expect(await awsError(client.send(new GetParameterHistoryCommand({ Name: 'no-such' })))).toMatchObject({
      name: 'ParameterNotFound',
      message: 'Parameter no-such not found.',
    });
  });

  it('keeps 100 versions, dropping the oldest unless a label holds it', async () => {
    await versions('hundred', 100);
    await client.send(new LabelParameterVersionCommand({ Name: 'hundred', ParameterVersion: 1, Labels: ['first'] }));
    const e = await awsError(client.send(new PutParameterCommand({ Name: 'hundred', Value: 'v101', Overwrite: true })));
    expect(e.name).toBe('ParameterMaxVersionLimitExceeded');
    expect(e.message).toContain("Version 1, the oldest version, can't be deleted because it has a label associated with it.");
    await client.send(new UnlabelParameterVersionCommand({ Name: 'hundred', ParameterVersion: 1, Labels: ['first'] }));
    expect((await client.send(new PutParameterCommand({ Name: 'hundred', Value: 'v101', Overwrite: true }))).Version).toBe(101);
    const first = await client.send(new GetParameterHistoryCommand({ Name: 'hundred', MaxResults: 1 }));
    expect(first.Parameters![0].Version).toBe(2);
    expect((await awsError(client.send(new GetParameterCommand({ Name: 'hundred:1' })))).name).toBe('ParameterVersionNotFound');
  });
});

describe('LabelParameterVersion and UnlabelParameterVersion', () => {
  it('labels the latest version by default and moves a label between versions', async () => {
    await versions('lab', 3);
    expect(await client.send(new LabelParameterVersionCommand({ Name: 'lab', Labels: ['prod'] }))).toMatchObject({ InvalidLabels: [], ParameterVersion: 3 });
    await client.send(new LabelParameterVersionCommand({ Name: 'lab', ParameterVersion: 1, Labels: ['prod', 'first'] }));
    const { Parameters } = await client.send(new GetParameterHistoryCommand({ Name: 'lab' }));
    expect(Parameters!.map((p) => p.Labels)).toEqual([['prod', 'first'], [], []]);
  });

  it('reports labels AWS does not accept instead of applying them', async () => {
    const out = await client.send(new LabelParameterVersionCommand({ Name: 'lab', ParameterVersion: 2, Labels: ['awsabc', 'SSMx', '9abc', 'abc/123', 'fine'] }));
    expect(out.InvalidLabels).toEqual(['awsabc', 'SSMx', '9abc', 'abc/123']);
    expect((await client.send(new GetParameterCommand({ Name: 'lab:fine' }))).Parameter!.Version).toBe(2);
  });

  it('allows ten labels on a version and no more', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => `l${i}`);
    await client.send(new LabelParameterVersionCommand({ Name: 'lab', ParameterVersion: 3, Labels: ten }));
    const e = await awsError(client.send(new LabelParameterVersionCommand({ Name: 'lab', ParameterVersion: 3, Labels: ['eleventh'] })));
    expect(e).toMatchObject({
      name: 'ParameterVersionLabelLimitExceeded',
      message: 'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.',
    });
  });

  it('fails on a missing parameter or version', async () => {
    expect(await awsError(client.send(new LabelParameterVersionCommand({ Name: 'nope', Labels: ['x'] })))).toMatchObject({
      name: 'ParameterNotFound',
      message: 'Parameter nope not found.',
    });
    expect(await awsError(client.send(new LabelParameterVersionCommand({ Name: 'lab', ParameterVersion: 7, Labels: ['x'] })))).toMatchObject({
      name: 'ParameterVersionNotFound',
      message: 'Systems Manager could not find version 7 of lab. Verify the version and try again.',
    });
  });

  it('unlabels only the labels a version carries', async () => {
    const out = await client.send(new UnlabelParameterVersionCommand({ Name: 'lab', ParameterVersion: 1, Labels: ['first', 'never'] }));
    expect(out).toMatchObject({ RemovedLabels: ['first'], InvalidLabels: ['never'] });
    expect((await awsError(client.send(new GetParameterCommand({ Name: 'lab:first' })))).name).toBe('ParameterNotFound');
  });
});

describe('parameter policies', () => {
  it('deletes a parameter when its Expiration policy passes on the injected clock', async () => {
    const expiry = new Date(clock.now().getTime() + 3600_000).toISOString();
    const Policies = JSON.stringify([{ Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: expiry } }]);
    const put = await client.send(new PutParameterCommand({ Name: '/temp', Value: 'v', Type: 'String', Tier: 'Advanced', Policies }));
    expect(put.Tier).toBe('Advanced');
    const described = await client.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/temp'] }] }));
    expect(described.Parameters![0].Policies).toEqual([
      { PolicyText: JSON.stringify({ Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: expiry } }), PolicyType: 'Expiration', PolicyStatus: 'Pending' },
    ]);
    clock.advance(3600_000);
    expect((await awsError(client.send(new GetParameterCommand({ Name: '/temp' })))).name).toBe('ParameterNotFound');
  });

  it('puts a parameter with policies in the advanced tier under Intelligent-Tiering, and refuses bad policies', async () => {
    const Policies = JSON.stringify([{ Type: 'NoChangeNotification', Version: '1.0', Attributes: { After: '20', Unit: 'Days' } }]);
    const put = await client.send(new PutParameterCommand({ Name: '/watched', Value: 'v', Type: 'String', Tier: 'Intelligent-Tiering', Policies }));
    expect(put.Tier).toBe('Advanced');
    const bad = JSON.stringify([{ Type: 'Explode', Version: '1.0', Attributes: {} }]);
    expect((await awsError(client.send(new PutParameterCommand({ Name: '/p2', Value: 'v', Type: 'String', Tier: 'Advanced', Policies: bad })))).name).toBe(
      'InvalidPolicyTypeException',
    );
    const twice = JSON.stringify([
      { Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: '2099-01-01T00:00:00Z' } },
      { Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: '2099-01-02T00:00:00Z' } },
    ]);
    expect((await awsError(client.send(new PutParameterCommand({ Name: '/p2', Value: 'v', Type: 'String', Tier: 'Advanced', Policies: twice })))).name).toBe(
      'IncompatiblePolicyException',
    );
  });
});
