import type {
  CreateBranchInput,
  DeleteBranchInput,
  DeleteBranchOutput,
  GetBranchInput,
  GetBranchOutput,
  ListBranchesInput,
  ListBranchesOutput,
  UpdateDefaultBranchInput,
} from '@aws-sdk/client-codecommit';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { repositoryArn } from './arns.js';
import { isValidBranchName } from './branch-names.js';
import { isoGit } from './isomorphic-git.js';
import { lookupRef } from './ref-lookup.js';
import { branchDoesNotExist, branchNameExists, commitDoesNotExist, defaultBranchCannotBeDeleted, inputError } from './errors.js';
import { page } from './pagination.js';
import type { Repositories } from './repositories.js';
import type { RepositoryRecord } from './repository-store.js';
import { publishRefChanges } from './state-change-events.js';

const arnOf = (ctx: RequestContext, name: string | undefined) =>
  repositoryArn({ region: ctx.region, accountId: ctx.accountId, name: name ?? '' });

/** The ref a branch operation changes: what IAM sees as `codecommit:References`. */
const references = (i: { branchName?: string }) => ({ 'codecommit:References': `refs/heads/${i.branchName ?? ''}` });

function checkBranchName(name: string): string {
  if (!isValidBranchName(name)) throw inputError('InvalidBranchNameException');
  return name;
}

export function branchOperations(repos: Repositories): Record<string, OperationSpec> {
  const gitdir = (repo: RepositoryRecord) => repos.git.dir(repo.id);

  const branchCommit = (repo: RepositoryRecord, branch: string) => lookupRef(gitdir(repo), `refs/heads/${branch}`);

  return {
    CreateBranch: operation<CreateBranchInput, object>({
      iam: { action: 'codecommit:CreateBranch', resource: (i, ctx) => arnOf(ctx, i.repositoryName), conditionKeys: references },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const branch = checkBranchName(input.branchName!);
        const commitId = input.commitId!;
        if (!/^[0-9a-f]{40}$/.test(commitId)) throw inputError('InvalidCommitIdException');
        if ((await repos.git.objectType(repo.id, commitId)) !== 'commit') throw commitDoesNotExist();
        // The same compare-and-swap every API write uses: of two creates, or a create and a push, one wins.
        if (!(await repos.git.updateRef(repo.id, `refs/heads/${branch}`, commitId, undefined, 'CreateBranch'))) throw branchNameExists();
        repos.store.touch(repo.id, repos.now());
        publishRefChanges(repos.deps, repo, [{ ref: `refs/heads/${branch}`, newCommitId: commitId }], ctx.principalArn);
        return {};
      },
    }),

    GetBranch: operation<GetBranchInput, GetBranchOutput>({
      iam: { action: 'codecommit:GetBranch', resource: (i, ctx) => arnOf(ctx, i.repositoryName) },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const commitId = await branchCommit(repo, input.branchName!);
        if (!commitId) throw branchDoesNotExist();
        return { branch: { branchName: input.branchName, commitId } };
      },
    }),

    ListBranches: operation<ListBranchesInput, ListBranchesOutput>({
      iam: { action: 'codecommit:ListBranches', resource: (i, ctx) => arnOf(ctx, i.repositoryName) },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const { git, fs } = await isoGit();
        const names = (await git.listBranches({ fs, gitdir: gitdir(repo) })).sort();
        const { items, nextToken } = page(names, input.nextToken, 100);
        return { branches: items, nextToken };
      },
    }),

    DeleteBranch: operation<DeleteBranchInput, DeleteBranchOutput>({
      iam: { action: 'codecommit:DeleteBranch', resource: (i, ctx) => arnOf(ctx, i.repositoryName), conditionKeys: references },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const branch = input.branchName!;
        if (branch === repo.defaultBranch) throw defaultBranchCannotBeDeleted();
        const commitId = await branchCommit(repo, branch);
        // A branch that is not there is already deleted: AWS answers without `deletedBranch`.
        if (!commitId) return {};
        const { git, fs } = await isoGit();
        await git.deleteRef({ fs, gitdir: gitdir(repo), ref: `refs/heads/${branch}` });
        repos.store.touch(repo.id, repos.now());
        publishRefChanges(repos.deps, repo, [{ ref: `refs/heads/${branch}`, oldCommitId: commitId }], ctx.principalArn);
        return { deletedBranch: { branchName: branch, commitId } };
      },
    }),

    UpdateDefaultBranch: operation<UpdateDefaultBranchInput, object>({
      iam: { action: 'codecommit:UpdateDefaultBranch', resource: (i, ctx) => arnOf(ctx, i.repositoryName) },
      handler: async (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const branch = input.defaultBranchName!;
        if (!(await branchCommit(repo, branch))) throw branchDoesNotExist();
        await repos.git.setHead(repo.id, branch);
        repos.store.update(repo.id, { defaultBranch: branch }, repos.now());
        return {};
      },
    }),
  };
}
