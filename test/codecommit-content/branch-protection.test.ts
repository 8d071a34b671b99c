import {
  CodeCommitClient,
  CreateBranchCommand,
  CreateRepositoryCommand,
  MergeBranchesByFastForwardCommand,
  MergeBranchesByThreeWayCommand,
  PutFileCommand,
} from '@aws-sdk/client-codecommit';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { text, tip } from './helpers.js';

type Keys = { accessKeyId: string; secretAccessKey: string };
const rootKeys: Keys = { accessKeyId: 'test', secretAccessKey: 'test' };
const codecommitAs = (server: RunningServer, credentials: Keys) =>
  new CodeCommitClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

/** The lab's policies: everything in CodeCommit, except changing main and prod (CodeCommit User Guide). */
const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'codecommit:*', Resource: '*' }] });
const protectMain = (resource: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['codecommit:GitPush', 'codecommit:DeleteBranch', 'codecommit:PutFile', 'codecommit:MergeBranchesByFastForward', 'codecommit:MergeBranchesBySquash', 'codecommit:MergeBranchesByThreeWay'],
        Resource: resource,
        Condition: {
          StringEqualsIfExists: { 'codecommit:References': ['refs/heads/main', 'refs/heads/prod'] },
          Null: { 'codecommit:References': 'false' },
        },
      },
    ],
  });

let server: RunningServer;
let alice: Keys;
let repoArn: string;
const repositoryName = 'ProtectedRepo';

beforeAll(async () => {
  server = await testServer({ enforceIam: true });
  const root = codecommitAs(server, rootKeys);
  repoArn = (await root.send(new CreateRepositoryCommand({ repositoryName }))).repositoryMetadata!.Arn!;
  const first = await root.send(new PutFileCommand({ repositoryName, branchName: 'main', filePath: 'README.md', fileContent: text('hello\n') }));
  await root.send(new CreateBranchCommand({ repositoryName, branchName: 'feature', commitId: first.commitId }));

  const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: rootKeys });
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'codecommit-all', PolicyDocument: allowAll }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'protect-main-prod', PolicyDocument: protectMain(repoArn) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  alice = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
});
afterAll(() => server.stop());

describe('the branch-protection lab on the content API', () => {
  it('denies PutFile and merges into main by codecommit:References, and allows them on feature', async () => {
    const cc = codecommitAs(server, alice);
    const main = await tip(cc, repositoryName, 'main');
    const denied = await awsError(
      cc.send(new PutFileCommand({ repositoryName, branchName: 'main', parentCommitId: main, filePath: 'x.txt', fileContent: text('x') })),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toBe(
      `User: arn:aws:iam::000000000000:user/alice is not authorized to perform: codecommit:PutFile on resource: ${repoArn} with an explicit deny in an identity-based policy`,
    );

    const onFeature = await cc.send(
      new PutFileCommand({ repositoryName, branchName: 'feature', parentCommitId: main, filePath: 'x.txt', fileContent: text('x') }),
    );
    expect(onFeature.commitId).toBeDefined();
    for (const command of [
      new MergeBranchesByFastForwardCommand({ repositoryName, sourceCommitSpecifier: 'feature', destinationCommitSpecifier: 'main' }),
      new MergeBranchesByThreeWayCommand({ repositoryName, sourceCommitSpecifier: 'feature', destinationCommitSpecifier: 'main' }),
      new MergeBranchesByFastForwardCommand({ repositoryName, sourceCommitSpecifier: 'feature', destinationCommitSpecifier: main, targetBranch: 'main' }),
    ]) {
      expect((await awsError(cc.send(command as never))).name).toBe('AccessDeniedException');
    }
    expect(await tip(cc, repositoryName, 'main')).toBe(main);

    // The same merge is the root's to make.
    const merged = await codecommitAs(server, rootKeys).send(
      new MergeBranchesByFastForwardCommand({ repositoryName, sourceCommitSpecifier: 'feature', destinationCommitSpecifier: 'main' }),
    );
    expect(await tip(cc, repositoryName, 'main')).toBe(merged.commitId);
  });
});
