import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  type IAMClient,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  type Policy,
  SetDefaultPolicyVersionCommand,
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

const AWS_MANAGED = [
  'AdministratorAccess',
  'PowerUserAccess',
  'ReadOnlyAccess',
  'IAMFullAccess',
  'IAMReadOnlyAccess',
  'AWSCodeCommitFullAccess',
  'AWSCodeCommitPowerUser',
  'AWSCodeCommitReadOnly',
  'AWSCodeBuildAdminAccess',
  'AWSCodeBuildDeveloperAccess',
  'AWSCodeBuildReadOnlyAccess',
  'AWSCodeDeployFullAccess',
  'AWSCodeDeployReadOnlyAccess',
  'AWSCodeDeployDeployerAccess',
  'service-role/AWSCodeDeployRole',
  'AWSCodePipeline_FullAccess',
  'AWSCodePipeline_ReadOnlyAccess',
  'AWSCodePipelineApproverAccess',
  'AmazonS3FullAccess',
  'AmazonS3ReadOnlyAccess',
  'AmazonSSMReadOnlyAccess',
  'CloudWatchLogsFullAccess',
];

async function listAll(input: ConstructorParameters<typeof ListPoliciesCommand>[0]): Promise<Policy[]> {
  const all: Policy[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListPoliciesCommand({ ...input, Marker: marker }));
    all.push(...page.Policies!);
    marker = page.Marker;
  } while (marker);
  return all;
}

describe('AWS managed policies', () => {
  it('serves every expected policy at its real ARN with its real default document', async () => {
    for (const name of AWS_MANAGED) {
      const arn = `arn:aws:iam::aws:policy/${name}`;
      const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
      expect(Policy).toMatchObject({ Arn: arn, IsAttachable: true, AttachmentCount: 0 });
      expect(Policy!.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
      const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy!.DefaultVersionId }));
      expect(PolicyVersion!.IsDefaultVersion).toBe(true);
      const doc = JSON.parse(decode(PolicyVersion!.Document));
      expect(doc.Version).toBe('2012-10-17');
      expect(Array.isArray(doc.Statement)).toBe(true);
    }
    const admin = await iam.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', VersionId: 'v1' }));
    expect(JSON.parse(decode(admin.PolicyVersion!.Document))).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

    const codeDeployRole = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole' }));
    expect(codeDeployRole.Policy).toMatchObject({ PolicyName: 'AWSCodeDeployRole', Path: '/service-role/' });

    const gitPull = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitReadOnly' }));
    const readOnly = await iam.send(new GetPolicyVersionCommand({ PolicyArn: gitPull.Policy!.Arn, VersionId: gitPull.Policy!.DefaultVersionId }));
    expect(decode(readOnly.PolicyVersion!.Document)).toContain('codecommit:GitPull');
  });

  it('lists them under Scope=AWS, filters by path, and never under Scope=Local', async () => {
    const aws = await listAll({ Scope: 'AWS' });
    expect(aws.map((p) => p.Arn).sort()).toEqual(AWS_MANAGED.map((n) => `arn:aws:iam::aws:policy/${n}`).sort());
    expect((await listAll({ Scope: 'AWS', PathPrefix: '/service-role/' })).map((p) => p.PolicyName)).toEqual(['AWSCodeDeployRole']);
    expect(await listAll({ Scope: 'Local' })).toEqual([]);
  });

  it('can be attached, counted, and not changed', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitReadOnly' }));
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitReadOnly' }));
    expect(Policy!.AttachmentCount).toBe(1);
    expect((await listAll({ Scope: 'AWS', OnlyAttached: true })).map((p) => p.PolicyName)).toEqual(['AWSCodeCommitReadOnly']);

    const denied = await awsError(iam.send(new DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    const noVersion = await awsError(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyDocument: allowAll() })),
    );
    expect(noVersion.name).toBe('AccessDenied');
    await iam.send(new DetachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitReadOnly' }));
  });

  it('answers NoSuchEntity for an unknown AWS policy and InvalidInput for a malformed ARN', async () => {
    const unknown = await awsError(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })));
    expect(unknown).toMatchObject({ name: 'NoSuchEntityException', message: 'Policy arn:aws:iam::aws:policy/NoSuchPolicy was not found.', status: 404 });
    const malformed = await awsError(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:s3:::not-a-policy' })));
    expect(malformed).toMatchObject({ name: 'InvalidInputException', message: 'ARN arn:aws:s3:::not-a-policy is not valid.', status: 400 });
  });
});

