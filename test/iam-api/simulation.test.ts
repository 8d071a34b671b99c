import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  type IAMClient,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  type SimulateCustomPolicyCommandInput,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standaloneDeps } from '../helpers/service-deps.js';
import { seedLabDenyPolicy } from '../helpers/seed-policy.js';
import type { RequestContext } from '../../src/core/context.js';
import { openDatabase } from '../../src/core/store/db.js';
import { createIam } from '../../src/iam/service.js';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, allowAll, awsError, iamClient, iamServer, trustService } from './helpers.js';

let server: RunningServer;
let iam: IAMClient;

const OTHER = '111122223333';
const userArn = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:user${path}${name}`;
const REPO = `arn:aws:codecommit:us-east-1:${ACCOUNT}:web`;
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const simulatePrincipal = (input: SimulatePrincipalPolicyCommandInput) => iam.send(new SimulatePrincipalPolicyCommand(input));
const simulateCustom = (input: SimulateCustomPolicyCommandInput) => iam.send(new SimulateCustomPolicyCommand(input));
const decisions = (out: { EvaluationResults?: { EvalDecision?: string }[] }) => out.EvaluationResults!.map((r) => r.EvalDecision);

/** The 1-based line and column right after the character at a 0-based offset, as IAM counts. */
function after(text: string, offset: number): { Line: number; Column: number } {
  const before = text.slice(0, offset + 1);
  const line = before.split('\n').length;
  return { Line: line, Column: offset + 2 - (before.lastIndexOf('\n') + 1) };
}

beforeAll(async () => {
  server = await iamServer();
  iam = iamClient(server);
});
afterAll(() => server.stop());

describe('the seed lab: a user whose branch protection denies pushes to main and prod', () => {
  const ALLOW = doc({ Effect: 'Allow', Action: 'codecommit:*', Resource: '*' });
  // Pretty-printed, so the positions span several lines.
  const DENY = JSON.stringify(seedLabDenyPolicy('arn:aws:codecommit:*:*:*'), null, 2);
  const source = userArn('dev-alice');
  const push = (ref?: string, extra: Partial<SimulatePrincipalPolicyCommandInput> = {}) =>
    simulatePrincipal({
      PolicySourceArn: source,
      ActionNames: ['codecommit:GitPush'],
      ResourceArns: [REPO],
      ContextEntries: ref === undefined ? undefined : [{ ContextKeyName: 'codecommit:References', ContextKeyValues: [ref], ContextKeyType: 'string' }],
      ...extra,
    });

  beforeAll(async () => {
    await iam.send(new CreateUserCommand({ UserName: 'dev-alice' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'dev-alice', PolicyName: 'codecommit-power', PolicyDocument: ALLOW }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'dev-alice', PolicyName: 'protect-main-and-prod', PolicyDocument: DENY }));
  });

  it('denies a push to refs/heads/main explicitly, naming the deny statement and where it sits', async () => {
    const out = await push('refs/heads/main');
    expect(out.IsTruncated).toBe(false);
    const denyStatement = {
      SourcePolicyId: 'protect-main-and-prod',
      SourcePolicyType: 'IAM Policy',
      // Right after the `[` of Statement, and right after the statement's `}`.
      StartPosition: { Line: 3, Column: 17 },
      EndPosition: { Line: 29, Column: 6 },
    };
    expect(after(DENY, DENY.indexOf('['))).toEqual(denyStatement.StartPosition);
    expect(after(DENY, DENY.lastIndexOf('}', DENY.lastIndexOf(']')))).toEqual(denyStatement.EndPosition);
    expect(out.EvaluationResults).toEqual([
      {
        EvalActionName: 'codecommit:GitPush',
        EvalResourceName: REPO,
        EvalDecision: 'explicitDeny',
        MatchedStatements: [denyStatement],
        MissingContextValues: [],
        EvalDecisionDetails: {},
        ResourceSpecificResults: [{ EvalResourceName: REPO, EvalResourceDecision: 'explicitDeny', MatchedStatements: [denyStatement], MissingContextValues: [] }],
      },
    ]);
  });

  it('denies refs/heads/prod too, and the Merge actions it lists', async () => {
    expect(decisions(await push('refs/heads/prod'))).toEqual(['explicitDeny']);
    const merges = await push('refs/heads/main', { ActionNames: ['codecommit:MergePullRequestBySquash', 'codecommit:CreateBranch'] });
    expect(decisions(merges)).toEqual(['explicitDeny', 'allowed']);
  });

  it('allows a push to refs/heads/dev through the Allow statement', async () => {
    const [result] = (await push('refs/heads/dev')).EvaluationResults!;
    expect(result.EvalDecision).toBe('allowed');
    expect(result.MatchedStatements).toEqual([
      { SourcePolicyId: 'codecommit-power', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 95 } },
    ]);
    expect(result.ResourceSpecificResults![0].MissingContextValues).toEqual([]);
  });

  it('allows a request that carries no reference (the receive-pack handshake) and says the key was missing', async () => {
    const [result] = (await push()).EvaluationResults!;
    expect(result.EvalDecision).toBe('allowed');
    expect(result.MatchedStatements!.map((s) => s.SourcePolicyId)).toEqual(['codecommit-power']);
    // With a resource ARN the missing keys are reported per resource.
    expect(result.MissingContextValues).toEqual([]);
    expect(result.ResourceSpecificResults![0].MissingContextValues).toEqual(['codecommit:References']);
  });

  it('on the default resource `*`, reports missing keys at the top level; a statement scoped to ARNs does not apply to `*`', async () => {
    const [handshake] = (await push(undefined, { ResourceArns: undefined })).EvaluationResults!;
    expect(handshake).toEqual({
      EvalActionName: 'codecommit:GitPush',
      EvalResourceName: '*',
      EvalDecision: 'allowed',
      MatchedStatements: [expect.objectContaining({ SourcePolicyId: 'codecommit-power' })],
      MissingContextValues: ['codecommit:References'],
    });
    // The deny names `arn:aws:codecommit:*:*:*`, which the literal resource `*` does not match.
    expect(decisions(await push('refs/heads/main', { ResourceArns: ['*'] }))).toEqual(['allowed']);
  });
});

describe('SimulateCustomPolicy', () => {
  // The AWS CLI documentation's example, with the positions IAM answered for it.
  const DYNAMO =
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
  const at = (time: string) => [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: [time], ContextKeyType: 'date' as const }];

  it('reproduces the documented example: a single-object Statement at 1:38-1:167', async () => {
    const out = await simulateCustom({ PolicyInputList: [DYNAMO], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: at('2019-04-25T11:00:00Z') });
    expect(out.EvaluationResults).toEqual([
      {
        EvalActionName: 'dynamodb:CreateBackup',
        EvalResourceName: '*',
        EvalDecision: 'allowed',
        MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }],
        MissingContextValues: [],
      },
    ]);
    const early = await simulateCustom({ PolicyInputList: [DYNAMO], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: at('2014-04-25T11:00:00Z') });
    expect(early.EvaluationResults![0]).toMatchObject({ EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: [] });
    const unknownTime = await simulateCustom({ PolicyInputList: [DYNAMO], ActionNames: ['dynamodb:CreateBackup'] });
    expect(unknownTime.EvaluationResults![0]).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:CurrentTime'] });
  });

  it('evaluates every action on every resource, action by action, in the order given', async () => {
    const policy = doc({ Effect: 'Allow', Action: 'codecommit:Get*', Resource: REPO });
    const other = `arn:aws:codecommit:us-east-1:${ACCOUNT}:api`;
    const out = await simulateCustom({ PolicyInputList: [policy], ActionNames: ['codecommit:GetRepository', 'codecommit:DeleteRepository'], ResourceArns: [REPO, other] });
    expect(out.EvaluationResults!.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual([
      ['codecommit:GetRepository', REPO, 'allowed'],
      ['codecommit:GetRepository', other, 'implicitDeny'],
      ['codecommit:DeleteRepository', REPO, 'implicitDeny'],
      ['codecommit:DeleteRepository', other, 'implicitDeny'],
    ]);
    // `*` given explicitly behaves as no ResourceArns: no resource-specific part, no details.
    const star = await simulateCustom({ PolicyInputList: [policy], ActionNames: ['codecommit:GetRepository'], ResourceArns: ['*'] });
    expect(star.EvaluationResults![0].ResourceSpecificResults).toBeUndefined();
    expect(star.EvaluationResults![0].EvalDecisionDetails).toBeUndefined();
  });

  it('lists only the Deny statements for an explicit deny, and every policy that allows otherwise', async () => {
    const allow = doc({ Effect: 'Allow', Action: 'codebuild:*', Resource: '*' });
    const alsoAllow = doc({ Sid: 'Two', Effect: 'Allow', Action: 'codebuild:StartBuild', Resource: '*' });
    const deny = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 'codebuild:StartBuild', Resource: '*' });
    const allowed = await simulateCustom({ PolicyInputList: [allow, alsoAllow], ActionNames: ['codebuild:StartBuild'] });
    expect(allowed.EvaluationResults![0].MatchedStatements!.map((s) => s.SourcePolicyId)).toEqual(['PolicyInputList.1', 'PolicyInputList.2']);
    const denied = await simulateCustom({ PolicyInputList: [allow, deny], ActionNames: ['codebuild:StartBuild'] });
    const [statement] = denied.EvaluationResults![0].MatchedStatements!;
    expect(denied.EvaluationResults![0].MatchedStatements).toHaveLength(1);
    // The second statement starts where the first ended: right after its `}`.
    const firstEnd = deny.indexOf('}');
    expect(statement).toEqual({
      SourcePolicyId: 'PolicyInputList.2',
      SourcePolicyType: 'IAM Policy',
      StartPosition: after(deny, firstEnd),
      EndPosition: after(deny, deny.lastIndexOf('}', deny.length - 3)),
    });
  });

  it('resolves no principal variables without a caller: aws:username stays missing', async () => {
    const policy = doc({ Effect: 'Allow', Action: 'codecommit:GitPull', Resource: `arn:aws:codecommit:*:${ACCOUNT}:\${aws:username}-*` });
    const out = await simulateCustom({ PolicyInputList: [policy], ActionNames: ['codecommit:GitPull'], ResourceArns: [`arn:aws:codecommit:us-east-1:${ACCOUNT}:ana-notes`] });
    expect(out.EvaluationResults![0].EvalDecision).toBe('implicitDeny');
    expect(out.EvaluationResults![0].ResourceSpecificResults![0].MissingContextValues).toEqual(['aws:username']);
    const given = await simulateCustom({
      PolicyInputList: [policy],
      ActionNames: ['codecommit:GitPull'],
      ResourceArns: [`arn:aws:codecommit:us-east-1:${ACCOUNT}:ana-notes`],
      ContextEntries: [{ ContextKeyName: 'aws:username', ContextKeyValues: ['ana'], ContextKeyType: 'string' }],
    });
    expect(given.EvaluationResults![0].EvalDecision).toBe('allowed');
  });

  it('lists every key the policies reference that the request lacks, not only those of the simulated action', async () => {
    const policy = doc(
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example-bucket', Condition: { StringLike: { 'aws:PrincipalTag/allowed_service': 's3' } } },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::example-bucket/${aws:username}' },
    );
    const out = await simulateCustom({ PolicyInputList: [policy], ActionNames: ['s3:ListBucket'] });
    expect(out.EvaluationResults![0].MissingContextValues).toEqual(['aws:PrincipalTag/allowed_service', 'aws:username']);
  });
});

describe('context entry types', () => {
  const one = (condition: object) => doc({ Effect: 'Allow', Action: 'codebuild:StartBuild', Resource: '*', Condition: condition });
  const run = (condition: object, name: string, type: string, values: string[]) =>
    simulateCustom({
      PolicyInputList: [one(condition)],
      ActionNames: ['codebuild:StartBuild'],
      ContextEntries: [{ ContextKeyName: name, ContextKeyValues: values, ContextKeyType: type as 'string' }],
    }).then((out) => out.EvaluationResults![0].EvalDecision);

  it.each([
    ['numeric', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, 'aws:MultiFactorAuthAge', ['60'], ['7200']],
    ['boolean', { Bool: { 'aws:SecureTransport': 'true' } }, 'aws:SecureTransport', ['TRUE'], ['false']],
    ['ip', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, 'aws:SourceIp', ['203.0.113.9'], ['198.51.100.1']],
    ['date', { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, 'aws:CurrentTime', ['1700000000'], ['2031-05-01T00:00:00Z']],
    ['binary', { BinaryEquals: { 'codebuild:Blob': 'aGVsbG8=' } }, 'codebuild:Blob', ['aGVsbG8='], ['d29ybGQ=']],
    ['string', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, 'aws:RequestedRegion', ['eu-west-1'], ['us-east-1']],
  ])('%s values are compared as their type', async (type, condition, key, good, bad) => {
    expect(await run(condition, key, type, good)).toBe('allowed');
    expect(await run(condition, key, type, bad)).toBe('implicitDeny');
  });

  it.each([
    ['stringList', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } }, 'aws:TagKeys', ['team', 'env'], ['team', 'owner']],
    ['numericList', { 'ForAnyValue:NumericGreaterThan': { 'codebuild:Sizes': '10' } }, 'codebuild:Sizes', ['1', '20'], ['1', '2']],
    ['ipList', { 'ForAnyValue:IpAddress': { 'codebuild:Ips': '10.0.0.0/8' } }, 'codebuild:Ips', ['192.0.2.1', '10.1.2.3'], ['192.0.2.1']],
    ['booleanList', { 'ForAllValues:Bool': { 'codebuild:Flags': 'true' } }, 'codebuild:Flags', ['true', 'true'], ['true', 'false']],
    ['dateList', { 'ForAnyValue:DateGreaterThan': { 'codebuild:Dates': '2020-01-01' } }, 'codebuild:Dates', ['2019-01-01', '2021-01-01'], ['2019-01-01']],
    ['binaryList', { 'ForAnyValue:BinaryEquals': { 'codebuild:Blobs': 'aGVsbG8=' } }, 'codebuild:Blobs', ['d29ybGQ=', 'aGVsbG8='], ['d29ybGQ=']],
  ])('%s values are a multivalued key', async (type, condition, key, good, bad) => {
    expect(await run(condition, key, type, good)).toBe('allowed');
    expect(await run(condition, key, type, bad)).toBe('implicitDeny');
  });

  it('refuses a value that is not of its type, and several values for a single-valued type', async () => {
    const condition = { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } };
    for (const [type, value] of [['numeric', 'soon'], ['boolean', 'yes'], ['ip', '300.1.1.1'], ['date', 'yesterday'], ['binary', 'not base64!'], ['numericList', 'x']]) {
      const err = await awsError(run(condition, 'aws:MultiFactorAuthAge', type, [value]));
      expect(err).toMatchObject({ name: 'InvalidInputException', status: 400 });
      expect(err.message).toContain(value);
    }
    const err = await awsError(run(condition, 'aws:MultiFactorAuthAge', 'numeric', ['1', '2']));
    expect(err).toMatchObject({ name: 'InvalidInputException', status: 400 });
  });

  it('matches context key names without regard to case', async () => {
    expect(await run({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, 'AWS:requestedregion', 'string', ['eu-west-1'])).toBe('allowed');
  });
});

describe('principals: users with groups, roles, groups, and what they carry into the context', () => {
  beforeAll(async () => {
    await iam.send(new CreateUserCommand({ UserName: 'maria', Path: '/eng/' }));
    await iam.send(new TagUserCommand({ UserName: 'maria', Tags: [{ Key: 'team', Value: 'web' }] }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'maria',
      PolicyName: 'own-repos',
      PolicyDocument: doc({ Effect: 'Allow', Action: 'codecommit:*', Resource: `arn:aws:codecommit:*:${ACCOUNT}:\${aws:username}-*` }),
    }));
    await iam.send(new CreateGroupCommand({ GroupName: 'builders' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'builders', UserName: 'maria' }));
    await iam.send(new PutGroupPolicyCommand({
      GroupName: 'builders',
      PolicyName: 'team-builds',
      PolicyDocument: doc({ Effect: 'Allow', Action: 'codebuild:StartBuild', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'web' } } }),
    }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'builders', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitReadOnly' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: trustService() }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'deploy', PolicyDocument: allowAll('codedeploy:*') }));
  });

  it('resolves ${aws:username} from the simulated user', async () => {
    const out = await simulatePrincipal({
      PolicySourceArn: userArn('maria', '/eng/'),
      ActionNames: ['codecommit:GitPush'],
      ResourceArns: [`arn:aws:codecommit:us-east-1:${ACCOUNT}:maria-site`, `arn:aws:codecommit:us-east-1:${ACCOUNT}:ana-site`],
    });
    expect(decisions(out)).toEqual(['allowed', 'implicitDeny']);
    // The username and the team tag come from maria; the AWS managed policy of her group reads one more key.
    expect(out.EvaluationResults![0].ResourceSpecificResults![0].MissingContextValues).toEqual(['codestar-notifications:NotificationsForResource']);
  });

  it('includes the policies of the user\'s groups, AWS managed ones named by their policy name', async () => {
    const out = await simulatePrincipal({ PolicySourceArn: userArn('maria', '/eng/'), ActionNames: ['codebuild:StartBuild', 'codecommit:GetRepository'] });
    expect(decisions(out)).toEqual(['allowed', 'allowed']);
    expect(out.EvaluationResults![0].MatchedStatements!.map((s) => s.SourcePolicyId)).toEqual(['team-builds']);
    expect(out.EvaluationResults![1].MatchedStatements!.map((s) => s.SourcePolicyId)).toContain('AWSCodeCommitReadOnly');
  });

  it('takes principal tags from the user, and ContextEntries override them', async () => {
    const out = await simulatePrincipal({
      PolicySourceArn: userArn('maria', '/eng/'),
      ActionNames: ['codebuild:StartBuild'],
      ContextEntries: [{ ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: ['mobile'], ContextKeyType: 'string' }],
    });
    expect(decisions(out)).toEqual(['implicitDeny']);
  });

  it('adds PolicyInputList to the stored policies', async () => {
    const out = await simulatePrincipal({ PolicySourceArn: userArn('maria', '/eng/'), ActionNames: ['codepipeline:StartPipelineExecution'], PolicyInputList: [allowAll('codepipeline:*')] });
    expect(out.EvaluationResults![0]).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy' }] });
  });

  it('simulates a group with the group\'s policies only', async () => {
    const group = `arn:aws:iam::${ACCOUNT}:group/builders`;
    const out = await simulatePrincipal({ PolicySourceArn: group, ActionNames: ['codecommit:GitPush', 'codecommit:GetRepository', 'codebuild:StartBuild'], ResourceArns: [`arn:aws:codecommit:us-east-1:${ACCOUNT}:maria-site`] });
    // No username for a group, and no tag: the user's inline policy is not the group's.
    expect(decisions(out)).toEqual(['implicitDeny', 'allowed', 'implicitDeny']);
    expect(out.EvaluationResults![2].ResourceSpecificResults![0].MissingContextValues).toContain('aws:PrincipalTag/team');
  });

  it('simulates a role with its own policies', async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/deployer`;
    const out = await simulatePrincipal({ PolicySourceArn: role, ActionNames: ['codedeploy:CreateDeployment', 'codecommit:GitPull'] });
    expect(decisions(out)).toEqual(['allowed', 'implicitDeny']);
    expect(out.EvaluationResults![0].MatchedStatements![0].SourcePolicyId).toBe('deploy');
  });

  it('simulates CallerArn as calling with the source\'s policies', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const out = await simulatePrincipal({
      PolicySourceArn: userArn('maria', '/eng/'),
      CallerArn: userArn('bob'),
      ActionNames: ['codecommit:GitPush'],
      ResourceArns: [`arn:aws:codecommit:us-east-1:${ACCOUNT}:bob-site`, `arn:aws:codecommit:us-east-1:${ACCOUNT}:maria-site`],
    });
    expect(decisions(out)).toEqual(['allowed', 'implicitDeny']);
  });
});

