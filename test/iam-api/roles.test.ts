import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  type IAMClient,
  ListRolesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, allowAll, awsError, decode, iamClient, iamServer, trustService } from './helpers.js';

let server: RunningServer;
let iam: IAMClient;

beforeAll(async () => {
  server = await iamServer();
  iam = iamClient(server);
});
afterAll(() => server.stop());

describe('roles', () => {
  it('creates a role whose trust policy comes back URL-encoded, exactly as written', async () => {
    const trust = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}`;
    const { Role } = await iam.send(
      new CreateRoleCommand({ RoleName: 'pipeline-role', Path: '/service-role/', AssumeRolePolicyDocument: trust, Description: 'runs pipelines' }),
    );
    expect(Role).toMatchObject({
      RoleName: 'pipeline-role',
      Path: '/service-role/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/service-role/pipeline-role`,
      Description: 'runs pipelines',
      MaxSessionDuration: 3600,
    });
    expect(Role!.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(Role!.AssumeRolePolicyDocument).toBe(encodeURIComponent(trust));

    const got = await iam.send(new GetRoleCommand({ RoleName: 'pipeline-role' }));
    expect(decode(got.Role!.AssumeRolePolicyDocument)).toBe(trust);
    expect(got.Role!.RoleLastUsed).toEqual({});

    const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/service-role/' }));
    expect(listed.Roles!.map((r) => r.RoleName)).toEqual(['pipeline-role']);
    expect(listed.Roles![0].RoleLastUsed).toBeUndefined();
  });

  it('requires a valid trust policy', async () => {
    const noDocument = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'x' } as never)));
    expect(noDocument).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(noDocument.message).toContain("Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null");

    const notJson = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: '{not json' })));
    expect(notJson).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'This policy contains invalid Json', status: 400 });

    const identityPolicy = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: allowAll('sts:AssumeRole') })));
    expect(identityPolicy.name).toBe('MalformedPolicyDocumentException');

    const unknownUser = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/ghost` }, Action: 'sts:AssumeRole' }],
    });
    const ghost = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: unknownUser })));
    expect(ghost).toMatchObject({ name: 'MalformedPolicyDocumentException', message: `Invalid principal in policy: "AWS":"arn:aws:iam::${ACCOUNT}:user/ghost"` });

    await iam.send(new CreateUserCommand({ UserName: 'ghost' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: unknownUser }));
    expect((await awsError(iam.send(new GetRoleCommand({ RoleName: 'nope' })))).message).toBe('The role with name nope cannot be found.');
  });

  it('refuses a duplicate role name', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'twice', AssumeRolePolicyDocument: trustService() }));
    const err = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'TWICE', AssumeRolePolicyDocument: trustService() })));
    expect(err).toMatchObject({ name: 'EntityAlreadyExistsException', message: 'Role with name TWICE already exists.', status: 409 });
  });

  it('updates the description, session duration and trust policy', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'updatable', AssumeRolePolicyDocument: trustService() }));
    await iam.send(new UpdateRoleCommand({ RoleName: 'updatable', Description: 'now described', MaxSessionDuration: 7200 }));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'updatable', PolicyDocument: trustService('codedeploy.amazonaws.com') }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'updatable' }));
    expect(Role).toMatchObject({ Description: 'now described', MaxSessionDuration: 7200 });
    expect(decode(Role!.AssumeRolePolicyDocument)).toBe(trustService('codedeploy.amazonaws.com'));

    const bad = await awsError(iam.send(new UpdateRoleCommand({ RoleName: 'updatable', MaxSessionDuration: 60 })));
    expect(bad.name).toBe('ValidationError');
    const malformed = await awsError(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'updatable', PolicyDocument: '{"Version":"2012-10-17"}' })));
    expect(malformed.name).toBe('MalformedPolicyDocumentException');
  });

  it('refuses to delete a role with policies', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'doomed', AssumeRolePolicyDocument: trustService() }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'inline', PolicyDocument: allowAll() }));
    expect(await awsError(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })))).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete policies first.',
      status: 409,
    });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'inline' }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'doomed', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole' }));
    expect((await awsError(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })))).message).toBe('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'doomed', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'doomed' }));
    expect((await awsError(iam.send(new GetRoleCommand({ RoleName: 'doomed' })))).name).toBe('NoSuchEntityException');
  });
});
