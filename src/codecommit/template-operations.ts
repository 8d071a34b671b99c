import type {
  AssociateApprovalRuleTemplateWithRepositoryInput,
  BatchAssociateApprovalRuleTemplateWithRepositoriesInput,
  BatchAssociateApprovalRuleTemplateWithRepositoriesOutput,
  BatchDisassociateApprovalRuleTemplateFromRepositoriesInput,
  BatchDisassociateApprovalRuleTemplateFromRepositoriesOutput,
  CreateApprovalRuleTemplateInput,
  CreateApprovalRuleTemplateOutput,
  DeleteApprovalRuleTemplateInput,
  DeleteApprovalRuleTemplateOutput,
  DisassociateApprovalRuleTemplateFromRepositoryInput,
  GetApprovalRuleTemplateInput,
  GetApprovalRuleTemplateOutput,
  ListApprovalRuleTemplatesInput,
  ListApprovalRuleTemplatesOutput,
  ListAssociatedApprovalRuleTemplatesForRepositoryInput,
  ListAssociatedApprovalRuleTemplatesForRepositoryOutput,
  ListRepositoriesForApprovalRuleTemplateInput,
  ListRepositoriesForApprovalRuleTemplateOutput,
  UpdateApprovalRuleTemplateContentInput,
  UpdateApprovalRuleTemplateContentOutput,
  UpdateApprovalRuleTemplateDescriptionInput,
  UpdateApprovalRuleTemplateDescriptionOutput,
  UpdateApprovalRuleTemplateNameInput,
  UpdateApprovalRuleTemplateNameOutput,
} from '@aws-sdk/client-codecommit';
import type { RequestContext } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { parseRuleContent, ruleSha256 } from './approval-rules.js';
import { repositoryResource } from './content-iam.js';
import { inputError, maximumRepositoryNamesExceeded } from './errors.js';
import { page } from './pagination.js';
import type { Repositories } from './repositories.js';
import { templateView, type TemplateRecord, type TemplateStore } from './template-store.js';

/** CodeCommit's quotas: templates per region, templates per repository, repositories per batch call. */
const MAX_TEMPLATES = 1000;
const MAX_TEMPLATES_PER_REPOSITORY = 25;
const MAX_BATCH_REPOSITORIES = 25;
const MAX_NAMES_PER_PAGE = 100;
const INVALID_CONTENT = 'InvalidApprovalRuleTemplateContentException';

/** Templates are not resources of their own in IAM: their actions apply to every resource. */
const anyResource = () => '*';
/** The batch forms name several repositories in one call: IAM weighs it against the account's repositories as a whole. */
const anyRepository = (_: unknown, ctx: RequestContext) => repositoryResource({ repositoryName: '*' }, ctx);

