import {
  CreateAccessKeyCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteServiceSpecificCredentialCommand,
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListServiceSpecificCredentialsCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateAccessKeyCommand,
  UpdateServiceSpecificCredentialCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, awsError, iamClient, iamServer } from './helpers.js';

let server: RunningServer;
let iam: IAMClient;

beforeAll(async () => {
  server = await iamServer();
  iam = iamClient(server);
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
});
afterAll(() => server.stop());

describe('access keys', () => {
  it('creates keys shaped like AWS keys, at most two per user', async () => {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    expect(AccessKey!.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(AccessKey!.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(AccessKey).toMatchObject({ UserName: 'alice', Status: 'Active' });
    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    const third = await awsError(iam.send(new CreateAccessKeyCommand({ UserName: 'alice' })));
    expect(third).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for AccessKeysPerUser: 2', status: 409 });

    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }));
    expect(listed.AccessKeyMetadata).toHaveLength(2);
    expect(listed.AccessKeyMetadata![0]).toMatchObject({ UserName: 'alice', Status: 'Active' });
    expect(listed.AccessKeyMetadata![0]).not.toHaveProperty('SecretAccessKey');
  });

  it('deactivates, reports last use and deletes a key', async () => {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    const id = AccessKey!.AccessKeyId!;
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'bob', AccessKeyId: id, Status: 'Inactive' }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'bob' }))).AccessKeyMetadata![0].Status).toBe('Inactive');

    const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }));
    expect(lastUsed.UserName).toBe('bob');
    expect(lastUsed.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });

    const badStatus = await awsError(iam.send(new UpdateAccessKeyCommand({ UserName: 'bob', AccessKeyId: id, Status: 'Paused' as never })));
    expect(badStatus.name).toBe('ValidationError');
    // A key is found only under its own user.
    const otherUser = await awsError(iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: id })));
    expect(otherUser).toMatchObject({ name: 'NoSuchEntityException', message: `The Access Key with id ${id} cannot be found.`, status: 404 });

    await iam.send(new DeleteAccessKeyCommand({ UserName: 'bob', AccessKeyId: id }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'bob' }))).AccessKeyMetadata).toEqual([]);
    expect((await awsError(iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id })))).name).toBe('NoSuchEntityException');
  });

  it('without UserName acts on the calling root user\'s own keys', async () => {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({}));
    expect(AccessKey!.UserName).toBeUndefined();
    const listed = await iam.send(new ListAccessKeysCommand({}));
    expect(listed.AccessKeyMetadata!.map((k) => k.AccessKeyId)).toEqual([AccessKey!.AccessKeyId]);
    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: AccessKey!.AccessKeyId }));
    expect((await iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata).toEqual([]);
    expect((await awsError(iam.send(new ListAccessKeysCommand({ UserName: 'nobody' })))).message).toBe('The user with name nobody cannot be found.');
  });
});

describe('service-specific credentials (HTTPS Git credentials)', () => {
  it('creates CodeCommit credentials named <user>-at-<account>, then +1', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sofia' }));
    const first = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'sofia', ServiceName: 'codecommit.amazonaws.com' })))
      .ServiceSpecificCredential!;
    expect(first).toMatchObject({ UserName: 'sofia', ServiceName: 'codecommit.amazonaws.com', ServiceUserName: `sofia-at-${ACCOUNT}`, Status: 'Active' });
    expect(first.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z2-7]{17}$/);
    expect(first.ServicePassword).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.ServicePassword!, 'base64')).toHaveLength(32);

    const second = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'sofia', ServiceName: 'codecommit.amazonaws.com' })))
      .ServiceSpecificCredential!;
    expect(second.ServiceUserName).toBe(`sofia+1-at-${ACCOUNT}`);

    const third = await awsError(iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'sofia', ServiceName: 'codecommit.amazonaws.com' })));
    expect(third).toMatchObject({ name: 'LimitExceededException', status: 409 });

    const listed = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'sofia' }));
    expect(listed.ServiceSpecificCredentials!.map((c) => c.ServiceUserName)).toEqual([`sofia-at-${ACCOUNT}`, `sofia+1-at-${ACCOUNT}`]);
    expect(listed.ServiceSpecificCredentials![0]).not.toHaveProperty('ServicePassword');
  });

  it('accepts only codecommit.amazonaws.com and existing users', async () => {
    const unsupported = await awsError(iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'alice', ServiceName: 'cassandra.amazonaws.com' })));
    expect(unsupported).toMatchObject({ name: 'ServiceNotSupportedException', code: 'NotSupportedService', status: 404 });
    const noUser = await awsError(iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'ghost', ServiceName: 'codecommit.amazonaws.com' })));
    expect(noUser.message).toBe('The user with name ghost cannot be found.');
  });

  it('resets the password, changes the status and deletes; the user name survives a rename', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'tom' }));
    const created = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'tom', ServiceName: 'codecommit.amazonaws.com' })))
      .ServiceSpecificCredential!;
    const id = created.ServiceSpecificCredentialId!;
    const reset = (await iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'tom', ServiceSpecificCredentialId: id }))).ServiceSpecificCredential!;
    expect(reset.ServicePassword).toHaveLength(44);
    expect(reset.ServicePassword).not.toBe(created.ServicePassword);

    await iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'tom', ServiceSpecificCredentialId: id, Status: 'Inactive' }));
    await iam.send(new UpdateUserCommand({ UserName: 'tom', NewUserName: 'thomas' }));
    const listed = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'thomas', ServiceName: 'codecommit.amazonaws.com' }));
    expect(listed.ServiceSpecificCredentials).toMatchObject([{ UserName: 'thomas', ServiceUserName: `tom-at-${ACCOUNT}`, Status: 'Inactive' }]);

    const all = await iam.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true }));
    expect(all.ServiceSpecificCredentials!.map((c) => c.UserName)).toEqual(expect.arrayContaining(['sofia', 'thomas']));

    await iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'thomas', ServiceSpecificCredentialId: id }));
    const gone = await awsError(iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'thomas', ServiceSpecificCredentialId: id })));
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });
});
