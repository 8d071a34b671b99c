/**
 * Decisions per second of the IAM evaluator on one core: a user with ten attached policies of
 * typical size (several statements, wildcards, conditions, a policy variable) and a mix of
 * requests that end allowed, explicitly denied and implicitly denied. Goal: >= 100,000/s.
 */
import { evaluate, type EvaluationRequest, type PolicyInput } from '../src/iam/policy/index.js';

const ACCOUNT = '111122223333';
const repo = (name: string) => `arn:aws:codecommit:us-east-1:${ACCOUNT}:${name}`;

const documents: object[] = [
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadAll', Effect: 'Allow', Action: ['codecommit:Get*', 'codecommit:List*', 'codecommit:Describe*', 'codecommit:BatchGet*', 'codecommit:GitPull'], Resource: '*' },
      { Sid: 'WriteTeamRepos', Effect: 'Allow', Action: ['codecommit:GitPush', 'codecommit:CreateBranch', 'codecommit:PutFile', 'codecommit:CreateCommit'], Resource: [repo('team-*'), repo('shared-?')] },
      { Sid: 'OwnRepo', Effect: 'Allow', Action: 'codecommit:*', Resource: `arn:aws:codecommit:*:${ACCOUNT}:\${aws:username}-*` },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ProtectMain',
        Effect: 'Deny',
        Action: ['codecommit:GitPush', 'codecommit:DeleteBranch', 'codecommit:PutFile', 'codecommit:Merge*'],
        Resource: 'arn:aws:codecommit:*:*:*',
        Condition: { StringEqualsIfExists: { 'codecommit:References': ['refs/heads/main', 'refs/heads/prod'] }, Null: { 'codecommit:References': 'false' } },
      },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Builds', Effect: 'Allow', Action: ['codebuild:StartBuild', 'codebuild:BatchGet*', 'codebuild:List*'], Resource: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/*` },
      { Sid: 'Reports', Effect: 'Allow', Action: 'codebuild:*Report*', Resource: `arn:aws:codebuild:us-east-1:${ACCOUNT}:report-group/*` },
      { Sid: 'NoDelete', Effect: 'Deny', Action: 'codebuild:Delete*', Resource: '*' },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Deploy', Effect: 'Allow', Action: ['codedeploy:CreateDeployment', 'codedeploy:Get*', 'codedeploy:List*'], Resource: `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:*/*` },
      { Sid: 'Configs', Effect: 'Allow', Action: 'codedeploy:GetDeploymentConfig', Resource: `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentconfig:*` },
      {
        Sid: 'OnlyBusinessHours',
        Effect: 'Deny',
        Action: 'codedeploy:CreateDeployment',
        Resource: '*',
        Condition: { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
      },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Pipelines', Effect: 'Allow', Action: ['codepipeline:Get*', 'codepipeline:List*', 'codepipeline:StartPipelineExecution'], Resource: `arn:aws:codepipeline:us-east-1:${ACCOUNT}:*` },
      { Sid: 'Approvals', Effect: 'Allow', Action: 'codepipeline:PutApprovalResult', Resource: `arn:aws:codepipeline:us-east-1:${ACCOUNT}:*/*/*`, Condition: { StringEquals: { 'aws:PrincipalTag/team': 'release' } } },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:DescribeLog*'], Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/codebuild/*` },
      { Sid: 'Artifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::artifacts-*/*' },
      { Sid: 'TlsOnly', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Params', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/*` },
      { Sid: 'Secrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/*`, Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'OfficeOnly', Effect: 'Deny', NotAction: ['codecommit:Get*', 'codecommit:List*'], Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24'] }, Bool: { 'aws:ViaAWSService': 'false' } } },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Self', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListAccessKeys', 'iam:CreateServiceSpecificCredential'], Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` },
      { Sid: 'Mfa', Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Tagged', Effect: 'Allow', Action: 'codecommit:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } } },
      { Sid: 'TagKeys', Effect: 'Allow', Action: 'codecommit:TagResource', Resource: '*', Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['team-*', 'cost-center'] } } },
    ],
  },
];

// Policies arrive as stored text, as the IAM store will hand them over.
const identityPolicies: PolicyInput[] = documents.map((d, i) => ({ id: `arn:aws:iam::${ACCOUNT}:policy/p${i}`, document: JSON.stringify(d) }));
const principal = { type: 'user' as const, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userId: 'AIDAEXAMPLE' };
const baseContext = {
  'aws:username': 'alice',
  'aws:userid': 'AIDAEXAMPLE',
  'aws:PrincipalArn': principal.arn,
  'aws:PrincipalAccount': ACCOUNT,
  'aws:PrincipalType': 'User',
  'aws:PrincipalTag/team': 'release',
  'aws:RequestedRegion': 'us-east-1',
  'aws:CurrentTime': '2026-03-01T12:00:00Z',
  'aws:EpochTime': 1772366400,
  'aws:SecureTransport': true,
  'aws:SourceIp': '10.1.2.3',
  'aws:ViaAWSService': false,
  'aws:MultiFactorAuthPresent': false,
};

const requests: EvaluationRequest[] = [
  ['codecommit:GitPull', repo('team-api'), {}],
  ['codecommit:GitPush', repo('team-api'), { 'codecommit:References': 'refs/heads/feature' }],
  ['codecommit:GitPush', repo('team-api'), { 'codecommit:References': 'refs/heads/main' }],
  ['codecommit:GitPush', repo('alice-sandbox'), {}],
  ['codecommit:DeleteRepository', repo('other'), {}],
  ['codecommit:GetBranch', repo('shared-1'), {}],
  ['codebuild:StartBuild', `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/web`, {}],
  ['codebuild:DeleteProject', `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/web`, {}],
  ['codedeploy:CreateDeployment', `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:app/prod`, {}],
  ['codepipeline:PutApprovalResult', `arn:aws:codepipeline:us-east-1:${ACCOUNT}:pipe/Approve/Manual`, {}],
  ['s3:GetObject', 'arn:aws:s3:::artifacts-main/build/1.zip', {}],
  ['iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/alice`, {}],
  ['iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/alice`, {}],
  ['codecommit:TagResource', repo('team-api'), { 'aws:TagKeys': ['team-a', 'cost-center'], 'aws:ResourceTag/owner': 'alice' }],
].map(([action, resource, extra]) => ({
  action: action as string,
  resource: resource as string,
  context: { ...baseContext, ...(extra as object) },
  principal,
  identityPolicies,
}));

function run(iterations: number): { decisions: number; seconds: number; tally: Record<string, number> } {
  const tally: Record<string, number> = { allowed: 0, explicitDeny: 0, implicitDeny: 0 };
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) tally[evaluate(requests[i % requests.length]).decision]++;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { decisions: iterations, seconds, tally };
}

run(50_000); // warm-up: compile policies, let the JIT settle
const { decisions, seconds, tally } = run(1_000_000);
const perSecond = Math.round(decisions / seconds);
console.log(`iam evaluator: ${perSecond.toLocaleString('en-US')} decisions/s (${decisions.toLocaleString('en-US')} in ${seconds.toFixed(2)} s, 10 policies, ${requests.length} request shapes)`);
console.log(`outcomes: ${JSON.stringify(tally)}`);
console.log(perSecond >= 100_000 ? 'goal of 100,000 decisions/s met' : 'below the goal of 100,000 decisions/s');
