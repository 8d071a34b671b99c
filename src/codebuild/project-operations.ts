import type {
  BatchGetProjectsInput,
  BatchGetProjectsOutput,
  CreateProjectInput,
  CreateProjectOutput,
  DeleteProjectInput,
  DeleteProjectOutput,
  EnvironmentVariable,
  ListProjectsInput,
  ListProjectsOutput,
  ListSharedProjectsInput,
  ListSharedProjectsOutput,
  ProjectArtifacts,
  ProjectSource,
  UpdateProjectInput,
  UpdateProjectOutput,
} from '@aws-sdk/client-codebuild';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { projectArn, projectNameOf } from './arns.js';
import type { CodeBuildContext } from './context.js';
import { alreadyExists, invalidInput, projectNotFound } from './errors.js';
import { page } from './pagination.js';
import type { ProjectDoc } from './records.js';
import { sharedWith } from './policy-operations.js';
import { projectView } from './views.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const NEEDS_LOCATION = ['CODECOMMIT', 'S3', 'GITHUB', 'GITHUB_ENTERPRISE', 'BITBUCKET', 'GITLAB', 'GITLAB_SELF_MANAGED'];

export function checkVariables(vars: EnvironmentVariable[] | undefined): void {
  for (const v of vars ?? []) {
    if (v.name?.startsWith('CODEBUILD_')) throw invalidInput(`Invalid environment variable name: ${v.name}. Environment variable names starting with CODEBUILD_ are reserved.`);
  }
}

export function checkSource(source: ProjectSource, primary: boolean): void {
  if (!primary && !IDENTIFIER.test(source.sourceIdentifier ?? '')) {
    throw invalidInput('Invalid input: identifier must contain only alphanumeric characters and underscores and be less than 128 characters in length');
  }
  if (NEEDS_LOCATION.includes(source.type ?? '') && !source.location) throw invalidInput(`Invalid input: source location must be specified for source type ${source.type}`);
  if (source.type === 'NO_SOURCE' && primary && !source.buildspec) throw invalidInput('Invalid input: buildspec must be specified for source type NO_SOURCE');
  if (source.gitCloneDepth !== undefined && source.gitCloneDepth < 0) throw invalidInput('Invalid input: gitCloneDepth must be 0 or greater');
}

export function checkArtifacts(artifacts: ProjectArtifacts, primary: boolean): ProjectArtifacts {
  if (!primary && !IDENTIFIER.test(artifacts.artifactIdentifier ?? '')) {
    throw invalidInput('Invalid input: identifier must contain only alphanumeric characters and underscores and be less than 128 characters in length');
  }
  if (artifacts.type === 'S3') {
    if (!artifacts.location) throw invalidInput('Invalid input: artifacts location must be specified for artifacts type S3');
    return { packaging: 'NONE', namespaceType: 'NONE', encryptionDisabled: false, ...artifacts };
  }
  if (artifacts.type === 'CODEPIPELINE' && !primary) throw invalidInput('Invalid input: secondary artifacts cannot be of type CODEPIPELINE');
  return artifacts;
}

/** A role named by name becomes its ARN; IAM enforcement requires the role to exist and the caller to be allowed to pass it. */
export async function checkServiceRole(c: CodeBuildContext, role: string, ctx: RequestContext): Promise<string> {
  const arn = role.startsWith('arn:') ? role : `arn:aws:iam::${ctx.accountId}:role/${role}`;
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(arn)) throw invalidInput(`Invalid service role: ${role}`);
  if (c.deps.config.enforceIam) {
    if (!c.platform.roleExists(arn)) throw invalidInput(`CodeBuild is not authorized to perform: sts:AssumeRole on ${arn}`);
    await c.platform.authorize(ctx.caller, ctx.region, 'iam:PassRole', arn, { 'iam:PassedToService': 'codebuild.amazonaws.com' }).catch(() => {
      throw invalidInput(`User: ${ctx.caller.arn} is not authorized to perform: iam:PassRole on resource: ${arn}`);
    });
  }
  return arn;
}

