import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UpdateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
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

const MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

describe('DeleteSecret and RestoreSecret', () => {
  it('schedules deletion after a recovery window, refusing reads and changes meanwhile', async () => {
    const { ARN } = await client.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'v' }));
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }));
    expect(deleted).toMatchObject({ ARN, Name: 'doomed' });
    expect(deleted.DeletionDate!.getTime()).toBe(clock.now().getTime() + 7 * DAY);
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'doomed' }));
    expect(described.DeletedDate).toEqual(clock.now());
    for (const call of [
      client.send(new GetSecretValueCommand({ SecretId: 'doomed' })),
      client.send(new PutSecretValueCommand({ SecretId: 'doomed', SecretString: 'x' })),
      client.send(new UpdateSecretCommand({ SecretId: 'doomed', Description: 'x' })),
      client.send(new TagResourceCommand({ SecretId: 'doomed', Tags: [{ Key: 'k', Value: 'v' }] })),
      client.send(new DeleteSecretCommand({ SecretId: 'doomed' })),
    ]) {
      expect(await awsError(call)).toMatchObject({ name: 'InvalidRequestException', message: MARKED, status: 400 });
    }
    expect(await awsError(client.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'again' })))).toMatchObject({
      name: 'InvalidRequestException',
      message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
    });
    const listed = await client.send(new ListSecretsCommand({}));
    expect(listed.SecretList!.map((s) => s.Name)).not.toContain('doomed');
    const planned = await client.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(planned.SecretList!.find((s) => s.Name === 'doomed')!.DeletedDate).toEqual(clock.now());
  });

  it('restores a secret before the window ends', async () => {
    expect(await client.send(new RestoreSecretCommand({ SecretId: 'doomed' }))).toMatchObject({ Name: 'doomed' });
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'doomed' }))).SecretString).toBe('v');
    expect((await client.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).DeletedDate).toBeUndefined();
  });

  it('deletes the secret for good once the window has passed on the injected clock', async () => {
    await client.send(new DeleteSecretCommand({ SecretId: 'doomed' }));
    clock.advance(30 * DAY - 1);
    expect((await client.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).Name).toBe('doomed');
    clock.advance(1);
    expect((await awsError(client.send(new DescribeSecretCommand({ SecretId: 'doomed' })))).name).toBe('ResourceNotFoundException');
    expect((await client.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'new' }))).Name).toBe('doomed');
  });

  it('deletes at once without recovery, even a secret already scheduled', async () => {
    await client.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'v' }));
    await client.send(new DeleteSecretCommand({ SecretId: 'gone' }));
    const forced = await client.send(new DeleteSecretCommand({ SecretId: 'gone', ForceDeleteWithoutRecovery: true }));
    expect(forced.DeletionDate).toEqual(clock.now());
    expect((await awsError(client.send(new RestoreSecretCommand({ SecretId: 'gone' })))).name).toBe('ResourceNotFoundException');
    await client.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'back' }));
  });

  it('answers a forced delete of a secret that does not exist as if it had deleted it', async () => {
    const out = await client.send(new DeleteSecretCommand({ SecretId: 'never-was', ForceDeleteWithoutRecovery: true }));
    expect(out.Name).toBe('never-was');
    expect(out.ARN).toMatch(/:secret:never-was-[A-Za-z0-9]{6}$/);
    expect(await awsError(client.send(new DeleteSecretCommand({ SecretId: 'never-was' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
  });

  it('checks the recovery window', async () => {
    for (const days of [6, 31, 0]) {
      expect(await awsError(client.send(new DeleteSecretCommand({ SecretId: 'gone', RecoveryWindowInDays: days, ForceDeleteWithoutRecovery: true })))).toMatchObject({
        name: 'InvalidParameterException',
        message: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
      });
    }
    expect(await awsError(client.send(new DeleteSecretCommand({ SecretId: 'gone', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })))).toMatchObject({
      name: 'InvalidParameterException',
      message: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    });
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'gone' }))).SecretString).toBe('back');
  });
});
