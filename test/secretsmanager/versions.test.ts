import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  paginateListSecretVersionIds,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { secretsManager } from './helpers.js';

let server: RunningServer;
let client: SecretsManagerClient;
beforeAll(async () => {
  server = await testServer();
  client = secretsManager(server);
});
afterAll(() => server.stop());

async function stagesOf(name: string, includeDeprecated = false) {
  const { Versions } = await client.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: includeDeprecated }));
  return Versions!.map((v) => [v.VersionId, v.VersionStages ?? []]);
}

describe('ListSecretVersionIds', () => {
  it('lists versions oldest first with their stages, hiding deprecated ones unless asked', async () => {
    const v0 = (await client.send(new CreateSecretCommand({ Name: 'listed', SecretString: 'S0' }))).VersionId!;
    const v1 = (await client.send(new PutSecretValueCommand({ SecretId: 'listed', SecretString: 'S1', VersionStages: ['one', 'two', 'three'] }))).VersionId!;
    const v2 = (await client.send(new PutSecretValueCommand({ SecretId: 'listed', SecretString: 'S2', VersionStages: ['one', 'two', 'three', 'four'] }))).VersionId!;
    expect(await stagesOf('listed')).toEqual([
      [v0, ['AWSCURRENT']],
      [v2, ['one', 'two', 'three', 'four']],
    ]);
    expect(await stagesOf('listed', true)).toEqual([
      [v0, ['AWSCURRENT']],
      [v1, []],
      [v2, ['one', 'two', 'three', 'four']],
    ]);
    const { Versions, ARN, Name } = await client.send(new ListSecretVersionIdsCommand({ SecretId: 'listed' }));
    expect(Name).toBe('listed');
    expect(ARN).toMatch(/:secret:listed-/);
    expect(Versions![0]).toMatchObject({ KmsKeyIds: ['DefaultEncryptionKey'] });
    expect(Versions![0].CreatedDate).toBeInstanceOf(Date);
  });

  it('leaves a label that was not moved where it was', async () => {
    await client.send(new CreateSecretCommand({ Name: 'partial', SecretString: 'S0' }));
    const v1 = (await client.send(new PutSecretValueCommand({ SecretId: 'partial', SecretString: 'S1', VersionStages: ['one', 'two', 'three'] }))).VersionId!;
    const v2 = (await client.send(new PutSecretValueCommand({ SecretId: 'partial', SecretString: 'S2', VersionStages: ['one', 'two', 'four'] }))).VersionId!;
    const stages = await stagesOf('partial');
    expect(stages.slice(1)).toEqual([
      [v1, ['three']],
      [v2, ['one', 'two', 'four']],
    ]);
  });

  it('pages', async () => {
    await client.send(new CreateSecretCommand({ Name: 'many', SecretString: '0' }));
    for (let i = 1; i < 5; i++) await client.send(new PutSecretValueCommand({ SecretId: 'many', SecretString: String(i), VersionStages: [`s${i}`] }));
    const ids: string[] = [];
    for await (const page of paginateListSecretVersionIds({ client, pageSize: 2 }, { SecretId: 'many' })) ids.push(...page.Versions!.map((v) => v.VersionId!));
    expect(ids).toHaveLength(5);
    expect((await awsError(client.send(new ListSecretVersionIdsCommand({ SecretId: 'many', NextToken: 'bogus' })))).name).toBe('InvalidNextTokenException');
  });
});

describe('UpdateSecretVersionStage', () => {
  it('promotes a pending version, leaving AWSPREVIOUS on the one it replaced', async () => {
    const v0 = (await client.send(new CreateSecretCommand({ Name: 'staged', SecretString: 'S1' }))).VersionId!;
    const v1 = (await client.send(new PutSecretValueCommand({ SecretId: 'staged', SecretString: 'S2', VersionStages: ['AWSPENDING', 'PUT1'] }))).VersionId!;
    const out = await client.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'AWSCURRENT', RemoveFromVersionId: v0, MoveToVersionId: v1 }));
    expect(Object.keys(out).filter((k) => k !== '$metadata').sort()).toEqual(['ARN', 'Name']);
    expect(await stagesOf('staged')).toEqual([
      [v0, ['AWSPREVIOUS']],
      [v1, ['AWSPENDING', 'PUT1', 'AWSCURRENT']],
    ]);
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'staged' }))).SecretString).toBe('S2');
  });

  it('supersedes a finished rotation when a new current value arrives', async () => {
    const v2 = (await client.send(new PutSecretValueCommand({ SecretId: 'staged', SecretString: 'S3' }))).VersionId!;
    const listed = await stagesOf('staged');
    expect(listed.slice(-2)).toEqual([
      [listed[listed.length - 2][0], ['PUT1', 'AWSPREVIOUS']],
      [v2, ['AWSCURRENT']],
    ]);
  });

  it('requires naming the version a label is taken from', async () => {
    const holder = (await client.send(new GetSecretValueCommand({ SecretId: 'staged' }))).VersionId!;
    const target = (await client.send(new PutSecretValueCommand({ SecretId: 'staged', SecretString: 'S4', VersionStages: ['NEXT'] }))).VersionId!;
    expect(await awsError(client.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'AWSCURRENT', MoveToVersionId: target })))).toMatchObject({
      name: 'InvalidParameterException',
      message: `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${holder}, so you must explicitly reference that version in RemoveFromVersionId.`,
    });
    expect((await awsError(client.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'AWSCURRENT', RemoveFromVersionId: holder })))).name).toBe(
      'InvalidParameterException',
    );
    expect((await awsError(client.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'NEXT', RemoveFromVersionId: holder })))).name).toBe(
      'InvalidParameterException',
    );
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'staged' }))).VersionId).toBe(holder);
  });

  it('moves and removes custom labels', async () => {
    const current = (await client.send(new GetSecretValueCommand({ SecretId: 'staged' }))).VersionId!;
    const next = (await client.send(new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'NEXT' }))).VersionId!;
    await client.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'NEXT', RemoveFromVersionId: next, MoveToVersionId: current }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'NEXT' }))).VersionId).toBe(current);
    await client.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'NEXT', RemoveFromVersionId: current }));
    expect((await awsError(client.send(new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'NEXT' })))).name).toBe('ResourceNotFoundException');
  });
});
