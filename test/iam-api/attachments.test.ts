import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteUserPermissionsBoundaryCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  type IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, allowAll, awsError, iamClient, iamServer, trustService } from './helpers.js';

let server: RunningServer;
let iam: IAMClient;
let localArn: string;

beforeAll(async () => {
  server = await iamServer();
  iam = iamClient(server);
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'devs', Path: '/teams/' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'builder', AssumeRolePolicyDocument: trustService() }));
  localArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'local', PolicyDocument: allowAll() }))).Policy!.Arn!;
});
afterAll(() => server.stop());

const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const DEPLOY_ROLE = 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole';

describe('managed policy attachments', () => {
  it('attaches to users, groups and roles and lists them with path filters', async () => {
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: S3_READ }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: localArn }));
    // Attaching again changes nothing.
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: localArn }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: S3_READ }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'builder', PolicyArn: DEPLOY_ROLE }));

    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: S3_READ },
      { PolicyName: 'local', PolicyArn: localArn },
    ]);
    expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'devs' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: S3_READ },
    ]);
    const roleAttached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'builder', PathPrefix: '/service-role/' }));
    expect(roleAttached.AttachedPolicies).toEqual([{ PolicyName: 'AWSCodeDeployRole', PolicyArn: DEPLOY_ROLE }]);
    const paged = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice', MaxItems: 1 }));
    expect(paged.AttachedPolicies).toHaveLength(1);
    expect(paged.IsTruncated).toBe(true);

    expect((await iam.send(new GetPolicyCommand({ PolicyArn: S3_READ }))).Policy!.AttachmentCount).toBe(2);
  });

  it('answers with IAM\'s errors for unknown policies and entities', async () => {
    const unknown = `arn:aws:iam::${ACCOUNT}:policy/missing`;
    expect(await awsError(iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: unknown })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${unknown} does not exist or is not attachable.`,
      status: 404,
    });
    expect(await awsError(iam.send(new DetachRolePolicyCommand({ RoleName: 'builder', PolicyArn: S3_READ })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${S3_READ} was not found.`,
    });
    expect((await awsError(iam.send(new AttachRolePolicyCommand({ RoleName: 'nobody', PolicyArn: S3_READ })))).message).toBe(
      'The role with name nobody cannot be found.',
    );
    expect(await awsError(iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: 'AmazonS3ReadOnlyAccess' })))).toMatchObject({
      name: 'InvalidInputException',
      message: 'ARN AmazonS3ReadOnlyAccess is not valid.',
      status: 400,
    });
  });

  it('limits a user to ten attached managed policies', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'collector' }));
    for (let i = 0; i < 10; i++) {
      const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `many-${i}`, PolicyDocument: allowAll() }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: Policy!.Arn }));
    }
    const err = await awsError(iam.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: S3_READ })));
    expect(err).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for PoliciesPerUser: 10', status: 409 });
  });

  it('ListEntitiesForPolicy names the groups, users and roles using a policy', async () => {
    const all = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: S3_READ }));
    expect(all.PolicyUsers!.map((u) => u.UserName)).toEqual(['alice']);
    expect(all.PolicyGroups!.map((g) => g.GroupName)).toEqual(['devs']);
    expect(all.PolicyRoles).toEqual([]);
    expect(all.PolicyUsers![0].UserId).toMatch(/^AIDA/);

    const usersOnly = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: S3_READ, EntityFilter: 'User' }));
    expect(usersOnly.PolicyGroups).toEqual([]);
    expect(usersOnly.PolicyUsers!.map((u) => u.UserName)).toEqual(['alice']);
    const teams = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: S3_READ, PathPrefix: '/teams/' }));
    expect(teams.PolicyGroups!.map((g) => g.GroupName)).toEqual(['devs']);
    expect(teams.PolicyUsers).toEqual([]);

    const paged = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: S3_READ, MaxItems: 1 }));
    expect(paged.IsTruncated).toBe(true);
    const rest = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: S3_READ, Marker: paged.Marker }));
    expect(paged.PolicyGroups!.length + paged.PolicyUsers!.length + rest.PolicyGroups!.length + rest.PolicyUsers!.length).toBe(2);

    const missing = await awsError(iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/Nope' })));
    expect(missing.name).toBe('NoSuchEntityException');
  });

  it('detaches', async () => {
    await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: S3_READ }));
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: S3_READ }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: S3_READ }))).Policy!.AttachmentCount).toBe(0);
    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }))).AttachedPolicies).toEqual([{ PolicyName: 'local', PolicyArn: localArn }]);
  });
});

describe('permissions boundaries', () => {
  it('puts and deletes the boundary of a user and a role', async () => {
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: localArn }));
    expect((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: localArn,
    });
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'builder', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'builder' }))).Role!.PermissionsBoundary!.PermissionsBoundaryArn).toBe(
      'arn:aws:iam::aws:policy/PowerUserAccess',
    );

    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: localArn }));
    expect(Policy!.PermissionsBoundaryUsageCount).toBe(1);
    const boundaryUsers = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: localArn, PolicyUsageFilter: 'PermissionsBoundary' }));
    expect(boundaryUsers.PolicyUsers!.map((u) => u.UserName)).toEqual(['alice']);

    const missing = `arn:aws:iam::${ACCOUNT}:policy/missing`;
    expect((await awsError(iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: missing })))).message).toBe(
      `Policy ${missing} does not exist or is not attachable.`,
    );

    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'alice' }));
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'builder' }));
    expect((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User!.PermissionsBoundary).toBeUndefined();
    expect((await iam.send(new GetRoleCommand({ RoleName: 'builder' }))).Role!.PermissionsBoundary).toBeUndefined();
  });

  it('sets a boundary at creation and protects a policy used as one', async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: allowAll('*') }));
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: Policy!.Arn }));
    expect(User!.PermissionsBoundary!.PermissionsBoundaryArn).toBe(Policy!.Arn);
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'bounded-role', AssumeRolePolicyDocument: trustService(), PermissionsBoundary: Policy!.Arn }));
    expect(Role!.PermissionsBoundary!.PermissionsBoundaryArn).toBe(Policy!.Arn);
    expect((await awsError(iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn })))).name).toBe('DeleteConflictException');
  });
});