function documentFrom(input: CreateProjectInput, serviceRole: string): ProjectDoc {
  checkSource(input.source!, true);
  for (const s of input.secondarySources ?? []) checkSource(s, false);
  checkVariables(input.environment!.environmentVariables);
  const ids = (input.secondarySources ?? []).map((s) => s.sourceIdentifier);
  if (new Set(ids).size !== ids.length) throw invalidInput('Invalid input: secondary source identifiers must be unique');
  const artifacts = checkArtifacts(input.artifacts!, true);
  const secondaryArtifacts = (input.secondaryArtifacts ?? []).map((a) => checkArtifacts(a, false));
  if ((input.tags?.length ?? 0) > 50) throw invalidInput('Invalid input: a project can have at most 50 tags');
  return {
    ...(input.description !== undefined ? { description: input.description } : {}),
    source: { insecureSsl: false, ...input.source! },
    secondarySources: input.secondarySources ?? [],
    ...(input.sourceVersion !== undefined ? { sourceVersion: input.sourceVersion } : {}),
    secondarySourceVersions: input.secondarySourceVersions ?? [],
    artifacts,
    secondaryArtifacts,
    cache: input.cache ?? { type: 'NO_CACHE' },
    environment: {
      privilegedMode: false,
      imagePullCredentialsType: 'CODEBUILD',
      ...input.environment!,
      environmentVariables: (input.environment!.environmentVariables ?? []).map((v) => ({ name: v.name, value: v.value ?? '', type: v.type ?? 'PLAINTEXT' })),
    },
    serviceRole,
    timeoutInMinutes: input.timeoutInMinutes ?? 60,
    queuedTimeoutInMinutes: input.queuedTimeoutInMinutes ?? 480,
    ...(input.encryptionKey !== undefined ? { encryptionKey: input.encryptionKey } : {}),
    tags: input.tags ?? [],
    badgeEnabled: input.badgeEnabled ?? false,
    logsConfig: {
      cloudWatchLogs: { status: 'ENABLED', ...input.logsConfig?.cloudWatchLogs },
      s3Logs: { status: 'DISABLED', encryptionDisabled: false, ...input.logsConfig?.s3Logs },
    },
    ...(input.concurrentBuildLimit !== undefined ? { concurrentBuildLimit: input.concurrentBuildLimit } : {}),
    ...(input.autoRetryLimit !== undefined ? { autoRetryLimit: input.autoRetryLimit } : {}),
    ...(input.vpcConfig ? { vpcConfig: input.vpcConfig as Record<string, unknown> } : {}),
    ...(input.fileSystemLocations ? { fileSystemLocations: input.fileSystemLocations as Record<string, unknown>[] } : {}),
    ...(input.buildBatchConfig ? { buildBatchConfig: input.buildBatchConfig as Record<string, unknown> } : {}),
  };
}

function checkLimits(doc: ProjectDoc): void {
  if (doc.concurrentBuildLimit !== undefined && doc.concurrentBuildLimit < 1) throw invalidInput('Invalid input: concurrentBuildLimit must be at least 1');
  if (doc.logsConfig.s3Logs?.status === 'ENABLED' && !doc.logsConfig.s3Logs.location) throw invalidInput('Invalid input: S3 logs location must be specified when S3 logs are enabled');
}

const projectResource = (c: CodeBuildContext) => (i: { name?: string }, ctx: RequestContext) => projectArn(ctx, projectNameOf(ctx, i.name ?? '') ?? i.name ?? '');

