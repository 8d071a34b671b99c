import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { DAY, manualClock, secretsManager } from './helpers.js';

const clock = manualClock();
let server: RunningServer;
let client: SecretsManagerClient;
beforeAll(async () => {
  server = await testServer({ clock });
  client = secretsManager(server);
});
afterAll(() => server.stop());

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const INVALID_NAME = 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!';

describe('CreateSecret and GetSecretValue', () => {
  it('creates a secret whose ARN carries a six-character suffix, and reads its value', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: 'prod/db/password', SecretString: 'hunter2', Description: 'db' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:prod\/db\/password-[A-Za-z0-9]{6}$/);
    expect(created.Name).toBe('prod/db/password');
    const value = await client.send(new GetSecretValueCommand({ SecretId: 'prod/db/password' }));
    expect(value).toMatchObject({ ARN: created.ARN, Name: 'prod/db/password', VersionId: created.VersionId, SecretString: 'hunter2', VersionStages: ['AWSCURRENT'] });
    expect(value.CreatedDate).toEqual(clock.now());
  });

  it('finds a secret by complete ARN and by partial ARN', async () => {
    const { ARN } = await client.send(new DescribeSecretCommand({ SecretId: 'prod/db/password' }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString).toBe('hunter2');
    expect((await client.send(new GetSecretValueCommand({ SecretId: ARN!.slice(0, -7) }))).SecretString).toBe('hunter2');
    expect(await awsError(client.send(new GetSecretValueCommand({ SecretId: `${ARN!.slice(0, -6)}XXXXXX` })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: NOT_FOUND,
    });
  });

  it('does not read a name that ends like a suffix through a partial ARN', async () => {
    const { ARN } = await client.send(new CreateSecretCommand({ Name: 'odd-a1b2c3', SecretString: 'x' }));
    expect((await awsError(client.send(new GetSecretValueCommand({ SecretId: ARN!.slice(0, -7) })))).name).toBe('ResourceNotFoundException');
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'odd-a1b2c3' }))).SecretString).toBe('x');
  });

  it('keeps binary secrets as bytes', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await client.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
    const value = await client.send(new GetSecretValueCommand({ SecretId: 'binary' }));
    expect(value.SecretString).toBeUndefined();
    expect(Buffer.from(value.SecretBinary!)).toEqual(Buffer.from(bytes));
  });

  it('refuses a second secret of the same name, both kinds of value at once, and bad names', async () => {
    expect(await awsError(client.send(new CreateSecretCommand({ Name: 'prod/db/password', SecretString: 'again' })))).toMatchObject({
      name: 'ResourceExistsException',
      message: 'The operation failed because the secret prod/db/password already exists.',
      status: 400,
    });
    expect(await awsError(client.send(new CreateSecretCommand({ Name: 'both', SecretString: 's', SecretBinary: new Uint8Array([1]) })))).toMatchObject({
      name: 'InvalidParameterException',
      message: "You can't specify both a binary secret value and a string secret value in the same secret.",
    });
    for (const name of ['Inv Name', ' Inv*Name? ']) {
      expect(await awsError(client.send(new CreateSecretCommand({ Name: name, SecretString: 's' })))).toMatchObject({ name: 'ValidationException', message: INVALID_NAME });
      expect(await awsError(client.send(new GetSecretValueCommand({ SecretId: name })))).toMatchObject({ name: 'ValidationException', message: INVALID_NAME });
    }
    expect((await awsError(client.send(new DescribeSecretCommand({ SecretId: 'both' })))).name).toBe('ResourceNotFoundException');
  });

  it('answers a retried create (same token, same value) as the first one', async () => {
    const token = randomUUID();
    const first = await client.send(new CreateSecretCommand({ Name: 'retried', SecretString: 'v', ClientRequestToken: token }));
    const again = await client.send(new CreateSecretCommand({ Name: 'retried', SecretString: 'v', ClientRequestToken: token }));
    expect(again).toMatchObject({ ARN: first.ARN, VersionId: token });
  });

  it('creates a secret without a value, which has nothing to read yet', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: 'empty' }));
    expect(created.VersionId).toBeUndefined();
    expect(await awsError(client.send(new GetSecretValueCommand({ SecretId: 'empty' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    });
  });

  it('reports a missing secret and a missing version as AWS does', async () => {
    expect(await awsError(client.send(new GetSecretValueCommand({ SecretId: 'missing' })))).toMatchObject({ name: 'ResourceNotFoundException', message: NOT_FOUND });
    const id = randomUUID();
    expect(await awsError(client.send(new GetSecretValueCommand({ SecretId: 'prod/db/password', VersionId: id })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Secrets Manager can't find the specified secret value for VersionId: ${id}`,
    });
    expect((await awsError(client.send(new GetSecretValueCommand({ SecretId: 'prod/db/password', VersionStage: 'AWSPREVIOUS' })))).message).toBe(
      "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    );
  });

  it('never quotes a secret value back in a validation error', async () => {
    const e = await awsError(client.send(new CreateSecretCommand({ Name: 'huge', SecretString: `leak-${'x'.repeat(65536)}` })));
    expect(e.message).toBe("1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536");
    const token = await awsError(client.send(new CreateSecretCommand({ Name: 'tok', SecretString: 'v', ClientRequestToken: 'short' })));
    expect(token.message).toBe("1 validation error detected: Value 'short' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32");
  });
});

describe('PutSecretValue and UpdateSecret', () => {
  it('moves AWSCURRENT to a new value and AWSPREVIOUS to the old one', async () => {
    await client.send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'v1' }));
    clock.advance(1000);
    const put = await client.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'v2' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }))).SecretString).toBe('v2');
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('v1');
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionId: put.VersionId }))).SecretString).toBe('v2');
    expect(await awsError(client.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionId: put.VersionId, VersionStage: 'AWSPREVIOUS' })))).toMatchObject({
      name: 'InvalidRequestException',
      message: 'You provided a VersionStage that is not associated to the provided VersionId.',
    });
  });

  it('treats a repeated token as a retry and refuses it with another value', async () => {
    const token = randomUUID();
    await client.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'v3', ClientRequestToken: token }));
    const again = await client.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'v3', ClientRequestToken: token }));
    expect(again).toMatchObject({ VersionId: token, VersionStages: ['AWSCURRENT'] });
    expect(await awsError(client.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'other', ClientRequestToken: token })))).toMatchObject({
      name: 'ResourceExistsException',
      message: "You can't modify an existing version, you can only create a new version.",
    });
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }))).SecretString).toBe('v3');
  });

  it('puts a value under a custom stage without touching AWSCURRENT', async () => {
    const put = await client.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'pending', VersionStages: ['AWSPENDING'] }));
    expect(put.VersionStages).toEqual(['AWSPENDING']);
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }))).SecretString).toBe('v3');
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPENDING' }))).SecretString).toBe('pending');
  });

  it('requires a value for PutSecretValue', async () => {
    expect((await awsError(client.send(new PutSecretValueCommand({ SecretId: 'rotating' })))).name).toBe('InvalidParameterException');
    expect((await awsError(client.send(new PutSecretValueCommand({ SecretId: 'nope', SecretString: 'x' })))).name).toBe('ResourceNotFoundException');
  });

  it('updates the description alone, or adds a version with a new value', async () => {
    const before = await client.send(new DescribeSecretCommand({ SecretId: 'prod/db/password' }));
    clock.advance(5000);
    const described = await client.send(new UpdateSecretCommand({ SecretId: 'prod/db/password', Description: 'the database' }));
    expect(described.VersionId).toBeUndefined();
    const after = await client.send(new DescribeSecretCommand({ SecretId: 'prod/db/password' }));
    expect(after.Description).toBe('the database');
    expect(after.LastChangedDate!.getTime()).toBeGreaterThan(before.LastChangedDate!.getTime());
    const updated = await client.send(new UpdateSecretCommand({ SecretId: 'prod/db/password', SecretString: 'hunter3', KmsKeyId: 'alias/custom' }));
    expect(updated.VersionId).toBeDefined();
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'prod/db/password' }))).SecretString).toBe('hunter3');
    expect((await client.send(new DescribeSecretCommand({ SecretId: 'prod/db/password' }))).KmsKeyId).toBe('alias/custom');
  });
});

