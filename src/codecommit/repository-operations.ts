import type {
  BatchGetRepositoriesInput,
  BatchGetRepositoriesOutput,
  CreateRepositoryInput,
  CreateRepositoryOutput,
  DeleteRepositoryInput,
  DeleteRepositoryOutput,
  GetRepositoryInput,
  GetRepositoryOutput,
  ListRepositoriesInput,
  ListRepositoriesOutput,
  UpdateRepositoryDescriptionInput,
  UpdateRepositoryEncryptionKeyInput,
  UpdateRepositoryEncryptionKeyOutput,
  UpdateRepositoryNameInput,
} from '@aws-sdk/client-codecommit';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { repositoryArn } from './arns.js';
import { encryptionKeyInvalidId, inputError, maximumRepositoryNamesExceeded, repositoryNameExists } from './errors.js';
import { page } from './pagination.js';
import type { Repositories } from './repositories.js';
import { checkTags } from './tag-rules.js';

/** Repositories not yet created have no ARN of their own; IAM sees the one they would get. */
const arnOf = (ctx: RequestContext, name: string | undefined) =>
  repositoryArn({ region: ctx.region, accountId: ctx.accountId, name: name ?? '' });

const DEFAULT_KMS_KEY = 'alias/aws/codecommit';
const KMS_KEY = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[\w-]+|alias\/[\w/_+=,.@-]+)|alias\/[\w/_+=,.@-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

const MAX_BATCH_NAMES = 100;

/** The model's pattern allows `x.git`, which CodeCommit's limits forbid. */
function checkNewName(name: string): string {
  if (name.toLowerCase().endsWith('.git')) throw inputError('InvalidRepositoryNameException');
  return name;
}

function checkKmsKey(id: string): string {
  if (!KMS_KEY.test(id)) throw encryptionKeyInvalidId();
  return id;
}

export function repositoryOperations(repos: Repositories): Record<string, OperationSpec> {
  return {
    CreateRepository: operation<CreateRepositoryInput, CreateRepositoryOutput>({
      iam: { action: 'codecommit:CreateRepository', resource: (i, ctx) => arnOf(ctx, i.repositoryName) },
      handler: async (input, ctx) => {
        const name = checkNewName(input.repositoryName!);
        if (repos.find(ctx, name)) throw repositoryNameExists(name);
        const tags = input.tags ?? {};
        checkTags({}, tags);
        const now = repos.now();
        const record = {
          id: repos.deps.ids.uuid(),
          accountId: ctx.accountId,
          region: ctx.region,
          name,
          description: input.repositoryDescription ?? null,
          defaultBranch: null,
          kmsKeyId: input.kmsKeyId === undefined ? DEFAULT_KMS_KEY : checkKmsKey(input.kmsKeyId),
          createdAt: now,
          updatedAt: now,
        };
        await repos.git.create(record.id);
        try {
          repos.store.insert(record, tags);
        } catch (err) {
          // Two creates of one name raced: the table's unique key decided, so drop our files.
          await repos.git.remove(record.id);
          if (repos.find(ctx, name)) throw repositoryNameExists(name);
          throw err;
        }
        return { repositoryMetadata: repos.metadata(record, ctx) };
      },
    }),

    GetRepository: operation<GetRepositoryInput, GetRepositoryOutput>({
      iam: { action: 'codecommit:GetRepository', resource: (i, ctx) => arnOf(ctx, i.repositoryName) },
      handler: (input, ctx) => ({ repositoryMetadata: repos.metadata(repos.require(ctx, input.repositoryName!), ctx) }),
    }),

    BatchGetRepositories: operation<BatchGetRepositoriesInput, BatchGetRepositoriesOutput>({
      iam: { action: 'codecommit:BatchGetRepositories', resource: () => '*' },
      handler: (input, ctx) => {
        if (input.repositoryNames!.length > MAX_BATCH_NAMES) throw maximumRepositoryNamesExceeded(MAX_BATCH_NAMES);
        const found = [];
        const missing = [];
        for (const name of input.repositoryNames!) {
          const repo = repos.find(ctx, name);
          if (repo) found.push(repos.metadata(repo, ctx));
          else missing.push(name);
        }
        return {
          repositories: found,
          repositoriesNotFound: missing,
          errors: missing.map((name) => ({ repositoryName: name, errorCode: 'RepositoryDoesNotExistException', errorMessage: `${name} does not exist` })),
        };
      },
    }),

    ListRepositories: operation<ListRepositoriesInput, ListRepositoriesOutput>({
      iam: { action: 'codecommit:ListRepositories', resource: () => '*' },
      handler: (input, ctx) => {
        const all = repos.store.list(ctx.accountId, ctx.region);
        const byDate = input.sortBy === 'lastModifiedDate';
        all.sort((a, b) => (byDate ? a.updatedAt - b.updatedAt || cmp(a.name, b.name) : cmp(a.name, b.name)));
        if (input.order === 'descending') all.reverse();
        const { items, nextToken } = page(all, input.nextToken, 1000);
        return { repositories: items.map((r) => ({ repositoryName: r.name, repositoryId: r.id })), nextToken };
      },
    }),

    DeleteRepository: operation<DeleteRepositoryInput, DeleteRepositoryOutput>({
      iam: { action: 'codecommit:DeleteRepository', resource: (i, ctx) => arnOf(ctx, i.repositoryName) },
      handler: async (input, ctx) => {
        const repo = repos.find(ctx, input.repositoryName!);
        // Deleting what is already gone succeeds and returns no id, as AWS documents.
        if (!repo) return {};
        repos.store.delete(repo.id);
        await repos.git.remove(repo.id);
        return { repositoryId: repo.id };
      },
    }),

    UpdateRepositoryName: operation<UpdateRepositoryNameInput, object>({
      iam: { action: 'codecommit:UpdateRepositoryName', resource: (i, ctx) => arnOf(ctx, i.oldName) },
      handler: (input, ctx) => {
        const repo = repos.require(ctx, input.oldName!);
        if (input.newName === input.oldName) return {};
        if (repos.find(ctx, checkNewName(input.newName!))) throw repositoryNameExists(input.newName!);
        repos.store.update(repo.id, { name: input.newName! }, repos.now());
        return {};
      },
    }),

    UpdateRepositoryDescription: operation<UpdateRepositoryDescriptionInput, object>({
      iam: { action: 'codecommit:UpdateRepositoryDescription', resource: (i, ctx) => arnOf(ctx, i.repositoryName) },
      handler: (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        repos.store.update(repo.id, { description: input.repositoryDescription ?? null }, repos.now());
        return {};
      },
    }),

    UpdateRepositoryEncryptionKey: operation<UpdateRepositoryEncryptionKeyInput, UpdateRepositoryEncryptionKeyOutput>({
      iam: { action: 'codecommit:UpdateRepositoryEncryptionKey', resource: (i, ctx) => arnOf(ctx, i.repositoryName) },
      handler: (input, ctx) => {
        const repo = repos.require(ctx, input.repositoryName!);
        const kmsKeyId = checkKmsKey(input.kmsKeyId!);
        repos.store.update(repo.id, { kmsKeyId }, repos.now());
        return { repositoryId: repo.id, kmsKeyId, originalKmsKeyId: repo.kmsKeyId };
      },
    }),
  };
}

/** Names sort by code point, as AWS's listings do, not by locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
