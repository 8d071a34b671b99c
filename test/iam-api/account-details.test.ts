import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  type IAMClient,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { allowAll, decode, iamClient, iamServer, trustService } from './helpers.js';

let server: RunningServer;
let iam: IAMClient;
let localArn: string;

beforeAll(async () => {
  server = await iamServer();
  iam = iamClient(server);
  localArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'local', PolicyDocument: allowAll('s3:GetObject') }))).Policy!.Arn!;
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: localArn, PolicyDocument: allowAll('s3:PutObject'), SetAsDefault: true }));
  await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'a' }] }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'own', PolicyDocument: allowAll('codecommit:GitPull') }));
  await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: localArn }));
  await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'builder', AssumeRolePolicyDocument: trustService() }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'builder', PolicyName: 'logs', PolicyDocument: allowAll('logs:*') }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'builder', PolicyArn: localArn }));
});
afterAll(() => server.stop());

describe('GetAccountAuthorizationDetails', () => {
  it('reports every entity with its policies inline', async () => {
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    expect(details.IsTruncated).toBe(false);

    const [alice] = details.UserDetailList!;
    expect(alice).toMatchObject({
      UserName: 'alice',
      GroupList: ['devs'],
      AttachedManagedPolicies: [],
      PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: localArn },
      Tags: [{ Key: 'team', Value: 'a' }],
    });
    expect(alice.UserPolicyList!.map((p) => [p.PolicyName, decode(p.PolicyDocument)])).toEqual([['own', allowAll('codecommit:GitPull')]]);

    expect(details.GroupDetailList).toMatchObject([
      { GroupName: 'devs', AttachedManagedPolicies: [{ PolicyName: 'AWSCodeCommitPowerUser', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser' }] },
    ]);

    const [builder] = details.RoleDetailList!;
    expect(builder).toMatchObject({ RoleName: 'builder', AttachedManagedPolicies: [{ PolicyName: 'local', PolicyArn: localArn }] });
    expect(decode(builder.AssumeRolePolicyDocument)).toBe(trustService());
    expect(builder.RolePolicyList!.map((p) => p.PolicyName)).toEqual(['logs']);

    // The account's own policies, and only the AWS managed ones in use.
    const policies = Object.fromEntries(details.Policies!.map((p) => [p.PolicyName!, p]));
    expect(Object.keys(policies).sort()).toEqual(['AWSCodeCommitPowerUser', 'local']);
    expect(policies.local).toMatchObject({ AttachmentCount: 1, PermissionsBoundaryUsageCount: 1, DefaultVersionId: 'v2' });
    expect(policies.local.PolicyVersionList!.map((v) => [v.VersionId, v.IsDefaultVersion, decode(v.Document)])).toEqual([
      ['v2', true, allowAll('s3:PutObject')],
      ['v1', false, allowAll('s3:GetObject')],
    ]);
    expect(decode(policies.AWSCodeCommitPowerUser.PolicyVersionList![0].Document)).toContain('codecommit:');
  });

  it('filters by entity type and pages', async () => {
    const roles = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(roles.RoleDetailList!.map((r) => r.RoleName)).toEqual(['builder']);
    expect(roles.UserDetailList).toEqual([]);
    expect(roles.Policies).toEqual([]);

    const awsOnly = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['AWSManagedPolicy'] }));
    expect(awsOnly.Policies!.map((p) => p.PolicyName)).toEqual(['AWSCodeCommitPowerUser']);

    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 2, Marker: marker }));
      seen.push(
        ...page.UserDetailList!.map((u) => `user:${u.UserName}`),
        ...page.GroupDetailList!.map((g) => `group:${g.GroupName}`),
        ...page.RoleDetailList!.map((r) => `role:${r.RoleName}`),
        ...page.Policies!.map((p) => `policy:${p.PolicyName}`),
      );
      marker = page.Marker;
    } while (marker);
    expect(seen).toEqual(['user:alice', 'group:devs', 'role:builder', 'policy:local', 'policy:AWSCodeCommitPowerUser']);
  });
});
