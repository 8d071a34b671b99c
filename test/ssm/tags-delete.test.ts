import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
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
});
afterAll(() => server.stop());

describe('tags', () => {
  it('adds, lists, overwrites and removes tags on a parameter', async () => {
    await client.send(new PutParameterCommand({ Name: '/t/one', Value: 'v', Type: 'String', Tags: [{ Key: 'env', Value: 'dev' }] }));
    await client.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/one', Tags: [{ Key: 'team', Value: 'red' }, { Key: 'env', Value: 'prod' }] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/one' }))).TagList).toEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'red' },
    ]);
    await client.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/one', TagKeys: ['env', 'absent'] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/one' }))).TagList).toEqual([{ Key: 'team', Value: 'red' }]);
  });

  it('keeps tags when the value is overwritten', async () => {
    await client.send(new PutParameterCommand({ Name: '/t/one', Value: 'v2', Overwrite: true }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/one' }))).TagList).toEqual([{ Key: 'team', Value: 'red' }]);
  });

  it('refuses unknown resources, other resource types and more than 50 tags', async () => {
    expect(await awsError(client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/none' })))).toMatchObject({
      name: 'InvalidResourceId',
      status: 400,
    });
    expect((await awsError(client.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'doc' })))).name).toBe('InvalidResourceId');
    expect((await awsError(client.send(new ListTagsForResourceCommand({ ResourceType: 'Bucket' as never, ResourceId: 'x' })))).name).toBe('ValidationException');
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const e = await awsError(client.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/one', Tags: many })));
    expect(e.name).toBe('TooManyTagsError');
    expect((await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/t/one' }))).TagList).toHaveLength(1);
  });
});

describe('DeleteParameter and DeleteParameters', () => {
  it('deletes a parameter with its history, labels and tags; a new one under the name starts again at 1', async () => {
    await client.send(new PutParameterCommand({ Name: '/d/one', Value: 'a', Type: 'String', Tags: [{ Key: 'k', Value: 'v' }] }));
    await client.send(new PutParameterCommand({ Name: '/d/one', Value: 'b', Overwrite: true }));
    await client.send(new DeleteParameterCommand({ Name: '/d/one' }));
    expect((await awsError(client.send(new GetParameterHistoryCommand({ Name: '/d/one' })))).name).toBe('ParameterNotFound');
    expect((await client.send(new PutParameterCommand({ Name: '/d/one', Value: 'c', Type: 'String' }))).Version).toBe(1);
    expect((await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/d/one' }))).TagList).toEqual([]);
  });

  it('reports a missing parameter', async () => {
    expect(await awsError(client.send(new DeleteParameterCommand({ Name: '/d/none' })))).toMatchObject({
      name: 'ParameterNotFound',
      message: 'Parameter /d/none not found.',
    });
  });

  it('deletes several at once and lists those it could not find', async () => {
    await client.send(new PutParameterCommand({ Name: '/d/two', Value: 'v', Type: 'String' }));
    const out = await client.send(new DeleteParametersCommand({ Names: ['/d/one', '/d/two', '/d/none'] }));
    expect(out).toMatchObject({ DeletedParameters: ['/d/one', '/d/two'], InvalidParameters: ['/d/none'] });
    expect((await awsError(client.send(new GetParameterCommand({ Name: '/d/two' })))).name).toBe('ParameterNotFound');
  });
});
