import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DetachGroupPolicyCommand,
  GetGroupCommand,
  type IAMClient,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  PutGroupPolicyCommand,
  RemoveUserFromGroupCommand,
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

describe('groups', () => {
  it('creates, reads and lists groups', async () => {
    const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'developers', Path: '/teams/' }));
    expect(Group).toMatchObject({ GroupName: 'developers', Path: '/teams/', Arn: `arn:aws:iam::${ACCOUNT}:group/teams/developers` });
    expect(Group!.GroupId).toMatch(/^AGPA[A-Z2-7]{17}$/);
    await iam.send(new CreateGroupCommand({ GroupName: 'admins' }));

    expect((await iam.send(new ListGroupsCommand({}))).Groups!.map((g) => g.GroupName)).toEqual(['admins', 'developers']);
    expect((await iam.send(new ListGroupsCommand({ PathPrefix: '/teams/' }))).Groups!.map((g) => g.GroupName)).toEqual(['developers']);

    const err = await awsError(iam.send(new CreateGroupCommand({ GroupName: 'Developers' })));
    expect(err).toMatchObject({ name: 'EntityAlreadyExistsException', message: 'Group with name Developers already exists.', status: 409 });
    const missing = await awsError(iam.send(new GetGroupCommand({ GroupName: 'ghosts' })));
    expect(missing).toMatchObject({ name: 'NoSuchEntityException', message: 'The group with name ghosts cannot be found.', status: 404 });
  });

  it('adds and removes members; GetGroup pages its users', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'crew' }));
    for (const name of ['m1', 'm2', 'm3']) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'crew', UserName: name }));
    }
    // Adding twice is not an error.
    await iam.send(new AddUserToGroupCommand({ GroupName: 'crew', UserName: 'm1' }));

    const first = await iam.send(new GetGroupCommand({ GroupName: 'crew', MaxItems: 2 }));
    expect(first.Group!.GroupName).toBe('crew');
    expect(first.Users!.map((u) => u.UserName)).toEqual(['m1', 'm2']);
    expect(first.IsTruncated).toBe(true);
    const second = await iam.send(new GetGroupCommand({ GroupName: 'crew', Marker: first.Marker }));
    expect(second.Users!.map((u) => u.UserName)).toEqual(['m3']);
    expect(second.IsTruncated).toBe(false);

    expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'm2' }))).Groups!.map((g) => g.GroupName)).toEqual(['crew']);
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'crew', UserName: 'm2' }));
    expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'm2' }))).Groups).toEqual([]);

    const notMember = await awsError(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'crew', UserName: 'm2' })));
    expect(notMember).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    const noUser = await awsError(iam.send(new AddUserToGroupCommand({ GroupName: 'crew', UserName: 'nobody' })));
    expect(noUser.message).toBe('The user with name nobody cannot be found.');
  });

  it('refuses to delete a group with members or policies', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'busy' }));
    await iam.send(new CreateUserCommand({ UserName: 'member' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'busy', UserName: 'member' }));
    expect(await awsError(iam.send(new DeleteGroupCommand({ GroupName: 'busy' })))).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must remove users from group first.',
      status: 409,
    });
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'busy', UserName: 'member' }));

    await iam.send(new PutGroupPolicyCommand({ GroupName: 'busy', PolicyName: 'p', PolicyDocument: allowAll() }));
    expect((await awsError(iam.send(new DeleteGroupCommand({ GroupName: 'busy' })))).message).toBe('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'busy', PolicyName: 'p' }));

    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'busy', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    expect((await awsError(iam.send(new DeleteGroupCommand({ GroupName: 'busy' })))).message).toBe('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'busy', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));

    await iam.send(new DeleteGroupCommand({ GroupName: 'busy' }));
    expect((await awsError(iam.send(new GetGroupCommand({ GroupName: 'busy' })))).name).toBe('NoSuchEntityException');
  });
});
