import type {
  BatchGetApplicationsInput,
  BatchGetApplicationsOutput,
  CreateApplicationInput,
  CreateApplicationOutput,
  DeleteApplicationInput,
  GetApplicationInput,
  GetApplicationOutput,
  ListApplicationsInput,
  ListApplicationsOutput,
  UpdateApplicationInput,
} from '@aws-sdk/client-codedeploy';
import { randomUUID } from 'node:crypto';
import { operation, type OperationSpec } from '../core/service.js';
import { applicationArn, groupArn } from './arns.js';
import { iam, requireApplication, scopeOf, type CodeDeployContext } from './context.js';
import { cdError } from './errors.js';
import { page } from './pagination.js';
import { applicationView } from './views.js';

const alreadyExists = (name: string) => cdError('ApplicationAlreadyExistsException', `Application already exists with name: ${name}`);

export function applicationOperations(c: CodeDeployContext): Record<string, OperationSpec> {
  const appArn = (input: { applicationName?: string }, ctx: Parameters<typeof scopeOf>[0]) => applicationArn(scopeOf(ctx), input.applicationName ?? '*');
  return {
    CreateApplication: operation<CreateApplicationInput, CreateApplicationOutput>({
      iam: iam('CreateApplication', appArn),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const name = input.applicationName!;
        if (c.store.application(scope, name)) throw alreadyExists(name);
        const applicationId = randomUUID();
        c.store.transaction(() => {
          c.store.putApplication(scope, { applicationId, applicationName: name, createTime: c.now(), computePlatform: input.computePlatform ?? 'Server', linkedToGitHub: false });
          if (input.tags?.length) c.store.putTags(applicationArn(scope, name), input.tags);
        });
        return { applicationId };
      },
    }),

    GetApplication: operation<GetApplicationInput, GetApplicationOutput>({
      iam: iam('GetApplication', appArn),
      handler: (input, ctx) => ({ application: applicationView(requireApplication(c, scopeOf(ctx), input.applicationName)) }),
    }),

    BatchGetApplications: operation<BatchGetApplicationsInput, BatchGetApplicationsOutput>({
      iam: iam('BatchGetApplications'),
      handler: (input, ctx) => {
        const names = input.applicationNames ?? [];
        if (names.length === 0) throw cdError('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
        if (names.length > 100) throw cdError('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (100) was exceeded.');
        return { applicationsInfo: names.map((n) => applicationView(requireApplication(c, scopeOf(ctx), n))) };
      },
    }),

    ListApplications: operation<ListApplicationsInput, ListApplicationsOutput>({
      iam: iam('ListApplications'),
      handler: (input, ctx) => {
        const { items, nextToken } = page(c.store.applications(scopeOf(ctx)).map((a) => a.applicationName), input.nextToken);
        return { applications: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    UpdateApplication: operation<UpdateApplicationInput, Record<string, never>>({
      iam: iam('UpdateApplication', appArn),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const app = requireApplication(c, scope, input.applicationName);
        const to = input.newApplicationName;
        if (to === undefined || to === app.applicationName) return {};
        if (c.store.application(scope, to)) throw alreadyExists(to);
        c.store.transaction(() => {
          const tags = c.store.tags(applicationArn(scope, app.applicationName));
          c.store.dropTags(applicationArn(scope, app.applicationName));
          c.store.putTags(applicationArn(scope, to), tags);
          c.store.renameApplication(scope, app.applicationName, { ...app, applicationName: to });
        });
        return {};
      },
    }),

    DeleteApplication: operation<DeleteApplicationInput, Record<string, never>>({
      iam: iam('DeleteApplication', appArn),
      handler: (input, ctx) => {
        const scope = scopeOf(ctx);
        const name = input.applicationName!;
        if (!c.store.application(scope, name)) return {};
        c.store.transaction(() => {
          for (const g of c.store.groups(scope, name)) c.store.dropTags(groupArn(scope, name, g.deploymentGroupName));
          c.store.dropTags(applicationArn(scope, name));
          c.store.deleteApplication(scope, name);
        });
        return {};
      },
    }),
  };
}

