import {
  AssociateApprovalRuleTemplateWithRepositoryCommand,
  BatchAssociateApprovalRuleTemplateWithRepositoriesCommand,
  BatchDisassociateApprovalRuleTemplateFromRepositoriesCommand,
  CreateApprovalRuleTemplateCommand,
  CreateBranchCommand,
  CreatePullRequestApprovalRuleCommand,
  CreatePullRequestCommand,
  CreateRepositoryCommand,
  DeleteApprovalRuleTemplateCommand,
  DeletePullRequestApprovalRuleCommand,
  DescribePullRequestEventsCommand,
  DisassociateApprovalRuleTemplateFromRepositoryCommand,
  EvaluatePullRequestApprovalRulesCommand,
  GetApprovalRuleTemplateCommand,
  GetPullRequestApprovalStatesCommand,
  GetPullRequestCommand,
  GetPullRequestOverrideStateCommand,
  ListApprovalRuleTemplatesCommand,
  ListAssociatedApprovalRuleTemplatesForRepositoryCommand,
  ListRepositoriesForApprovalRuleTemplateCommand,
  MergePullRequestByThreeWayCommand,
  OverridePullRequestApprovalRulesCommand,
  PutFileCommand,
  UpdateApprovalRuleTemplateContentCommand,
  UpdateApprovalRuleTemplateDescriptionCommand,
  UpdateApprovalRuleTemplateNameCommand,
  UpdatePullRequestApprovalRuleContentCommand,
  UpdatePullRequestApprovalStateCommand,
  type CodeCommitClient,
} from '@aws-sdk/client-codecommit';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { text, tip } from '../codecommit-content/helpers.js';
import { allowAllCodeCommit, codecommitAs, iamAs, rootKeys, type Keys } from '../iam-enforcement/helpers.js';
import { seedLabDenyPolicy } from '../helpers/seed-policy.js';
import { awsError, testServer } from '../helpers/server.js';

let server: RunningServer;
let root: CodeCommitClient;
let alice: CodeCommitClient;
let bob: CodeCommitClient;
let carol: CodeCommitClient;
let reviewer: CodeCommitClient;
const REVIEW_POOL = 'arn:aws:sts::000000000000:assumed-role/CodeCommitReview/*';
const rule = (needed: number, pool?: string[], destinations?: string[]) =>
  JSON.stringify({
    Version: '2018-11-08',
    ...(destinations ? { DestinationReferences: destinations } : {}),
    Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: needed, ...(pool ? { ApprovalPoolMembers: pool } : {}) }],
  });

async function user(name: string, ...policies: string[]): Promise<Keys> {
  const iam = iamAs(server, rootKeys);
  await iam.send(new CreateUserCommand({ UserName: name }));
  for (const [i, doc] of policies.entries()) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: `p${i}`, PolicyDocument: doc }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

beforeAll(async () => {
  server = await testServer({ enforceIam: true });
  root = codecommitAs(server, rootKeys);
  alice = codecommitAs(server, await user('alice', allowAllCodeCommit));
  bob = codecommitAs(server, await user('bob', allowAllCodeCommit));
  // Carol works under the seed's branch protection: no merges into main.
  carol = codecommitAs(server, await user('carol', allowAllCodeCommit, JSON.stringify(seedLabDenyPolicy('arn:aws:codecommit:us-east-1:000000000000:*'))));
  const dave = await user('dave', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }));
  const iam = iamAs(server, rootKeys);
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'CodeCommitReview',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/dave' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: 'CodeCommitReview', PolicyName: 'review', PolicyDocument: allowAllCodeCommit }));
  const sts = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: dave });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/CodeCommitReview', RoleSessionName: 'Mary_Major' }))).Credentials!;
  reviewer = codecommitAs(server, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
});
afterAll(() => server.stop());