describe('permissions boundaries', () => {
  let boundaryArn: string;
  beforeAll(async () => {
    await iam.send(new CreateUserCommand({ UserName: 'bounded' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'bounded', PolicyName: 'everything', PolicyDocument: allowAll('*') }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'only-codecommit', PolicyDocument: allowAll('codecommit:*') }));
    boundaryArn = Policy!.Arn!;
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: boundaryArn }));
  });

  it('caps the user\'s policies and says whether the boundary allowed', async () => {
    const out = await simulatePrincipal({ PolicySourceArn: userArn('bounded'), ActionNames: ['codecommit:GitPull', 'codebuild:StartBuild'] });
    expect(out.EvaluationResults!.map((r) => [r.EvalDecision, r.PermissionsBoundaryDecisionDetail])).toEqual([
      ['allowed', { AllowedByPermissionsBoundary: true }],
      ['implicitDeny', { AllowedByPermissionsBoundary: false }],
    ]);
    expect(out.EvaluationResults![0].MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType])).toEqual([
      ['everything', 'IAM Policy'],
      ['only-codecommit', 'Permissions Boundary Policy'],
    ]);
    expect(out.EvaluationResults![1].MatchedStatements).toEqual([]);
  });

  it('replaces the stored boundary with PermissionsBoundaryPolicyInputList', async () => {
    const out = await simulatePrincipal({
      PolicySourceArn: userArn('bounded'),
      ActionNames: ['codecommit:GitPull', 'codebuild:StartBuild'],
      PermissionsBoundaryPolicyInputList: [allowAll('codebuild:*')],
    });
    expect(decisions(out)).toEqual(['implicitDeny', 'allowed']);
    expect(out.EvaluationResults![1].MatchedStatements![1]).toMatchObject({ SourcePolicyId: 'PermissionsBoundaryPolicyInputList.1' });
  });

  it('reports a Deny in the boundary as an explicit deny', async () => {
    const out = await simulateCustom({
      PolicyInputList: [allowAll('*')],
      PermissionsBoundaryPolicyInputList: [doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'codecommit:DeleteRepository', Resource: '*' })],
      ActionNames: ['codecommit:DeleteRepository'],
    });
    expect(out.EvaluationResults![0]).toMatchObject({
      EvalDecision: 'explicitDeny',
      PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false },
      MatchedStatements: [{ SourcePolicyId: 'PermissionsBoundaryPolicyInputList.1', SourcePolicyType: 'Permissions Boundary Policy' }],
    });
  });

  it('applies a role\'s boundary', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'capped', AssumeRolePolicyDocument: trustService() }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'capped', PolicyName: 'all', PolicyDocument: allowAll('*') }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'capped', PermissionsBoundary: boundaryArn }));
    const out = await simulatePrincipal({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/capped`, ActionNames: ['codebuild:StartBuild'] });
    expect(out.EvaluationResults![0]).toMatchObject({ EvalDecision: 'implicitDeny', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false } });
  });

  it('takes only one boundary policy', async () => {
    const err = await awsError(simulateCustom({ PolicyInputList: [allowAll()], PermissionsBoundaryPolicyInputList: [allowAll(), allowAll()], ActionNames: ['s3:GetObject'] }));
    expect(err).toMatchObject({ name: 'InvalidInputException', status: 400 });
  });
});

describe('resource policies, callers and resource owners', () => {
  const caller = userArn('res-user');
  const other = userArn('someone-else');
  const bucket = 'arn:aws:s3:::shared-artifacts/build.zip';
  const resourcePolicy = (principal: string, effect = 'Allow') =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Principal: { AWS: principal }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared-artifacts/*' }] });

  beforeAll(async () => {
    await iam.send(new CreateUserCommand({ UserName: 'res-user' }));
  });

  it('a resource policy naming the caller allows without any identity policy', async () => {
    const out = await simulateCustom({ PolicyInputList: [allowAll('codecommit:*')], ResourcePolicy: resourcePolicy(caller), CallerArn: caller, ActionNames: ['s3:GetObject'], ResourceArns: [bucket] });
    expect(out.EvaluationResults![0]).toMatchObject({
      EvalDecision: 'allowed',
      EvalDecisionDetails: {},
      MatchedStatements: [{ SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'Resource Policy', StartPosition: { Line: 1, Column: 38 } }],
    });
    const notNamed = await simulateCustom({ PolicyInputList: [allowAll('codecommit:*')], ResourcePolicy: resourcePolicy(other), CallerArn: caller, ActionNames: ['s3:GetObject'], ResourceArns: [bucket] });
    expect(decisions(notNamed)).toEqual(['implicitDeny']);
  });

  it('a Deny in the resource policy wins over an identity Allow', async () => {
    const out = await simulatePrincipal({ PolicySourceArn: caller, PolicyInputList: [allowAll('s3:*')], ResourcePolicy: resourcePolicy('*', 'Deny'), ActionNames: ['s3:GetObject'], ResourceArns: [bucket] });
    expect(out.EvaluationResults![0]).toMatchObject({ EvalDecision: 'explicitDeny', MatchedStatements: [{ SourcePolicyId: 'ResourcePolicy' }] });
  });

  it('needs CallerArn for a resource policy unless the source is a user', async () => {
    const expected = { name: 'InvalidInputException', status: 400, message: 'Invalid caller - Caller must be an IAM user in this context.' };
    expect(await awsError(simulateCustom({ PolicyInputList: [allowAll()], ResourcePolicy: resourcePolicy(caller), ActionNames: ['s3:GetObject'] }))).toMatchObject(expected);
    await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trustService() }));
    const role = `arn:aws:iam::${ACCOUNT}:role/reader`;
    expect(await awsError(simulatePrincipal({ PolicySourceArn: role, ResourcePolicy: resourcePolicy(caller), ActionNames: ['s3:GetObject'] }))).toMatchObject(expected);
    expect(await awsError(simulatePrincipal({ PolicySourceArn: caller, CallerArn: role, ActionNames: ['s3:GetObject'] }))).toMatchObject(expected);
    const withCaller = await simulatePrincipal({ PolicySourceArn: role, CallerArn: caller, ResourcePolicy: resourcePolicy(caller), ActionNames: ['s3:GetObject'], ResourceArns: [bucket] });
    expect(decisions(withCaller)).toEqual(['allowed']);
  });

  it('evaluates a resource of another account across accounts: both sides must allow', async () => {
    const foreign = `arn:aws:codecommit:us-east-1:${OTHER}:their-repo`;
    const out = await simulateCustom({ PolicyInputList: [allowAll('codecommit:*')], CallerArn: caller, ActionNames: ['codecommit:GitPull'], ResourceArns: [foreign] });
    expect(out.EvaluationResults![0]).toMatchObject({ EvalDecision: 'implicitDeny', EvalDecisionDetails: { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' } });
    expect(out.EvaluationResults![0].ResourceSpecificResults![0].EvalDecisionDetails).toEqual({ 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' });
  });

  it('takes ResourceOwner as the owner of resources whose ARN names no account', async () => {
    const input = { PolicyInputList: [allowAll('s3:*')], CallerArn: caller, ActionNames: ['s3:GetObject'], ResourceArns: [bucket] };
    expect(decisions(await simulateCustom(input))).toEqual(['allowed']);
    const foreign = await simulateCustom({ ...input, ResourceOwner: `arn:aws:iam::${OTHER}:root` });
    expect(foreign.EvaluationResults![0]).toMatchObject({ EvalDecision: 'implicitDeny', EvalDecisionDetails: { 'IAM Policy': 'allowed' } });
    const granted = await simulateCustom({ ...input, ResourceOwner: `arn:aws:iam::${OTHER}:root`, ResourcePolicy: resourcePolicy(caller) });
    expect(granted.EvaluationResults![0]).toMatchObject({ EvalDecision: 'allowed', EvalDecisionDetails: { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' } });
    const err = await awsError(simulateCustom({ ...input, ResourceOwner: OTHER }));
    expect(err).toMatchObject({ name: 'InvalidInputException', message: `'${OTHER}' is not a valid as a Resource Owner.` });
  });
});

describe('GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy', () => {
  it('lists the documented example\'s keys: the Resource variable, then the condition key', async () => {
    const policy =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';
    const out = await iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy] }));
    expect(out.ContextKeyNames).toEqual(['aws:username', 'aws:CurrentTime']);
  });

  it('de-duplicates across policies without regard to case, and knows where variables are text', async () => {
    const a = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringLike: { 's3:prefix': '${aws:userid}/*' }, Bool: { 'aws:SecureTransport': 'true' } } });
    const b = doc({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { BoolIfExists: { 'AWS:securetransport': 'false' }, NumericLessThan: { 's3:max-keys': '${aws:literal}' } } });
    const legacy = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}' }] });
    const out = await iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [a, b, legacy] }));
    expect(out.ContextKeyNames).toEqual(['s3:prefix', 'aws:userid', 'aws:SecureTransport', 's3:max-keys']);
    const none = await iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [allowAll()] }));
    expect(none.ContextKeyNames ?? []).toEqual([]);
  });

  it('reads a principal\'s own, group and boundary policies plus PolicyInputList', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'keys-user' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'keys-user',
      PolicyName: 'p',
      PolicyDocument: doc({ Effect: 'Allow', Action: 'codecommit:*', Resource: '*', Condition: { StringEquals: { 'codecommit:References': 'refs/heads/dev' } } }),
    }));
    await iam.send(new CreateGroupCommand({ GroupName: 'keys-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'keys-group', UserName: 'keys-user' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'keys-group', PolicyName: 'g', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) }));
    const { Policy } = await iam.send(new CreatePolicyCommand({
      PolicyName: 'keys-boundary',
      PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }),
    }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'keys-user', PermissionsBoundary: Policy!.Arn }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'keys-user', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitReadOnly' }));
    const extra = doc({ Effect: 'Allow', Action: 'sts:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } });
    const out = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: userArn('keys-user'), PolicyInputList: [extra] }));
    expect(out.ContextKeyNames).toEqual([
      'codecommit:References',
      'aws:username',
      'codestar-notifications:NotificationsForResource',
      'aws:SourceIp',
      'aws:CurrentTime',
      'aws:RequestedRegion',
    ]);
    const group = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:group/keys-group` }));
    expect(group.ContextKeyNames).toEqual(['aws:SourceIp']);
  });
});

