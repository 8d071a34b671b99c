import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand, paginateListSecrets, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { manualClock, secretsManager } from './helpers.js';

const clock = manualClock();
let server: RunningServer;
let client: SecretsManagerClient;
beforeAll(async () => {
  server = await testServer({ clock });
  client = secretsManager(server);
  const create = async (Name: string, Description?: string, Tags?: { Key: string; Value: string }[]) => {
    await client.send(new CreateSecretCommand({ Name, SecretString: 'v', Description, Tags }));
    clock.advance(1000);
  };
  await create('DatabaseSecret', 'My basic description', [{ Key: 'team', Value: 'payments' }]);
  await create('databaseSecret', 'Description of my secret');
  await create('prod/api-key', 'API key for prod', [{ Key: 'env', Value: 'prod' }]);
  await create('dev/api-key', undefined, [{ Key: 'env', Value: 'dev' }]);
  await create('MyData');
});
afterAll(() => server.stop());

const list = async (Filters: { Key: string; Values: string[] }[]) =>
  (await client.send(new ListSecretsCommand({ Filters: Filters as never }))).SecretList!.map((s) => s.Name).sort();

describe('ListSecrets', () => {
  it('lists secrets with what DescribeSecret shows, in creation order', async () => {
    const { SecretList } = await client.send(new ListSecretsCommand({}));
    expect(SecretList!.map((s) => s.Name)).toEqual(['DatabaseSecret', 'databaseSecret', 'prod/api-key', 'dev/api-key', 'MyData']);
    expect(SecretList![0]).toMatchObject({ Description: 'My basic description', Tags: [{ Key: 'team', Value: 'payments' }] });
    expect(Object.values(SecretList![0].SecretVersionsToStages!)).toEqual([['AWSCURRENT']]);
    expect(SecretList![0]).not.toHaveProperty('SecretString');
  });

  it('sorts by name or date in either order', async () => {
    const byName = await client.send(new ListSecretsCommand({ SortBy: 'name', SortOrder: 'desc' }));
    expect(byName.SecretList!.map((s) => s.Name)).toEqual(['prod/api-key', 'dev/api-key', 'databaseSecret', 'MyData', 'DatabaseSecret']);
    const newest = await client.send(new ListSecretsCommand({ SortOrder: 'desc' }));
    expect(newest.SecretList![0].Name).toBe('MyData');
  });

  it('filters names by case-sensitive prefix, with ! to exclude', async () => {
    expect(await list([{ Key: 'name', Values: ['Data'] }])).toEqual(['DatabaseSecret']);
    expect(await list([{ Key: 'name', Values: ['prod/', 'dev/'] }])).toEqual(['dev/api-key', 'prod/api-key']);
    expect(await list([{ Key: 'name', Values: ['!prod', '!dev'] }])).toEqual(['DatabaseSecret', 'MyData', 'databaseSecret']);
  });

  it('filters descriptions by words regardless of case, and tags by prefix', async () => {
    expect(await list([{ Key: 'description', Values: ['my description'] }])).toEqual(['DatabaseSecret', 'databaseSecret']);
    expect(await list([{ Key: 'tag-key', Values: ['en'] }])).toEqual(['dev/api-key', 'prod/api-key']);
    expect(await list([{ Key: 'tag-value', Values: ['pay'] }])).toEqual(['DatabaseSecret']);
    expect(await list([{ Key: 'tag-key', Values: ['env'] }, { Key: 'tag-value', Values: ['prod'] }])).toEqual(['prod/api-key']);
    expect(await list([{ Key: 'primary-region', Values: ['us-east-1'] }])).toEqual([]);
  });

  it('searches every attribute by words with the all filter', async () => {
    expect(await list([{ Key: 'all', Values: ['api'] }])).toEqual(['dev/api-key', 'prod/api-key']);
    expect(await list([{ Key: 'all', Values: ['payments'] }])).toEqual(['DatabaseSecret']);
    expect(await list([{ Key: 'all', Values: ['secret'] }])).toEqual(['DatabaseSecret', 'databaseSecret']);
  });

  it('pages, and refuses a token it did not hand out', async () => {
    const names: string[] = [];
    for await (const page of paginateListSecrets({ client, pageSize: 2 }, {})) names.push(...page.SecretList!.map((s) => s.Name!));
    expect(names).toHaveLength(5);
    expect(await awsError(client.send(new ListSecretsCommand({ NextToken: 'nope' })))).toMatchObject({
      name: 'InvalidNextTokenException',
      message: 'The NextToken value is invalid.',
    });
    expect((await awsError(client.send(new ListSecretsCommand({ Filters: [{ Key: 'colour' as never, Values: ['x'] }] })))).name).toBe('ValidationException');
  });

  it('shows when a secret was last read', async () => {
    await client.send(new GetSecretValueCommand({ SecretId: 'MyData' }));
    const { SecretList } = await client.send(new ListSecretsCommand({ SortBy: 'last-accessed-date', SortOrder: 'desc' }));
    expect(SecretList![0].Name).toBe('MyData');
    expect(SecretList![0].LastAccessedDate).toBeInstanceOf(Date);
  });
});
