import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  type IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, allowAll, awsError, iamClient, iamServer } from './helpers.js';

let server: RunningServer;
let iam: IAMClient;

beforeAll(async () => {
  server = await iamServer();
  iam = iamClient(server);
});
afterAll(() => server.stop());

describe('users', () => {
  it('creates a user with a path, an AIDA id and a path-qualified ARN', async () => {
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/engineering/' }));
    expect(User).toMatchObject({ UserName: 'alice', Path: '/engineering/', Arn: `arn:aws:iam::${ACCOUNT}:user/engineering/alice` });
    expect(User!.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(User!.CreateDate).toBeInstanceOf(Date);

    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
    expect(got.User).toMatchObject({ UserName: 'alice', UserId: User!.UserId, Arn: User!.Arn });
  });

  it('refuses a second user with the same name in any case', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'dup' }));
    const err = await awsError(iam.send(new CreateUserCommand({ UserName: 'DUP' })));
    expect(err).toEqual({ name: 'EntityAlreadyExistsException', message: 'User with name DUP already exists.', status: 409, code: 'EntityAlreadyExists' });
  });

  it('answers NoSuchEntity with IAM\'s text for an unknown user', async () => {
    const err = await awsError(iam.send(new GetUserCommand({ UserName: 'nobody' })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', message: 'The user with name nobody cannot be found.', status: 404 });
  });

  it('GetUser without a name describes the calling root user: account id as id, no name', async () => {
    const { User } = await iam.send(new GetUserCommand({}));
    expect(User!.UserId).toBe(ACCOUNT);
    expect(User!.Arn).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    expect(User!.UserName).toBeUndefined();
    expect(User!.CreateDate).toBeInstanceOf(Date);
  });

  it('validates names against the model', async () => {
    const err = await awsError(iam.send(new CreateUserCommand({ UserName: 'bad name!' })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe(
      "1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    expect(err.status).toBe(400);
  });

  it('lists users by path prefix and pages with Marker/MaxItems', async () => {
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) await iam.send(new CreateUserCommand({ UserName: name, Path: '/paged/' }));
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: marker }));
      names.push(...page.Users!.map((u) => u.UserName!));
      expect(page.IsTruncated).toBe(page.Marker !== undefined);
      marker = page.Marker;
      pages++;
    } while (marker);
    expect(names).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(pages).toBe(3);

    const err = await awsError(iam.send(new ListUsersCommand({ Marker: 'not-a-marker' })));
    expect(err.status).toBe(400);
  });

  it('renames and moves a user; the new name must be free', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'carol' }));
    await iam.send(new UpdateUserCommand({ UserName: 'carol', NewUserName: 'carla', NewPath: '/moved/' }));
    const { User } = await iam.send(new GetUserCommand({ UserName: 'carla' }));
    expect(User!.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/moved/carla`);
    expect((await awsError(iam.send(new GetUserCommand({ UserName: 'carol' })))).name).toBe('NoSuchEntityException');

    const err = await awsError(iam.send(new UpdateUserCommand({ UserName: 'carla', NewUserName: 'alice' })));
    expect(err).toMatchObject({ name: 'EntityAlreadyExistsException', message: 'User with name alice already exists.' });
  });

  it('refuses to delete a user that still has policies, keys, credentials or groups', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'dave' }));
    const conflict = async (message: string) => {
      const err = await awsError(iam.send(new DeleteUserCommand({ UserName: 'dave' })));
      expect(err).toMatchObject({ name: 'DeleteConflictException', message, status: 409 });
    };

    await iam.send(new PutUserPolicyCommand({ UserName: 'dave', PolicyName: 'inline', PolicyDocument: allowAll() }));
    await conflict('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'dave', PolicyName: 'inline' }));

    await iam.send(new AttachUserPolicyCommand({ UserName: 'dave', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await conflict('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachUserPolicyCommand({ UserName: 'dave', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));

    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dave' }));
    await conflict('Cannot delete entity, must delete access keys first.');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'dave', AccessKeyId: AccessKey!.AccessKeyId }));

    const { ServiceSpecificCredential } = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'dave', ServiceName: 'codecommit.amazonaws.com' }));
    await conflict('Cannot delete entity, must remove referenced objects first.');
    await iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'dave', ServiceSpecificCredentialId: ServiceSpecificCredential!.ServiceSpecificCredentialId }));

    await iam.send(new CreateGroupCommand({ GroupName: 'dave-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'dave-group', UserName: 'dave' }));
    await conflict('Cannot delete entity, must remove users from group first.');
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'dave-group', UserName: 'dave' }));

    await iam.send(new DeleteUserCommand({ UserName: 'dave' }));
    expect((await awsError(iam.send(new GetUserCommand({ UserName: 'dave' })))).name).toBe('NoSuchEntityException');
    expect((await awsError(iam.send(new DeleteUserCommand({ UserName: 'dave' })))).message).toBe('The user with name dave cannot be found.');
  });
});