describe('errors', () => {
  const simulate = (input: Partial<SimulatePrincipalPolicyCommandInput>) =>
    awsError(simulatePrincipal({ PolicySourceArn: userArn('nobody'), ActionNames: ['s3:GetObject'], ...input }));

  it('answers NoSuchEntity for a user, group or role that does not exist', async () => {
    expect(await simulate({})).toEqual({ name: 'NoSuchEntityException', code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.', status: 404 });
    expect(await simulate({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/ghost` })).toMatchObject({ name: 'NoSuchEntityException', message: 'The role with name ghost cannot be found.' });
    expect(await simulate({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:group/ghosts` })).toMatchObject({ name: 'NoSuchEntityException', message: 'The group with name ghosts cannot be found.' });
    const keys = await awsError(iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: userArn('nobody') })));
    expect(keys).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  it('refuses a source ARN that names no user, group or role, or one of another account', async () => {
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/s1`;
    expect(await simulate({ PolicySourceArn: session })).toMatchObject({
      name: 'InvalidInputException',
      status: 400,
      message: `Invalid Entity Arn: ${session} does not clearly define entity type and name.`,
    });
    expect(await simulate({ PolicySourceArn: `arn:aws:iam::${OTHER}:user/alice` })).toMatchObject({
      name: 'InvalidInputException',
      message: `Invalid Policy Source Arn: caller's account ${ACCOUNT} does not have access to policies in account ${OTHER}`,
    });
  });

  it('answers MalformedPolicyDocument with the validator\'s text for a bad input policy', async () => {
    const custom = (input: Partial<SimulateCustomPolicyCommandInput>) => awsError(simulateCustom({ PolicyInputList: [allowAll()], ActionNames: ['s3:GetObject'], ...input }));
    expect(await custom({ PolicyInputList: ['{"Version":'] })).toEqual({ name: 'MalformedPolicyDocumentException', code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.', status: 400 });
    expect(await custom({ PermissionsBoundaryPolicyInputList: [doc({ Effect: 'Allow', Resource: '*' })] })).toMatchObject({ message: 'Policy statement must contain actions.' });
    const noPrincipal = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
    expect(await custom({ ResourcePolicy: noPrincipal, CallerArn: userArn('res-user') })).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'Missing required field Principal' });
    const keys = await awsError(iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: ['not json'] })));
    expect(keys).toMatchObject({ name: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.' });
  });

  it('refuses resource names that are not ARNs, and action names without a service or with wildcards', async () => {
    const custom = (input: Partial<SimulateCustomPolicyCommandInput>) => awsError(simulateCustom({ PolicyInputList: [allowAll()], ActionNames: ['s3:GetObject'], ...input }));
    expect(await custom({ ResourceArns: ['14a050d4-021e-4efe-84bb-0871bf6d0fda'] })).toMatchObject({
      name: 'InvalidInputException',
      message: 'ResourceNames are not in a valid ARN format: 14a050d4-021e-4efe-84bb-0871bf6d0fda.',
    });
    for (const action of ['GetObject', 's3:Get*', 's3:a:b']) expect(await custom({ ActionNames: [action] })).toMatchObject({ name: 'InvalidInputException', status: 400 });
    expect(await custom({ ResourceHandlingOption: 'Lambda' })).toMatchObject({ name: 'InvalidInputException', status: 400 });
    expect(decisions(await simulateCustom({ PolicyInputList: [allowAll()], ActionNames: ['s3:GetObject'], ResourceHandlingOption: 'EC2-VPC-EBS' }))).toEqual(['allowed']);
  });

  it('validates the request against the model first', async () => {
    const err = await awsError(simulateCustom({ PolicyInputList: [allowAll()], ActionNames: ['s3:GetObject'], MaxItems: 0 }));
    expect(err).toMatchObject({ name: 'ValidationError', status: 400 });
  });
});

