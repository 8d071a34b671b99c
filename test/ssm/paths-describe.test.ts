import {
  DescribeParametersCommand,
  GetParametersByPathCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  paginateDescribeParameters,
  paginateGetParametersByPath,
  type ParameterMetadata,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { ssm } from './helpers.js';

let server: RunningServer;
let client: SSMClient;
beforeAll(async () => {
  server = await testServer();
  client = ssm(server);
  const put = (Name: string, Value: string, Type: 'String' | 'StringList' | 'SecureString' = 'String', extra = {}) =>
    client.send(new PutParameterCommand({ Name, Value, Type, ...extra }));
  await put('/foo/name1', 'value1');
  await put('/foo/name2', 'value2');
  await put('/bar/name3', 'value3');
  await put('/bar/name3/name4', 'value4');
  await put('/baz/name1', 'value1,value2', 'StringList');
  await put('/baz/name2', 'value1');
  await put('/baz/pwd', 'my_secret', 'SecureString', { KeyId: 'alias/custom' });
  await put('foo', 'bar', 'String', { Tags: [{ Key: 'team', Value: 'red' }] });
  await put('baz', 'qux', 'String', { Tags: [{ Key: 'team', Value: 'blue' }], Description: 'the baz' });
});
afterAll(() => server.stop());

const names = (ps: { Name?: string }[] | undefined) => (ps ?? []).map((p) => p.Name!).sort();

describe('GetParametersByPath', () => {
  it('returns one level, or everything beneath with Recursive', async () => {
    expect(names((await client.send(new GetParametersByPathCommand({ Path: '/foo' }))).Parameters)).toEqual(['/foo/name1', '/foo/name2']);
    expect(names((await client.send(new GetParametersByPathCommand({ Path: '/bar/' }))).Parameters)).toEqual(['/bar/name3']);
    expect(names((await client.send(new GetParametersByPathCommand({ Path: '/bar', Recursive: true }))).Parameters)).toEqual(['/bar/name3', '/bar/name3/name4']);
    expect(names((await client.send(new GetParametersByPathCommand({ Path: '/' }))).Parameters)).toEqual(['baz', 'foo']);
  });

  it('filters by type and key, and decrypts on request', async () => {
    const lists = await client.send(new GetParametersByPathCommand({ Path: '/baz', ParameterFilters: [{ Key: 'Type', Values: ['StringList'] }] }));
    expect(names(lists.Parameters)).toEqual(['/baz/name1']);
    const begins = await client.send(new GetParametersByPathCommand({ Path: '/baz', ParameterFilters: [{ Key: 'Type', Option: 'BeginsWith', Values: ['String'] }] }));
    expect(names(begins.Parameters)).toEqual(['/baz/name1', '/baz/name2']);
    const keyed = await client.send(
      new GetParametersByPathCommand({ Path: '/baz', WithDecryption: true, ParameterFilters: [{ Key: 'KeyId', Values: ['alias/custom'] }] }),
    );
    expect(keyed.Parameters).toMatchObject([{ Name: '/baz/pwd', Value: 'my_secret' }]);
  });

  it('returns the labelled version for a Label filter', async () => {
    await client.send(new PutParameterCommand({ Name: '/foo/name2', Value: 'value2b', Overwrite: true }));
    await client.send(new LabelParameterVersionCommand({ Name: '/foo/name2', ParameterVersion: 1, Labels: ['old'] }));
    const out = await client.send(new GetParametersByPathCommand({ Path: '/foo', ParameterFilters: [{ Key: 'Label', Values: ['old'] }] }));
    expect(out.Parameters).toMatchObject([{ Name: '/foo/name2', Value: 'value2', Version: 1 }]);
  });

  it('pages with NextToken', async () => {
    const first = await client.send(new GetParametersByPathCommand({ Path: '/', Recursive: true, MaxResults: 4 }));
    expect(first.Parameters).toHaveLength(4);
    expect(first.NextToken).toBeDefined();
    const all: string[] = [];
    for await (const p of paginateGetParametersByPath({ client, pageSize: 4 }, { Path: '/', Recursive: true })) all.push(...names(p.Parameters));
    expect(all).toHaveLength(9);
    expect(new Set(all).size).toBe(9);
    expect((await awsError(client.send(new GetParametersByPathCommand({ Path: '/', NextToken: 'garbage' })))).name).toBe('InvalidNextToken');
  });

  it('refuses filters it does not support and malformed paths', async () => {
    for (const Key of ['Name', 'Path', 'Tier']) {
      const e = await awsError(client.send(new GetParametersByPathCommand({ Path: '/baz', ParameterFilters: [{ Key, Values: ['x'] }] })));
      expect(e).toMatchObject({ name: 'InvalidFilterKey', message: `The following filter key is not valid: ${Key}. Valid filter keys include: [Type, KeyId].` });
    }
    const e = await awsError(client.send(new GetParametersByPathCommand({ Path: 'no-slash' })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/^The parameter doesn't meet the parameter name requirements\./);
    const big = await awsError(client.send(new GetParametersByPathCommand({ Path: '/', MaxResults: 11 })));
    expect(big.message).toBe("1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10");
  });
});

describe('DescribeParameters', () => {
  it('describes every parameter with its metadata, never its value', async () => {
    const all: ParameterMetadata[] = [];
    for await (const p of paginateDescribeParameters({ client, pageSize: 5 }, {})) all.push(...(p.Parameters ?? []));
    expect(all.map((p) => p.Name)).toEqual(all.map((p) => p.Name!).sort());
    expect(all).toHaveLength(9);
    const baz = all.find((p) => p.Name === 'baz')!;
    expect(baz).toMatchObject({
      Type: 'String',
      Description: 'the baz',
      Version: 1,
      Tier: 'Standard',
      DataType: 'text',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/baz',
      LastModifiedUser: 'arn:aws:iam::000000000000:root',
    });
    expect(baz).not.toHaveProperty('Value');
    expect(all.find((p) => p.Name === '/baz/pwd')).toMatchObject({ KeyId: 'alias/custom' });
  });

  it('filters by name, path, tag, type and tier', async () => {
    const run = async (ParameterFilters: { Key: string; Option?: string; Values?: string[] }[]) =>
      names((await client.send(new DescribeParametersCommand({ ParameterFilters, MaxResults: 50 }))).Parameters);
    expect(await run([{ Key: 'Name', Values: ['/foo'] }])).toEqual(['foo']);
    expect(await run([{ Key: 'Name', Option: 'BeginsWith', Values: ['/baz/'] }])).toEqual(['/baz/name1', '/baz/name2', '/baz/pwd']);
    expect(await run([{ Key: 'Name', Option: 'Contains', Values: ['name3'] }])).toEqual(['/bar/name3', '/bar/name3/name4']);
    expect(await run([{ Key: 'Path', Values: ['/'] }])).toEqual(['baz', 'foo']);
    expect(await run([{ Key: 'Path', Option: 'Recursive', Values: ['/bar'] }])).toEqual(['/bar/name3', '/bar/name3/name4']);
    expect(await run([{ Key: 'Path', Option: 'OneLevel', Values: ['/bar/name3'] }])).toEqual(['/bar/name3/name4']);
    expect(await run([{ Key: 'tag:team', Values: ['red'] }])).toEqual(['foo']);
    expect(await run([{ Key: 'tag:team' }])).toEqual(['baz', 'foo']);
    expect(await run([{ Key: 'Type', Values: ['SecureString'] }])).toEqual(['/baz/pwd']);
    expect(await run([{ Key: 'Tier', Values: ['Advanced'] }])).toEqual([]);
    const legacy = await client.send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['/baz'] }] }));
    expect(names(legacy.Parameters)).toEqual(['/baz/name1', '/baz/name2', '/baz/pwd']);
  });

  it('answers malformed filters with the error AWS gives for each', async () => {
    const run = (ParameterFilters: { Key: string; Option?: string; Values?: string[] }[]) => awsError(client.send(new DescribeParametersCommand({ ParameterFilters })));
    expect(await run([{ Key: 'Label', Values: ['x'] }])).toMatchObject({
      name: 'InvalidFilterKey',
      message: 'The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].',
    });
    expect(await run([{ Key: 'Name' }])).toMatchObject({ name: 'InvalidFilterValue', message: 'The following filter values are missing : null for filter key Name.' });
    expect(await run([{ Key: 'Name', Values: ['a'] }, { Key: 'Name', Values: ['b'] }])).toMatchObject({
      name: 'InvalidFilterKey',
      message: 'The following filter is duplicated in the request: Name. A request can contain only one occurrence of a specific filter.',
    });
    expect(await run([{ Key: 'Path', Option: 'Equals', Values: ['/x'] }])).toMatchObject({
      name: 'InvalidFilterOption',
      message: 'The following filter option is not valid: Equals. Valid options include: [Recursive, OneLevel].',
    });
    expect(await run([{ Key: 'Type', Values: ['test'] }])).toMatchObject({
      name: 'InvalidFilterValue',
      message: 'The following filter value is not valid: test. Valid values include: [String, StringList, SecureString].',
    });
    expect((await run([{ Key: 'Path', Values: ['/aws'] }])).message).toMatch(/^Filters for common parameters can't be prefixed with "aws" or "ssm"/);
    expect((await run([{ Key: 'key' }])).message).toBe(
      "1 validation error detected: Value 'key' at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType",
    );
    const both = await awsError(
      client.send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['x'] }], ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })),
    );
    expect(both).toMatchObject({ name: 'ValidationException', message: 'You can use either Filters or ParameterFilters in a single request.' });
  });
});