export function templateOperations(repos: Repositories, templates: TemplateStore): Record<string, OperationSpec> {
  function require(ctx: RequestContext, name: string | undefined): TemplateRecord {
    if (!name) throw inputError('ApprovalRuleTemplateNameRequiredException');
    const t = templates.find(ctx.accountId, ctx.region, name);
    if (!t) throw inputError('ApprovalRuleTemplateDoesNotExistException');
    return t;
  }

  function pageSize(max: number | undefined): number {
    const size = max ?? MAX_NAMES_PER_PAGE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_NAMES_PER_PAGE) throw inputError('InvalidMaxResultsException');
    return size;
  }

  function associate(ctx: RequestContext, template: TemplateRecord, repositoryName: string): void {
    const repo = repos.require(ctx, repositoryName);
    repos.deps.db.transaction(() => {
      const current = templates.associatedWith(repo.id);
      if (current.some((t) => t.id === template.id)) return;
      if (current.length >= MAX_TEMPLATES_PER_REPOSITORY) throw inputError('MaximumRuleTemplatesAssociatedWithRepositoryException');
      templates.associate(template.id, repo.id);
    })();
  }

  function batch(ctx: RequestContext, names: string[] | undefined, each: (name: string) => void) {
    if (!names || names.length === 0) throw inputError('RepositoryNamesRequiredException');
    if (names.length > MAX_BATCH_REPOSITORIES) throw maximumRepositoryNamesExceeded(MAX_BATCH_REPOSITORIES);
    const done: string[] = [];
    const errors: { repositoryName: string; errorCode: string; errorMessage: string }[] = [];
    for (const name of names) {
      try {
        each(name);
        done.push(name);
      } catch (err) {
        if (!isAwsError(err)) throw err;
        errors.push({ repositoryName: name, errorCode: err.code, errorMessage: err.message });
      }
    }
    return { done, errors };
  }

  const change = (ctx: RequestContext, t: TemplateRecord, changes: Partial<Pick<TemplateRecord, 'name' | 'description' | 'content'>>) => {
    templates.update(t.id, changes, ctx.principalArn, repos.now());
    return { approvalRuleTemplate: templateView(templates.find(ctx.accountId, ctx.region, changes.name ?? t.name)!) };
  };

  return {
    CreateApprovalRuleTemplate: operation<CreateApprovalRuleTemplateInput, CreateApprovalRuleTemplateOutput>({
      iam: { action: 'codecommit:CreateApprovalRuleTemplate', resource: anyResource },
      handler: (input, ctx) => {
        parseRuleContent(input.approvalRuleTemplateContent!, INVALID_CONTENT);
        const now = repos.now();
        const record: TemplateRecord = {
          id: repos.deps.ids.uuid(),
          accountId: ctx.accountId,
          region: ctx.region,
          name: input.approvalRuleTemplateName!,
          description: input.approvalRuleTemplateDescription ?? '',
          content: input.approvalRuleTemplateContent!,
          lastModifiedUser: ctx.principalArn,
          createdAt: now,
          updatedAt: now,
        };
        repos.deps.db.transaction(() => {
          if (templates.find(ctx.accountId, ctx.region, record.name)) throw inputError('ApprovalRuleTemplateNameAlreadyExistsException');
          if (templates.count(ctx.accountId, ctx.region) >= MAX_TEMPLATES) throw inputError('NumberOfRuleTemplatesExceededException');
          templates.insert(record);
        })();
        return { approvalRuleTemplate: templateView(record) };
      },
    }),

    GetApprovalRuleTemplate: operation<GetApprovalRuleTemplateInput, GetApprovalRuleTemplateOutput>({
      iam: { action: 'codecommit:GetApprovalRuleTemplate', resource: anyResource },
      handler: (input, ctx) => ({ approvalRuleTemplate: templateView(require(ctx, input.approvalRuleTemplateName)) }),
    }),

    ListApprovalRuleTemplates: operation<ListApprovalRuleTemplatesInput, ListApprovalRuleTemplatesOutput>({
      iam: { action: 'codecommit:ListApprovalRuleTemplates', resource: anyResource },
      handler: (input, ctx) => {
        const { items, nextToken } = page(templates.names(ctx.accountId, ctx.region), input.nextToken, pageSize(input.maxResults));
        return { approvalRuleTemplateNames: items, nextToken };
      },
    }),

    UpdateApprovalRuleTemplateName: operation<UpdateApprovalRuleTemplateNameInput, UpdateApprovalRuleTemplateNameOutput>({
      iam: { action: 'codecommit:UpdateApprovalRuleTemplateName', resource: anyResource },
      handler: (input, ctx) => {
        const t = require(ctx, input.oldApprovalRuleTemplateName);
        const name = input.newApprovalRuleTemplateName!;
        if (name !== t.name && templates.find(ctx.accountId, ctx.region, name)) throw inputError('ApprovalRuleTemplateNameAlreadyExistsException');
        return change(ctx, t, { name });
      },
    }),

    UpdateApprovalRuleTemplateDescription: operation<UpdateApprovalRuleTemplateDescriptionInput, UpdateApprovalRuleTemplateDescriptionOutput>({
      iam: { action: 'codecommit:UpdateApprovalRuleTemplateDescription', resource: anyResource },
      handler: (input, ctx) => change(ctx, require(ctx, input.approvalRuleTemplateName), { description: input.approvalRuleTemplateDescription ?? '' }),
    }),

    UpdateApprovalRuleTemplateContent: operation<UpdateApprovalRuleTemplateContentInput, UpdateApprovalRuleTemplateContentOutput>({
      iam: { action: 'codecommit:UpdateApprovalRuleTemplateContent', resource: anyResource },
      handler: (input, ctx) => {
        const t = require(ctx, input.approvalRuleTemplateName);
        if (input.existingRuleContentSha256 !== undefined && input.existingRuleContentSha256 !== ruleSha256(t.content)) {
          throw inputError('InvalidRuleContentSha256Exception');
        }
        parseRuleContent(input.newRuleContent!, INVALID_CONTENT);
        return change(ctx, t, { content: input.newRuleContent! });
      },
    }),

    DeleteApprovalRuleTemplate: operation<DeleteApprovalRuleTemplateInput, DeleteApprovalRuleTemplateOutput>({
      iam: { action: 'codecommit:DeleteApprovalRuleTemplate', resource: anyResource },
      handler: (input, ctx) => {
        const t = require(ctx, input.approvalRuleTemplateName);
        if (templates.repositoryNames(t.id).length > 0) throw inputError('ApprovalRuleTemplateInUseException');
        templates.delete(t.id);
        return { approvalRuleTemplateId: t.id };
      },
    }),

    AssociateApprovalRuleTemplateWithRepository: operation<AssociateApprovalRuleTemplateWithRepositoryInput, Record<string, never>>({
      iam: { action: 'codecommit:AssociateApprovalRuleTemplateWithRepository', resource: repositoryResource },
      handler: (input, ctx) => {
        associate(ctx, require(ctx, input.approvalRuleTemplateName), input.repositoryName!);
        return {};
      },
    }),

    DisassociateApprovalRuleTemplateFromRepository: operation<DisassociateApprovalRuleTemplateFromRepositoryInput, Record<string, never>>({
      iam: { action: 'codecommit:DisassociateApprovalRuleTemplateFromRepository', resource: repositoryResource },
      handler: (input, ctx) => {
        const t = require(ctx, input.approvalRuleTemplateName);
        templates.disassociate(t.id, repos.require(ctx, input.repositoryName!).id);
        return {};
      },
    }),

    BatchAssociateApprovalRuleTemplateWithRepositories: operation<
      BatchAssociateApprovalRuleTemplateWithRepositoriesInput,
      BatchAssociateApprovalRuleTemplateWithRepositoriesOutput
    >({
      iam: { action: 'codecommit:BatchAssociateApprovalRuleTemplateWithRepositories', resource: anyRepository },
      handler: (input, ctx) => {
        const t = require(ctx, input.approvalRuleTemplateName);
        const { done, errors } = batch(ctx, input.repositoryNames, (name) => associate(ctx, t, name));
        return { associatedRepositoryNames: done, errors };
      },
    }),

    BatchDisassociateApprovalRuleTemplateFromRepositories: operation<
      BatchDisassociateApprovalRuleTemplateFromRepositoriesInput,
      BatchDisassociateApprovalRuleTemplateFromRepositoriesOutput
    >({
      iam: { action: 'codecommit:BatchDisassociateApprovalRuleTemplateFromRepositories', resource: anyRepository },
      handler: (input, ctx) => {
        const t = require(ctx, input.approvalRuleTemplateName);
        const { done, errors } = batch(ctx, input.repositoryNames, (name) => templates.disassociate(t.id, repos.require(ctx, name).id));
        return { disassociatedRepositoryNames: done, errors };
      },
    }),

    ListAssociatedApprovalRuleTemplatesForRepository: operation<
      ListAssociatedApprovalRuleTemplatesForRepositoryInput,
      ListAssociatedApprovalRuleTemplatesForRepositoryOutput
    >({
      iam: { action: 'codecommit:ListAssociatedApprovalRuleTemplatesForRepository', resource: repositoryResource },
      handler: (input, ctx) => {
        const size = pageSize(input.maxResults);
        const repo = repos.require(ctx, input.repositoryName!);
        const { items, nextToken } = page(
          templates.associatedWith(repo.id).map((t) => t.name),
          input.nextToken,
          size,
        );
        return { approvalRuleTemplateNames: items, nextToken };
      },
    }),

    ListRepositoriesForApprovalRuleTemplate: operation<ListRepositoriesForApprovalRuleTemplateInput, ListRepositoriesForApprovalRuleTemplateOutput>({
      iam: { action: 'codecommit:ListRepositoriesForApprovalRuleTemplate', resource: anyResource },
      handler: (input, ctx) => {
        const size = pageSize(input.maxResults);
        const t = require(ctx, input.approvalRuleTemplateName);
        const { items, nextToken } = page(templates.repositoryNames(t.id), input.nextToken, size);
        return { repositoryNames: items, nextToken };
      },
    }),
  };
}