export function projectOperations(c: CodeBuildContext): Record<string, OperationSpec> {
  return {
    CreateProject: operation<CreateProjectInput, CreateProjectOutput>({
      iam: { action: 'codebuild:CreateProject', resource: projectResource(c) },
      handler: async (input, ctx) => {
        const role = await checkServiceRole(c, input.serviceRole!, ctx);
        const doc = documentFrom(input, role);
        checkLimits(doc);
        const name = input.name!;
        if (c.store.project(ctx, name)) throw alreadyExists(`Project already exists: ${projectArn(ctx, name)}`);
        c.store.insertProject(ctx, name, doc, c.now());
        return { project: projectView(c.store.project(ctx, name)!) };
      },
    }),

    UpdateProject: operation<UpdateProjectInput, UpdateProjectOutput>({
      iam: { action: 'codebuild:UpdateProject', resource: projectResource(c) },
      handler: async (input, ctx) => {
        const name = projectNameOf(ctx, input.name!) ?? input.name!;
        const existing = c.store.project(ctx, name);
        if (!existing) throw projectNotFound(projectArn(ctx, name));
        const d = existing.doc;
        const merged: CreateProjectInput = {
          name,
          description: input.description ?? d.description,
          source: input.source ?? d.source,
          secondarySources: input.secondarySources ?? d.secondarySources,
          sourceVersion: input.sourceVersion ?? d.sourceVersion,
          secondarySourceVersions: input.secondarySourceVersions ?? d.secondarySourceVersions,
          artifacts: input.artifacts ?? d.artifacts,
          secondaryArtifacts: input.secondaryArtifacts ?? d.secondaryArtifacts,
          cache: input.cache ?? d.cache,
          environment: input.environment ?? d.environment,
          serviceRole: input.serviceRole ?? d.serviceRole,
          timeoutInMinutes: input.timeoutInMinutes ?? d.timeoutInMinutes,
          queuedTimeoutInMinutes: input.queuedTimeoutInMinutes ?? d.queuedTimeoutInMinutes,
          encryptionKey: input.encryptionKey ?? d.encryptionKey,
          tags: input.tags ?? d.tags,
          badgeEnabled: input.badgeEnabled ?? d.badgeEnabled,
          logsConfig: input.logsConfig ?? d.logsConfig,
          concurrentBuildLimit: input.concurrentBuildLimit === undefined ? d.concurrentBuildLimit : input.concurrentBuildLimit === -1 ? undefined : input.concurrentBuildLimit,
          autoRetryLimit: input.autoRetryLimit ?? d.autoRetryLimit,
          vpcConfig: (input.vpcConfig ?? d.vpcConfig) as CreateProjectInput['vpcConfig'],
          fileSystemLocations: (input.fileSystemLocations ?? d.fileSystemLocations) as CreateProjectInput['fileSystemLocations'],
          buildBatchConfig: (input.buildBatchConfig ?? d.buildBatchConfig) as CreateProjectInput['buildBatchConfig'],
        };
        const role = input.serviceRole ? await checkServiceRole(c, input.serviceRole, ctx) : d.serviceRole;
        const doc = documentFrom(merged, role);
        checkLimits(doc);
        c.store.updateProject(ctx, name, doc, c.now());
        return { project: projectView(c.store.project(ctx, name)!) };
      },
    }),

    DeleteProject: operation<DeleteProjectInput, DeleteProjectOutput>({
      iam: { action: 'codebuild:DeleteProject', resource: projectResource(c) },
      handler: (input, ctx) => {
        const name = projectNameOf(ctx, input.name!) ?? input.name!;
        c.store.transaction(() => {
          c.store.deleteProject(ctx, name);
          c.store.deletePolicy(projectArn(ctx, name));
        });
        return {};
      },
    }),

    BatchGetProjects: operation<BatchGetProjectsInput, BatchGetProjectsOutput>({
      iam: { action: 'codebuild:BatchGetProjects', resource: (i, ctx) => projectArn(ctx, projectNameOf(ctx, i.names?.[0] ?? '') ?? '*') },
      handler: (input, ctx) => {
        const projects = [];
        const projectsNotFound = [];
        for (const requested of input.names ?? []) {
          const name = projectNameOf(ctx, requested);
          const found = name === undefined ? undefined : c.store.project(ctx, name);
          if (found) projects.push(projectView(found));
          else projectsNotFound.push(requested);
        }
        return { projects, projectsNotFound };
      },
    }),

    ListProjects: operation<ListProjectsInput, ListProjectsOutput>({
      iam: { action: 'codebuild:ListProjects', resource: () => '*' },
      handler: (input, ctx) => {
        const sortBy = input.sortBy ?? 'NAME';
        const key = (p: { name: string; createdAt: number; updatedAt: number }) => (sortBy === 'NAME' ? p.name : sortBy === 'CREATED_TIME' ? p.createdAt : p.updatedAt);
        const sorted = c.store.projects(ctx).sort((a, b) => {
          const x = key(a);
          const y = key(b);
          const cmp = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
          return input.sortOrder === 'DESCENDING' ? -cmp : cmp;
        });
        const { items, nextToken } = page(sorted.map((p) => p.name), input.nextToken);
        return { projects: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),

    ListSharedProjects: operation<ListSharedProjectsInput, ListSharedProjectsOutput>({
      iam: { action: 'codebuild:ListSharedProjects', resource: () => '*' },
      handler: (input, ctx) => {
        const arns = sharedWith(c, ctx.accountId, 'project').sort();
        if (input.sortOrder === 'DESCENDING') arns.reverse();
        const { items, nextToken } = page(arns, input.nextToken, input.maxResults ?? 100);
        return { projects: items, ...(nextToken ? { nextToken } : {}) };
      },
    }),
  };
}