describe('customer managed policies', () => {
  it('creates a policy with a path, description and tags', async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'deploy', Path: '/ci/', PolicyDocument: allowAll('codedeploy:*'), Description: 'deploys things' }),
    );
    expect(Policy).toMatchObject({
      PolicyName: 'deploy',
      Path: '/ci/',
      Arn: `arn:aws:iam::${ACCOUNT}:policy/ci/deploy`,
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Description: 'deploys things',
    });
    expect(Policy!.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }));
    expect(got.Policy).toMatchObject({ PolicyName: 'deploy', Description: 'deploys things' });
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v1' }));
    expect(decode(version.PolicyVersion!.Document)).toBe(allowAll('codedeploy:*'));

    const dup = await awsError(iam.send(new CreatePolicyCommand({ PolicyName: 'DEPLOY', PolicyDocument: allowAll() })));
    expect(dup).toMatchObject({ name: 'EntityAlreadyExistsException', message: 'A policy called DEPLOY already exists. Duplicate names are not allowed.', status: 409 });
  });

  it('requires version 2012-10-17 and a well-formed document', async () => {
    const old = await awsError(
      iam.send(new CreatePolicyCommand({ PolicyName: 'old', PolicyDocument: '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' })),
    );
    expect(old).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'Policy document must be version 2012-10-17 or greater.', status: 400 });
    const syntax = await awsError(iam.send(new CreatePolicyCommand({ PolicyName: 'broken', PolicyDocument: 'not json' })));
    expect(syntax).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.' });
    const tooBig = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: Array.from({ length: 600 }, (_, i) => `s3:Action${i}`), Resource: '*' }],
    });
    const size = await awsError(iam.send(new CreatePolicyCommand({ PolicyName: 'big', PolicyDocument: tooBig })));
    expect(size).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for PolicySize: 6144', status: 409 });
  });

  it('keeps at most five versions, sets defaults, and protects the default version', async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'versioned', PolicyDocument: allowAll('s3:GetObject') }));
    const arn = Policy!.Arn!;
    for (let i = 2; i <= 5; i++) {
      const { PolicyVersion } = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allowAll(`s3:Action${i}`), SetAsDefault: i === 3 }));
      expect(PolicyVersion).toMatchObject({ VersionId: `v${i}`, IsDefaultVersion: i === 3 });
      expect(PolicyVersion!.Document).toBeUndefined();
    }
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId).toBe('v3');

    const sixth = await awsError(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allowAll() })));
    expect(sixth).toMatchObject({
      name: 'LimitExceededException',
      message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      status: 409,
    });

    const listed = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(listed.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v5', false],
      ['v4', false],
      ['v3', true],
      ['v2', false],
      ['v1', false],
    ]);

    const deleteDefault = await awsError(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })));
    expect(deleteDefault).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete the default version of a policy.', status: 409 });
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    const { PolicyVersion } = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allowAll('s3:Latest') }));
    expect(PolicyVersion!.VersionId).toBe('v6');

    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }));
    const current = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }));
    expect(current.PolicyVersion!.IsDefaultVersion).toBe(true);
    expect(decode(current.PolicyVersion!.Document)).toBe(allowAll('s3:Latest'));

    const missing = await awsError(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })));
    expect(missing).toMatchObject({ name: 'NoSuchEntityException', message: `Policy ${arn} version v1 does not exist or is not attachable.`, status: 404 });
    expect((await awsError(iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })))).name).toBe('NoSuchEntityException');
  });

  it('refuses to delete a policy that is attached or has several versions', async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'sticky', PolicyDocument: allowAll() }));
    const arn = Policy!.Arn!;
    await iam.send(new CreateRoleCommand({ RoleName: 'sticky-role', AssumeRolePolicyDocument: trustService() }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'sticky-role', PolicyArn: arn }));
    expect(await awsError(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete a policy attached to entities.',
    });

    const { Policy: multi } = await iam.send(new CreatePolicyCommand({ PolicyName: 'multi', PolicyDocument: allowAll() }));
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: multi!.Arn, PolicyDocument: allowAll('s3:GetObject') }));
    expect((await awsError(iam.send(new DeletePolicyCommand({ PolicyArn: multi!.Arn })))).message).toBe(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: multi!.Arn, VersionId: 'v2' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: multi!.Arn }));
    expect((await awsError(iam.send(new GetPolicyCommand({ PolicyArn: multi!.Arn })))).message).toBe(`Policy ${multi!.Arn} was not found.`);
  });

  it('lists by scope, attachment and path', async () => {
    await iam.send(new CreatePolicyCommand({ PolicyName: 'scoped-a', Path: '/scoped/', PolicyDocument: allowAll() }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'scoped-b', Path: '/scoped/', PolicyDocument: allowAll() }));
    await iam.send(new CreateUserCommand({ UserName: 'scoped-user' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'scoped-user', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/scoped/scoped-b` }));

    expect((await listAll({ Scope: 'Local', PathPrefix: '/scoped/' })).map((p) => p.PolicyName)).toEqual(['scoped-a', 'scoped-b']);
    expect((await listAll({ Scope: 'Local', PathPrefix: '/scoped/', OnlyAttached: true })).map((p) => p.PolicyName)).toEqual(['scoped-b']);
    const all = await listAll({});
    expect(all.some((p) => p.PolicyName === 'scoped-a')).toBe(true);
    expect(all.some((p) => p.PolicyName === 'AdministratorAccess')).toBe(true);
    const page = await iam.send(new ListPoliciesCommand({ MaxItems: 3 }));
    expect(page.Policies).toHaveLength(3);
    expect(page.IsTruncated).toBe(true);
  });
});
