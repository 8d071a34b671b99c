import { CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, awsError, createRole, iam, sts, stsServer, temporary, trustPolicy, userWithKeys } from './helpers.js';

let server: RunningServer;
let alice: Awaited<ReturnType<typeof userWithKeys>>;

beforeAll(async () => {
  server = await stsServer();
  alice = await userWithKeys(server, 'alice', '/dev/');
});
afterAll(() => server.stop());

const HOUR = 3600_000;

describe('GetSessionToken', () => {
  it('gives an IAM user temporary credentials that act as that user, for 12 hours by default', async () => {
    const { Credentials } = await sts(server, alice).send(new GetSessionTokenCommand({}));
    expect(Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Credentials!.SecretAccessKey).toHaveLength(40);
    expect(Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now() + 12 * HOUR - 60_000);
    expect(Credentials!.Expiration!.getTime()).toBeLessThanOrEqual(Date.now() + 12 * HOUR);
    expect(await sts(server, temporary(Credentials)).send(new GetCallerIdentityCommand({}))).toMatchObject({
      UserId: alice.userId,
      Account: ACCOUNT,
      Arn: alice.arn,
    });
  });

  it('takes 900 to 129,600 seconds', async () => {
    const { Credentials } = await sts(server, alice).send(new GetSessionTokenCommand({ DurationSeconds: 129_600 }));
    expect(Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now() + 36 * HOUR - 60_000);
    for (const DurationSeconds of [899, 129_601]) {
      const failure = await awsError(sts(server, alice).send(new GetSessionTokenCommand({ DurationSeconds })));
      expect(failure).toMatchObject({ name: 'ValidationError', status: 400 });
      expect(failure.message).toMatch(new RegExp(`^1 validation error detected: Value '${DurationSeconds}' at 'durationSeconds' failed to satisfy constraint`));
    }
  });

  it('gives the account root one hour at most, without complaint', async () => {
    const { AccessKey } = await iam(server).send(new CreateAccessKeyCommand({}));
    const rootKeys = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    const { Credentials } = await sts(server, rootKeys).send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
    expect(Credentials!.Expiration!.getTime()).toBeLessThanOrEqual(Date.now() + HOUR);
    expect(Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now() + HOUR - 60_000);
    expect((await sts(server, temporary(Credentials)).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${ACCOUNT}:root`);
  });

  it('cannot be called with session credentials', async () => {
    const { Credentials } = await sts(server, alice).send(new GetSessionTokenCommand({}));
    expect(await awsError(sts(server, temporary(Credentials)).send(new GetSessionTokenCommand({})))).toEqual({
      name: 'AccessDenied',
      message: 'Cannot call GetSessionToken with session credentials',
      status: 403,
    });
    const role = await createRole(server, 'for-alice', trustPolicy({ AWS: alice.arn }));
    const session = await sts(server, alice).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'sx' }));
    expect(await awsError(sts(server, temporary(session.Credentials)).send(new GetSessionTokenCommand({})))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('session-token credentials may assume a role, for an hour at most', async () => {
    const role = await createRole(server, 'from-session', trustPolicy({ AWS: alice.arn }), { maxSessionDuration: 4 * 3600 });
    const { Credentials } = await sts(server, alice).send(new GetSessionTokenCommand({}));
    const keys = temporary(Credentials);
    expect(await awsError(sts(server, keys).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'via-token', DurationSeconds: 7200 })))).toEqual({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      status: 400,
    });
    const out = await sts(server, keys).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'via-token' }));
    expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/from-session/via-token`);
  });

  it('refuses an MFA code: codesuite has no MFA devices', async () => {
    expect(await awsError(sts(server, alice).send(new GetSessionTokenCommand({ SerialNumber: 'arn:aws:iam::000000000000:mfa/alice', TokenCode: '123456' })))).toEqual({
      name: 'AccessDenied',
      message: 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
      status: 403,
    });
  });
});