describe('pagination', () => {
  it('pages the results with MaxItems and Marker', async () => {
    const input = {
      PolicyInputList: [allowAll('codecommit:*')],
      ActionNames: ['codecommit:GitPull', 'codecommit:GitPush', 'codebuild:StartBuild'],
      ResourceArns: [REPO, `arn:aws:codecommit:us-east-1:${ACCOUNT}:api`],
    };
    const first = await simulateCustom({ ...input, MaxItems: 4 });
    expect(first.EvaluationResults).toHaveLength(4);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    const second = await simulateCustom({ ...input, MaxItems: 4, Marker: first.Marker });
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
    expect([...first.EvaluationResults!, ...second.EvaluationResults!].map((r) => `${r.EvalActionName} ${r.EvalDecision}`)).toEqual([
      'codecommit:GitPull allowed',
      'codecommit:GitPull allowed',
      'codecommit:GitPush allowed',
      'codecommit:GitPush allowed',
      'codebuild:StartBuild implicitDeny',
      'codebuild:StartBuild implicitDeny',
    ]);
    const all = await simulateCustom(input);
    expect(all.EvaluationResults).toHaveLength(6);
    expect(all.IsTruncated).toBe(false);
    expect(await awsError(simulateCustom({ ...input, Marker: 'bm90LWEtbWFya2Vy' }))).toMatchObject({ status: 400 });
  });
});

describe('IAM declarations', () => {
  it('authorizes each operation on its IAM action and resource', () => {
    const db = openDatabase(undefined);
    try {
      const service = createIam(standaloneDeps(db, '/nonexistent'));
      const ctx = { accountId: ACCOUNT } as RequestContext;
      const source = userArn('alice');
      const declared = (operation: string, input: object) => [service.operations[operation].iam.action, service.operations[operation].iam.resource(input, ctx)];
      expect(declared('SimulatePrincipalPolicy', { PolicySourceArn: source })).toEqual(['iam:SimulatePrincipalPolicy', source]);
      expect(declared('SimulateCustomPolicy', {})).toEqual(['iam:SimulateCustomPolicy', '*']);
      expect(declared('GetContextKeysForPrincipalPolicy', { PolicySourceArn: source })).toEqual(['iam:GetContextKeysForPrincipalPolicy', source]);
      expect(declared('GetContextKeysForCustomPolicy', {})).toEqual(['iam:GetContextKeysForCustomPolicy', '*']);
    } finally {
      db.close();
    }
  });
});
