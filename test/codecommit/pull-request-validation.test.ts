import { CreateProjectCommand, ListBuildsForProjectCommand } from '@aws-sdk/client-codebuild';
import {
  AssociateApprovalRuleTemplateWithRepositoryCommand,
  CreateApprovalRuleTemplateCommand,
  CreatePullRequestCommand,
  GetCommentsForPullRequestCommand,
  MergePullRequestByThreeWayCommand,
  UpdatePullRequestApprovalStateCommand,
  PostCommentForPullRequestCommand,
} from '@aws-sdk/client-codecommit';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { codebuild, dockerTestImage, pushRepository, ROLE, waitForBuild } from '../codebuild/helpers.js';
import { eventsClient } from '../events/helpers.js';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { codecommitAs, iamAs, rootKeys } from '../iam-enforcement/helpers.js';
import { awsError, testServer } from '../helpers/server.js';

/**
 * AWS's "Validating CodeCommit pull requests with CodeBuild and Lambda": a rule on pull request
 * events starts a build of the source commit; when it ends, a function acting as the build's role
 * posts the result as a comment and approves; a template's rule keeps the merge waiting for that
 * approval. The function's part is played by this test, with the role's own credentials.
 */
const docker = await dockerTestImage();
const executor = 'image' in docker ? 'docker' : 'local';
const ACCOUNT = '000000000000';

let server: RunningServer;
const work = tempDir();

beforeAll(async () => {
  server = await testServer({ buildExecutor: executor, buildNetworkMode: 'host' });
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

describe(`validating pull requests with a build (${executor} executor)`, () => {
  it('builds the source commit of a new pull request, and the build role’s approval unblocks the merge', async () => {
    const buildspec = 'version: 0.2\nphases:\n  build:\n    commands:\n      - test -f feature.txt\n      - echo "validated pull request $PULL_REQUEST_ID"\n';
    const { url } = await pushRepository(server, 'validated', { 'buildspec.yml': buildspec, 'README.md': 'hello\n' }, work.path);
    const cc = codecommitAs(server, rootKeys);
    await codebuild(server).send(
      new CreateProjectCommand({
        name: 'pr-check',
        source: { type: 'CODECOMMIT', location: url },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'image' in docker ? docker.image : 'codesuite-test/busybox:1', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: ROLE,
      }),
    );

    // The build's role, and who may act as it (the function's execution in AWS's sample).
    const iam = iamAs(server, rootKeys);
    await iam.send(new CreateUserCommand({ UserName: 'validator' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'validator',
        PolicyName: 'assume',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'validator' }))).AccessKey!;
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'codebuild-service-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/validator`, Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );

    await cc.send(
      new CreateApprovalRuleTemplateCommand({
        approvalRuleTemplateName: 'build-must-pass',
        approvalRuleTemplateContent: JSON.stringify({
          Version: '2018-11-08',
          DestinationReferences: ['refs/heads/main'],
          Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 1, ApprovalPoolMembers: [`arn:aws:sts::${ACCOUNT}:assumed-role/codebuild-service-role/*`] }],
        }),
      }),
    );
    await cc.send(new AssociateApprovalRuleTemplateWithRepositoryCommand({ approvalRuleTemplateName: 'build-must-pass', repositoryName: 'validated' }));

    const eb = eventsClient(server);
    await eb.send(
      new PutRuleCommand({
        Name: 'pull-request-builds',
        EventPattern: JSON.stringify({
          source: ['aws.codecommit'],
          'detail-type': ['CodeCommit Pull Request State Change'],
          detail: { event: ['pullRequestCreated', 'pullRequestSourceBranchUpdated'] },
        }),
      }),
    );
    await eb.send(
      new PutTargetsCommand({
        Rule: 'pull-request-builds',
        Targets: [
          {
            Id: 'build',
            Arn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/pr-check`,
            RoleArn: `arn:aws:iam::${ACCOUNT}:role/events-start-build`,
            InputTransformer: {
              InputPathsMap: { sourceCommit: '$.detail.sourceCommit', pullRequestId: '$.detail.pullRequestId' },
              InputTemplate: '{"sourceVersion": <sourceCommit>, "environmentVariablesOverride": [{"name": "PULL_REQUEST_ID", "value": <pullRequestId>, "type": "PLAINTEXT"}]}',
            },
          },
        ],
      }),
    );

    const dir = join(work.path, 'validated');
    await gitOk(dir, ['checkout', '-q', '-b', 'feature']);
    const sourceCommit = await commitFile(dir, 'feature.txt', 'the feature\n');
    await gitOk(dir, ['push', '-q', url, 'feature']);
    const pr = (await cc.send(new CreatePullRequestCommand({ title: 'Add the feature', targets: [{ repositoryName: 'validated', sourceReference: 'feature', destinationReference: 'main' }] })))
      .pullRequest!;
    const id = pr.pullRequestId!;
    expect(pr.approvalRules!.map((r) => r.approvalRuleName)).toEqual(['build-must-pass']);

    await server.scheduler.tick();
    const ids = (await codebuild(server).send(new ListBuildsForProjectCommand({ projectName: 'pr-check' }))).ids!;
    expect(ids).toHaveLength(1);
    const build = await waitForBuild(codebuild(server), ids[0], 120_000);
    expect(build).toMatchObject({ buildStatus: 'SUCCEEDED', sourceVersion: sourceCommit, initiator: 'events' });
    expect(build.environment!.environmentVariables).toEqual(expect.arrayContaining([{ name: 'PULL_REQUEST_ID', value: id, type: 'PLAINTEXT' }]));

    // Nobody from the pool has approved yet: the merge waits.
    expect((await awsError(cc.send(new MergePullRequestByThreeWayCommand({ pullRequestId: id, repositoryName: 'validated' })))).name).toBe(
      'PullRequestApprovalRulesNotSatisfiedException',
    );

    const sts = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'pr-validation' }))).Credentials!;
    const asBuildRole = codecommitAs(server, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    await asBuildRole.send(
      new PostCommentForPullRequestCommand({
        pullRequestId: id,
        repositoryName: 'validated',
        beforeCommitId: pr.pullRequestTargets![0].destinationCommit,
        afterCommitId: sourceCommit,
        content: `Build ${build.id} ${build.buildStatus}`,
      }),
    );
    await asBuildRole.send(new UpdatePullRequestApprovalStateCommand({ pullRequestId: id, revisionId: pr.revisionId, approvalState: 'APPROVE' }));

    const comments = (await cc.send(new GetCommentsForPullRequestCommand({ pullRequestId: id }))).commentsForPullRequestData!;
    expect(comments[0].comments![0]).toMatchObject({
      content: `Build ${build.id} SUCCEEDED`,
      authorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/codebuild-service-role/pr-validation`,
    });
    const merged = await cc.send(new MergePullRequestByThreeWayCommand({ pullRequestId: id, repositoryName: 'validated' }));
    expect(merged.pullRequest).toMatchObject({ pullRequestStatus: 'CLOSED', pullRequestTargets: [expect.objectContaining({ mergeMetadata: expect.objectContaining({ isMerged: true }) })] });
  });
});