describe('DescribeSecret, tags and last access', () => {
  it('describes a secret with its stages, tags and dates', async () => {
    await client.send(new CreateSecretCommand({ Name: 'described', SecretString: 'v', Tags: [{ Key: 'team', Value: 'red' }] }));
    await client.send(new TagResourceCommand({ SecretId: 'described', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'blue' }] }));
    await client.send(new UntagResourceCommand({ SecretId: 'described', TagKeys: ['env'] }));
    let d = await client.send(new DescribeSecretCommand({ SecretId: 'described' }));
    expect(d.Tags).toEqual([{ Key: 'team', Value: 'blue' }]);
    expect(Object.values(d.VersionIdsToStages!)).toEqual([['AWSCURRENT']]);
    expect(d.LastAccessedDate).toBeUndefined();
    expect(d.CreatedDate).toEqual(clock.now());
    expect(d.DeletedDate).toBeUndefined();
    clock.advance(DAY / 2);
    await client.send(new GetSecretValueCommand({ SecretId: 'described' }));
    d = await client.send(new DescribeSecretCommand({ SecretId: 'described' }));
    const day = new Date(Math.floor(clock.now().getTime() / DAY) * DAY);
    expect(d.LastAccessedDate).toEqual(day);
  });

  it('refuses tags on a missing secret', async () => {
    expect((await awsError(client.send(new TagResourceCommand({ SecretId: 'nope', Tags: [{ Key: 'k', Value: 'v' }] })))).name).toBe('ResourceNotFoundException');
  });
});
