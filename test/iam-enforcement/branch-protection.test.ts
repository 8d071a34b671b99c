import {
  CreateBranchCommand,
  CreateRepositoryCommand,
  DeleteBranchCommand,
  GetBranchCommand,
  ListRepositoriesCommand,
} from '@aws-sdk/client-codecommit';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { commitFile, git, gitOk, tempDir } from '../helpers/git.js';
import { awsError, testServer } from '../helpers/server.js';
import { allowAllCodeCommit, codecommitAs, httpsGitUrl, iamAs, rootKeys, seedDenyPolicy, sigv4GitUrl, type Keys } from './helpers.js';

let server: RunningServer;
const work = tempDir();
let alice: Keys;
let aliceGit: { user: string; password: string };
let repoArn: string;
const repo = 'MyDemoRepo';
const heads: Record<string, string> = {};

beforeAll(async () => {
  server = await testServer({ enforceIam: true });
  const root = codecommitAs(server, rootKeys);
  repoArn = (await root.send(new CreateRepositoryCommand({ repositoryName: repo }))).repositoryMetadata!.Arn!;
  const seed = join(work.path, 'seed');
  await gitOk(work.path, ['clone', '-q', sigv4GitUrl(server, repo, rootKeys), seed]);
  heads.main = await commitFile(seed, 'README.md', 'hello\n');
  await gitOk(seed, ['push', '-q', 'origin', 'HEAD:main', 'HEAD:prod', 'HEAD:feature']);

  const iam = iamAs(server, rootKeys);
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'codecommit-all', PolicyDocument: allowAllCodeCommit }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'protect-main-prod', PolicyDocument: seedDenyPolicy(repoArn) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  alice = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const cred = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'alice', ServiceName: 'codecommit.amazonaws.com' })))
    .ServiceSpecificCredential!;
  aliceGit = { user: cred.ServiceUserName!, password: cred.ServicePassword! };
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

async function aliceClone(name: string, url = httpsGitUrl(server, repo, aliceGit.user, aliceGit.password)): Promise<string> {
  const dir = join(work.path, name);
  await gitOk(work.path, ['clone', '-q', url, dir]);
  return dir;
}

async function remoteHead(branch: string): Promise<string | undefined> {
  const out = await gitOk(work.path, ['ls-remote', sigv4GitUrl(server, repo, rootKeys), `refs/heads/${branch}`]);
  return out.split('\t')[0] || undefined;
}

describe('the seed lab: branch protection with --enforce-iam', () => {
  it('refuses alice’s pushes to main and prod and leaves them unchanged', async () => {
    const dir = await aliceClone('alice-https');
    await commitFile(dir, 'change.txt', 'alice was here\n');
    for (const branch of ['main', 'prod']) {
      const push = await git(dir, ['push', 'origin', `HEAD:${branch}`]);
      expect(push.code).not.toBe(0);
      expect(push.stderr).toContain(`[remote rejected] HEAD -> ${branch}`);
      expect(push.stderr).toContain('is not authorized to perform: codecommit:GitPush');
      expect(push.stderr).toContain('with an explicit deny in an identity-based policy');
      expect(await remoteHead(branch)).toBe(heads.main);
    }
  });

  it('takes alice’s pushes to feature and to a new branch, with either kind of git credential', async () => {
    const dir = await aliceClone('alice-sigv4', sigv4GitUrl(server, repo, alice));
    const commit = await commitFile(dir, 'feature.txt', 'work\n');
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:feature', 'HEAD:alice/new-branch']);
    expect(await remoteHead('feature')).toBe(commit);
    expect(await remoteHead('alice/new-branch')).toBe(commit);
  });

  it('refuses a push that mixes an allowed and a denied branch as a whole', async () => {
    const dir = await aliceClone('alice-mixed');
    const commit = await commitFile(dir, 'mixed.txt', 'mixed\n');
    const push = await git(dir, ['push', 'origin', 'HEAD:main', 'HEAD:mixed-ok']);
    expect(push.code).not.toBe(0);
    expect(await remoteHead('mixed-ok')).toBeUndefined();
    expect(await remoteHead('main')).not.toBe(commit);
  });

  it('denies DeleteBranch on main and prod with the explicit-deny message, and allows it on feature', async () => {
    const cc = codecommitAs(server, alice);
    for (const branchName of ['main', 'prod']) {
      const err = await awsError(cc.send(new DeleteBranchCommand({ repositoryName: repo, branchName })));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toBe(
        `User: arn:aws:iam::000000000000:user/alice is not authorized to perform: codecommit:DeleteBranch on resource: ${repoArn} with an explicit deny in an identity-based policy`,
      );
    }
    await cc.send(new CreateBranchCommand({ repositoryName: repo, branchName: 'to-delete', commitId: heads.main }));
    expect((await cc.send(new DeleteBranchCommand({ repositoryName: repo, branchName: 'to-delete' }))).deletedBranch?.branchName).toBe('to-delete');
    expect((await cc.send(new GetBranchCommand({ repositoryName: repo, branchName: 'main' }))).branch?.commitId).toBe(heads.main);
  });

  it('keeps the deny when alice also gets AWSCodeCommitPowerUser through a group', async () => {
    const iam = iamAs(server, rootKeys);
    await iam.send(new CreateGroupCommand({ GroupName: 'developers' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'developers', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'alice' }));
    const dir = await aliceClone('alice-group');
    await commitFile(dir, 'group.txt', 'x\n');
    expect((await git(dir, ['push', 'origin', 'HEAD:main'])).code).not.toBe(0);
    expect(await remoteHead('main')).toBe(heads.main);
    expect((await awsError(codecommitAs(server, alice).send(new DeleteBranchCommand({ repositoryName: repo, branchName: 'prod' })))).name).toBe(
      'AccessDeniedException',
    );
  });

  it('tells a user without policies that no identity-based policy allows the action', async () => {
    const iam = iamAs(server, rootKeys);
    await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }))).AccessKey!;
    const err = await awsError(
      codecommitAs(server, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }).send(new ListRepositoriesCommand({})),
    );
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      'User: arn:aws:iam::000000000000:user/nobody is not authorized to perform: codecommit:ListRepositories on resource: * because no identity-based policy allows the codecommit:ListRepositories action',
    );
  });
});