/** A repository with main and a feature branch ahead of it; alice opens a pull request from feature to `into`. */
async function pullRequest(repositoryName: string, into = 'main'): Promise<{ id: string; revisionId: string }> {
  if (!(await root.send(new CreateRepositoryCommand({ repositoryName })).catch(() => undefined))) throw new Error('repository not created');
  const main = (await root.send(new PutFileCommand({ repositoryName, branchName: 'main', filePath: 'README.md', fileContent: text('hello\n') }))).commitId!;
  if (into !== 'main') await root.send(new CreateBranchCommand({ repositoryName, branchName: into, commitId: main }));
  await root.send(new CreateBranchCommand({ repositoryName, branchName: 'feature', commitId: main }));
  await root.send(new PutFileCommand({ repositoryName, branchName: 'feature', filePath: 'f.txt', fileContent: text('f\n'), parentCommitId: main }));
  const pr = (await alice.send(new CreatePullRequestCommand({ title: 'feature', targets: [{ repositoryName, sourceReference: 'feature', destinationReference: into }] })))
    .pullRequest!;
  return { id: pr.pullRequestId!, revisionId: pr.revisionId! };
}

describe('approval rule templates and approvals', () => {
  it('applies a template to new pull requests into main, blocking the merge until the review pool approves', async () => {
    const content = rule(1, [REVIEW_POOL], ['refs/heads/main']);
    const { approvalRuleTemplate } = await root.send(
      new CreateApprovalRuleTemplateCommand({ approvalRuleTemplateName: 'require-review', approvalRuleTemplateContent: content, approvalRuleTemplateDescription: 'one reviewer' }),
    );
    expect(approvalRuleTemplate).toMatchObject({
      approvalRuleTemplateName: 'require-review',
      approvalRuleTemplateDescription: 'one reviewer',
      approvalRuleTemplateContent: content,
      ruleContentSha256: createHash('sha256').update(content).digest('hex'),
      lastModifiedUser: 'arn:aws:iam::000000000000:root',
    });
    await root.send(new CreateRepositoryCommand({ repositoryName: 'reviewed' }));
    await root.send(new AssociateApprovalRuleTemplateWithRepositoryCommand({ approvalRuleTemplateName: 'require-review', repositoryName: 'reviewed' }));
    expect((await root.send(new ListAssociatedApprovalRuleTemplatesForRepositoryCommand({ repositoryName: 'reviewed' }))).approvalRuleTemplateNames).toEqual([
      'require-review',
    ]);
    expect((await root.send(new ListRepositoriesForApprovalRuleTemplateCommand({ approvalRuleTemplateName: 'require-review' }))).repositoryNames).toEqual(['reviewed']);
    expect((await awsError(root.send(new DeleteApprovalRuleTemplateCommand({ approvalRuleTemplateName: 'require-review' })))).name).toBe(
      'ApprovalRuleTemplateInUseException',
    );

    const main = (await root.send(new PutFileCommand({ repositoryName: 'reviewed', branchName: 'main', filePath: 'README.md', fileContent: text('hello\n') }))).commitId!;
    await root.send(new CreateBranchCommand({ repositoryName: 'reviewed', branchName: 'feature', commitId: main }));
    await root.send(new CreateBranchCommand({ repositoryName: 'reviewed', branchName: 'dev', commitId: main }));
    await root.send(new PutFileCommand({ repositoryName: 'reviewed', branchName: 'feature', filePath: 'f.txt', fileContent: text('f\n'), parentCommitId: main }));
    const pr = (await alice.send(new CreatePullRequestCommand({ title: 'f', targets: [{ repositoryName: 'reviewed', sourceReference: 'feature', destinationReference: 'main' }] })))
      .pullRequest!;
    expect(pr.approvalRules).toEqual([
      expect.objectContaining({
        approvalRuleName: 'require-review',
        approvalRuleContent: content,
        originApprovalRuleTemplate: { approvalRuleTemplateId: approvalRuleTemplate!.approvalRuleTemplateId, approvalRuleTemplateName: 'require-review' },
      }),
    ]);
    // Into another branch the template does not apply.
    const toDev = await alice.send(new CreatePullRequestCommand({ title: 'd', targets: [{ repositoryName: 'reviewed', sourceReference: 'feature', destinationReference: 'dev' }] }));
    expect(toDev.pullRequest!.approvalRules).toEqual([]);

    const id = pr.pullRequestId!;
    const revisionId = pr.revisionId!;
    const author = await awsError(alice.send(new UpdatePullRequestApprovalStateCommand({ pullRequestId: id, revisionId, approvalState: 'APPROVE' })));
    expect(author).toMatchObject({
      name: 'PullRequestCannotBeApprovedByAuthorException',
      message:
        'The approval cannot be applied because the user approving the pull request matches the user who created the pull request. You cannot approve a pull request that you created.',
    });
    expect((await awsError(alice.send(new UpdatePullRequestApprovalRuleContentCommand({ pullRequestId: id, approvalRuleName: 'require-review', newRuleContent: rule(2) })))).name).toBe(
      'CannotModifyApprovalRuleFromTemplateException',
    );
    expect((await awsError(alice.send(new DeletePullRequestApprovalRuleCommand({ pullRequestId: id, approvalRuleName: 'require-review' })))).name).toBe(
      'CannotDeleteApprovalRuleFromTemplateException',
    );

    // Bob is not in the pool: his approval is recorded but does not satisfy the rule.
    await bob.send(new UpdatePullRequestApprovalStateCommand({ pullRequestId: id, revisionId, approvalState: 'APPROVE' }));
    expect((await bob.send(new EvaluatePullRequestApprovalRulesCommand({ pullRequestId: id, revisionId }))).evaluation).toEqual({
      approved: false,
      overridden: false,
      approvalRulesSatisfied: [],
      approvalRulesNotSatisfied: ['require-review'],
    });
    expect((await awsError(bob.send(new MergePullRequestByThreeWayCommand({ pullRequestId: id, repositoryName: 'reviewed' })))).name).toBe(
      'PullRequestApprovalRulesNotSatisfiedException',
    );

    await reviewer.send(new UpdatePullRequestApprovalStateCommand({ pullRequestId: id, revisionId, approvalState: 'APPROVE' }));
    expect((await bob.send(new GetPullRequestApprovalStatesCommand({ pullRequestId: id, revisionId }))).approvals).toEqual([
      { userArn: 'arn:aws:iam::000000000000:user/bob', approvalState: 'APPROVE' },
      { userArn: 'arn:aws:sts::000000000000:assumed-role/CodeCommitReview/Mary_Major', approvalState: 'APPROVE' },
    ]);
    expect((await bob.send(new EvaluatePullRequestApprovalRulesCommand({ pullRequestId: id, revisionId }))).evaluation).toMatchObject({
      approved: true,
      approvalRulesSatisfied: ['require-review'],
    });

    // Carol may not merge into main (the seed's policy); Bob may.
    const denied = await awsError(carol.send(new MergePullRequestByThreeWayCommand({ pullRequestId: id, repositoryName: 'reviewed' })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('codecommit:MergePullRequestByThreeWay');
    expect((await root.send(new GetPullRequestCommand({ pullRequestId: id }))).pullRequest!.pullRequestStatus).toBe('OPEN');
    const merged = await bob.send(new MergePullRequestByThreeWayCommand({ pullRequestId: id, repositoryName: 'reviewed' }));
    expect(merged.pullRequest!.pullRequestTargets![0].mergeMetadata).toMatchObject({ isMerged: true, mergedBy: 'arn:aws:iam::000000000000:user/bob' });
    expect(await tip(root, 'reviewed', 'main')).toBe(merged.pullRequest!.pullRequestTargets![0].mergeMetadata!.mergeCommitId);

    const types = (await root.send(new DescribePullRequestEventsCommand({ pullRequestId: id, pullRequestEventType: 'PULL_REQUEST_APPROVAL_STATE_CHANGED' }))).pullRequestEvents!;
    expect(types.map((e) => [e.actorArn, e.approvalStateChangedEventMetadata])).toEqual([
      ['arn:aws:iam::000000000000:user/bob', { revisionId, approvalStatus: 'APPROVE' }],
      ['arn:aws:sts::000000000000:assumed-role/CodeCommitReview/Mary_Major', { revisionId, approvalStatus: 'APPROVE' }],
    ]);
  });

  it('manages templates: names, descriptions, content by hash, batch associations, and refuses bad content', async () => {
    const content = rule(1);
    await root.send(new CreateApprovalRuleTemplateCommand({ approvalRuleTemplateName: 't1', approvalRuleTemplateContent: content }));
    expect((await awsError(root.send(new CreateApprovalRuleTemplateCommand({ approvalRuleTemplateName: 't1', approvalRuleTemplateContent: content })))).name).toBe(
      'ApprovalRuleTemplateNameAlreadyExistsException',
    );
    expect((await awsError(root.send(new CreateApprovalRuleTemplateCommand({ approvalRuleTemplateName: 't2', approvalRuleTemplateContent: '{not json' })))).name).toBe(
      'InvalidApprovalRuleTemplateContentException',
    );
    await root.send(new UpdateApprovalRuleTemplateNameCommand({ oldApprovalRuleTemplateName: 't1', newApprovalRuleTemplateName: 't1-renamed' }));
    await root.send(new UpdateApprovalRuleTemplateDescriptionCommand({ approvalRuleTemplateName: 't1-renamed', approvalRuleTemplateDescription: 'described' }));
    expect(
      (await awsError(root.send(new UpdateApprovalRuleTemplateContentCommand({ approvalRuleTemplateName: 't1-renamed', newRuleContent: rule(2), existingRuleContentSha256: 'ab' })))).name,
    ).toBe('InvalidRuleContentSha256Exception');
    const sha = createHash('sha256').update(content).digest('hex');
    const updated = await root.send(new UpdateApprovalRuleTemplateContentCommand({ approvalRuleTemplateName: 't1-renamed', newRuleContent: rule(2), existingRuleContentSha256: sha }));
    expect(updated.approvalRuleTemplate).toMatchObject({ approvalRuleTemplateDescription: 'described', approvalRuleTemplateContent: rule(2) });
    expect((await root.send(new GetApprovalRuleTemplateCommand({ approvalRuleTemplateName: 't1-renamed' }))).approvalRuleTemplate!.approvalRuleTemplateName).toBe('t1-renamed');
    expect((await root.send(new ListApprovalRuleTemplatesCommand({}))).approvalRuleTemplateNames).toContain('t1-renamed');

    await root.send(new CreateRepositoryCommand({ repositoryName: 'batch-a' }));
    const batch = await root.send(
      new BatchAssociateApprovalRuleTemplateWithRepositoriesCommand({ approvalRuleTemplateName: 't1-renamed', repositoryNames: ['batch-a', 'missing-repo'] }),
    );
    expect(batch.associatedRepositoryNames).toEqual(['batch-a']);
    expect(batch.errors).toEqual([{ repositoryName: 'missing-repo', errorCode: 'RepositoryDoesNotExistException', errorMessage: 'missing-repo does not exist' }]);
    const unbatch = await root.send(new BatchDisassociateApprovalRuleTemplateFromRepositoriesCommand({ approvalRuleTemplateName: 't1-renamed', repositoryNames: ['batch-a'] }));
    expect(unbatch.disassociatedRepositoryNames).toEqual(['batch-a']);
    await root.send(new AssociateApprovalRuleTemplateWithRepositoryCommand({ approvalRuleTemplateName: 't1-renamed', repositoryName: 'batch-a' }));
    await root.send(new DisassociateApprovalRuleTemplateFromRepositoryCommand({ approvalRuleTemplateName: 't1-renamed', repositoryName: 'batch-a' }));
    expect((await root.send(new DeleteApprovalRuleTemplateCommand({ approvalRuleTemplateName: 't1-renamed' }))).approvalRuleTemplateId).toBe(
      updated.approvalRuleTemplate!.approvalRuleTemplateId,
    );
    expect((await awsError(root.send(new GetApprovalRuleTemplateCommand({ approvalRuleTemplateName: 't1-renamed' })))).name).toBe('ApprovalRuleTemplateDoesNotExistException');
  });

  it('counts CodeCommitApprovers members, starts approvals over on a new revision, and overrides rules', async () => {
    const { id, revisionId } = await pullRequest('pool');
    expect(
      (await awsError(alice.send(new CreatePullRequestApprovalRuleCommand({ pullRequestId: id, approvalRuleName: 'bad', approvalRuleContent: '{"Version": "2018-11-08"' })))),
    ).toMatchObject({ name: 'InvalidApprovalRuleContentException', message: 'The content for the approval rule is not valid.' });
    const created = await alice.send(
      new CreatePullRequestApprovalRuleCommand({ pullRequestId: id, approvalRuleName: 'bob', approvalRuleContent: rule(1, ['CodeCommitApprovers:000000000000:bob']) }),
    );
    expect(created.approvalRule).toMatchObject({ approvalRuleName: 'bob', lastModifiedUser: 'arn:aws:iam::000000000000:user/alice' });
    expect((await awsError(alice.send(new CreatePullRequestApprovalRuleCommand({ pullRequestId: id, approvalRuleName: 'bob', approvalRuleContent: rule(1) })))).name).toBe(
      'ApprovalRuleNameAlreadyExistsException',
    );
    // The role session named like a pool member does not count without a wildcard; bob does.
    await reviewer.send(new UpdatePullRequestApprovalStateCommand({ pullRequestId: id, revisionId, approvalState: 'APPROVE' }));
    expect((await alice.send(new EvaluatePullRequestApprovalRulesCommand({ pullRequestId: id, revisionId }))).evaluation!.approved).toBe(false);
    await bob.send(new UpdatePullRequestApprovalStateCommand({ pullRequestId: id, revisionId, approvalState: 'APPROVE' }));
    expect((await alice.send(new EvaluatePullRequestApprovalRulesCommand({ pullRequestId: id, revisionId }))).evaluation!.approved).toBe(true);
    await bob.send(new UpdatePullRequestApprovalStateCommand({ pullRequestId: id, revisionId, approvalState: 'REVOKE' }));
    expect((await alice.send(new EvaluatePullRequestApprovalRulesCommand({ pullRequestId: id, revisionId }))).evaluation!.approved).toBe(false);
    await bob.send(new UpdatePullRequestApprovalStateCommand({ pullRequestId: id, revisionId, approvalState: 'APPROVE' }));

    // A new commit on the source is a new revision: approvals start over.
    const feature = await tip(root, 'pool', 'feature');
    await root.send(new PutFileCommand({ repositoryName: 'pool', branchName: 'feature', filePath: 'g.txt', fileContent: text('g\n'), parentCommitId: feature }));
    const next = (await alice.send(new GetPullRequestCommand({ pullRequestId: id }))).pullRequest!.revisionId!;
    expect(next).not.toBe(revisionId);
    expect((await awsError(bob.send(new UpdatePullRequestApprovalStateCommand({ pullRequestId: id, revisionId, approvalState: 'APPROVE' })))).name).toBe(
      'RevisionNotCurrentException',
    );
    expect((await alice.send(new EvaluatePullRequestApprovalRulesCommand({ pullRequestId: id, revisionId: next }))).evaluation!.approved).toBe(false);

    await alice.send(
      new UpdatePullRequestApprovalRuleContentCommand({ pullRequestId: id, approvalRuleName: 'bob', newRuleContent: rule(2), existingRuleContentSha256: created.approvalRule!.ruleContentSha256 }),
    );
    await bob.send(new OverridePullRequestApprovalRulesCommand({ pullRequestId: id, revisionId: next, overrideStatus: 'OVERRIDE' }));
    expect((await awsError(bob.send(new OverridePullRequestApprovalRulesCommand({ pullRequestId: id, revisionId: next, overrideStatus: 'OVERRIDE' })))).name).toBe(
      'OverrideAlreadySetException',
    );
    expect(await alice.send(new GetPullRequestOverrideStateCommand({ pullRequestId: id, revisionId: next }))).toMatchObject({
      overridden: true,
      overrider: 'arn:aws:iam::000000000000:user/bob',
    });
    expect((await alice.send(new EvaluatePullRequestApprovalRulesCommand({ pullRequestId: id, revisionId: next }))).evaluation).toMatchObject({ approved: true, overridden: true });
    const merged = await bob.send(new MergePullRequestByThreeWayCommand({ pullRequestId: id, repositoryName: 'pool' }));
    expect(merged.pullRequest!.pullRequestStatus).toBe('CLOSED');
    const overrides = (await root.send(new DescribePullRequestEventsCommand({ pullRequestId: id, pullRequestEventType: 'PULL_REQUEST_APPROVAL_RULE_OVERRIDDEN' }))).pullRequestEvents!;
    expect(overrides.map((e) => e.approvalRuleOverriddenEventMetadata)).toEqual([{ revisionId: next, overrideStatus: 'OVERRIDE' }]);
  });

  it('lets a user denied merges into main merge into another branch', async () => {
    const { id } = await pullRequest('protected-dev', 'dev');
    const merged = await carol.send(new MergePullRequestByThreeWayCommand({ pullRequestId: id, repositoryName: 'protected-dev' }));
    expect(merged.pullRequest!.pullRequestTargets![0].mergeMetadata!.mergedBy).toBe('arn:aws:iam::000000000000:user/carol');
  });
});
