import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, createRole, sts, stsServer, temporary, trustPolicy, userWithKeys } from './helpers.js';

/** The server's clock, moved by the tests; the SDK keeps signing with real time, which codesuite does not check yet. */
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
let server: RunningServer;
let alice: Awaited<ReturnType<typeof userWithKeys>>;

beforeAll(async () => {
  server = await stsServer({ clock });
  alice = await userWithKeys(server, 'alice');
});
afterAll(() => server.stop());

describe('temporary credentials over time', () => {
  it('are refused with ExpiredToken once they expire', async () => {
    offset = 0;
    const role = await createRole(server, 'short', trustPolicy({ AWS: alice.arn }));
    const out = await sts(server, alice).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'brief', DurationSeconds: 900 }));
    const keys = temporary(out.Credentials);
    expect((await sts(server, keys).send(new GetCallerIdentityCommand({}))).Arn).toContain('assumed-role/short/brief');
    offset = 901_000;
    expect(await awsError(sts(server, keys).send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
      status: 403,
    });
    offset = 0;
  });

  it('are refused with InvalidClientTokenId when sent with another session token', async () => {
    const { Credentials } = await sts(server, alice).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const forged = { ...temporary(Credentials), sessionToken: 'not-the-token' };
    expect(await awsError(sts(server, forged).send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      status: 403,
    });
  });
});
