import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/core/store/db.js';
import { IamDirectory } from '../../src/iam/api/principal-policies.js';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, allowAll, iamClient, iamServer, trustService } from './helpers.js';

let dataDir: string;
let server: RunningServer;
let iam: IAMClient;
let db: Db;
let directory: IamDirectory;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'codesuite-iam-'));
  server = await iamServer({ inMemory: false, dataDir });
  iam = iamClient(server);
  // A second connection to the same database, as another service of the process would read it.
  db = openDatabase(dataDir);
  directory = new IamDirectory(db);
});
afterAll(async () => {
  db.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('IamDirectory', () => {
  it('finds the owner and secret of an access key', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/dev/' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    expect(directory.findAccessKey(AccessKey!.AccessKeyId!)).toMatchObject({
      accessKeyId: AccessKey!.AccessKeyId,
      userName: 'alice',
      principalArn: `arn:aws:iam::${ACCOUNT}:user/dev/alice`,
      secret: AccessKey!.SecretAccessKey,
      status: 'Active',
      accountId: ACCOUNT,
    });
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId, Status: 'Inactive' }));
    expect(directory.findAccessKey(AccessKey!.AccessKeyId!)!.status).toBe('Inactive');
    expect(directory.findAccessKey('AKIANOSUCHKEY0000000')).toBeUndefined();

    directory.recordAccessKeyUse(AccessKey!.AccessKeyId!, 'codecommit', 'eu-west-1');
    const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId }));
    expect(lastUsed.AccessKeyLastUsed).toMatchObject({ ServiceName: 'codecommit', Region: 'eu-west-1' });
    expect(lastUsed.AccessKeyLastUsed!.LastUsedDate).toBeInstanceOf(Date);

    const root = (await iam.send(new CreateAccessKeyCommand({}))).AccessKey!;
    expect(directory.findAccessKey(root.AccessKeyId!)).toMatchObject({ userName: undefined, principalArn: `arn:aws:iam::${ACCOUNT}:root` });
  });

  it('finds a Git credential by its service user name', async () => {
    const { ServiceSpecificCredential } = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'alice', ServiceName: 'codecommit.amazonaws.com' }));
    expect(directory.findServiceCredential(`alice-at-${ACCOUNT}`)).toMatchObject({
      serviceSpecificCredentialId: ServiceSpecificCredential!.ServiceSpecificCredentialId,
      userName: 'alice',
      principalArn: `arn:aws:iam::${ACCOUNT}:user/dev/alice`,
      password: ServiceSpecificCredential!.ServicePassword,
      status: 'Active',
      serviceName: 'codecommit.amazonaws.com',
    });
    expect(directory.findServiceCredential('nobody-at-000000000000')).toBeUndefined();
  });

  it('collects a user\'s inline, attached and group policies and its boundary', async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'push', PolicyDocument: allowAll('codecommit:GitPush') }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'pull', PolicyDocument: allowAll('codecommit:GitPull') }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: Policy!.Arn }));
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'group-inline', PolicyDocument: allowAll('codebuild:*') }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitReadOnly' }));

    const policies = directory.principalPolicies(`arn:aws:iam::${ACCOUNT}:user/dev/alice`)!;
    expect(policies).toMatchObject({ type: 'user', name: 'alice', accountId: ACCOUNT, path: '/dev/', permissionsBoundary: undefined });
    expect(policies.id).toMatch(/^AIDA/);
    expect(policies.identityPolicies.map((p) => [p.kind, p.attachedTo, p.name])).toEqual([
      ['inline', 'user', 'pull'],
      ['managed', 'user', 'push'],
      ['inline', 'group', 'group-inline'],
      ['managed', 'group', 'AWSCodeCommitReadOnly'],
    ]);
    expect(policies.identityPolicies[0].document).toBe(allowAll('codecommit:GitPull'));
    expect(JSON.parse(policies.identityPolicies[3].document).Statement.length).toBeGreaterThan(0);

    // The ARN must name the user with its real path.
    expect(directory.principalPolicies(`arn:aws:iam::${ACCOUNT}:user/alice`)).toBeUndefined();
    expect(directory.principalPolicies(`arn:aws:iam::${ACCOUNT}:root`)).toBeUndefined();
  });

  it('collects a role\'s policies and boundary, also for a session of the role', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'builder', AssumeRolePolicyDocument: trustService(), Tags: [{ Key: 'team', Value: 'ci' }] }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'builder', PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess' }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'builder', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }));

    const role = directory.principalPolicies(`arn:aws:iam::${ACCOUNT}:role/builder`)!;
    expect(role).toMatchObject({ type: 'role', name: 'builder', tags: [{ Key: 'team', Value: 'ci' }] });
    expect(role.identityPolicies.map((p) => p.name)).toEqual(['CloudWatchLogsFullAccess']);
    expect(role.permissionsBoundary!.arn).toBe('arn:aws:iam::aws:policy/PowerUserAccess');
    expect(JSON.parse(role.permissionsBoundary!.document).Version).toBe('2012-10-17');

    const session = directory.principalPolicies(`arn:aws:sts::${ACCOUNT}:assumed-role/builder/build-1`)!;
    expect(session.arn).toBe(`arn:aws:iam::${ACCOUNT}:role/builder`);
    expect(session.identityPolicies).toEqual(role.identityPolicies);
  });
});
