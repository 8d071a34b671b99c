import { CreateAccessKeyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, iam, sts, stsServer, userWithKeys } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await stsServer();
});
afterAll(() => server.stop());

describe('GetCallerIdentity', () => {
  it('answers the account root for keys IAM never issued', async () => {
    expect(await sts(server).send(new GetCallerIdentityCommand({}))).toMatchObject({
      UserId: ACCOUNT,
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
    });
  });

  it('answers the IAM user, path included, for that user\'s access key', async () => {
    const alice = await userWithKeys(server, 'alice', '/dev/');
    expect(alice.userId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(await sts(server, alice).send(new GetCallerIdentityCommand({}))).toMatchObject({
      UserId: alice.userId,
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:user/dev/alice`,
    });
  });

  it('still answers the user for an Inactive key: refusing it is enforcement\'s decision', async () => {
    const bob = await userWithKeys(server, 'bob');
    await iam(server).send(new UpdateAccessKeyCommand({ UserName: 'bob', AccessKeyId: bob.accessKeyId, Status: 'Inactive' }));
    expect((await sts(server, bob).send(new GetCallerIdentityCommand({}))).Arn).toBe(bob.arn);
  });

  it('answers the root for the root\'s own access key', async () => {
    const { AccessKey } = await iam(server).send(new CreateAccessKeyCommand({}));
    const keys = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    expect(await sts(server, keys).send(new GetCallerIdentityCommand({}))).toMatchObject({ UserId: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
  });
});
