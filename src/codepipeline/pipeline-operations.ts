import type {
  CreatePipelineInput,
  CreatePipelineOutput,
  DeletePipelineInput,
  GetPipelineInput,
  GetPipelineOutput,
  ListPipelinesInput,
  ListPipelinesOutput,
  PipelineDeclaration,
  UpdatePipelineInput,
  UpdatePipelineOutput,
} from '@aws-sdk/client-codepipeline';
import { rootCaller, type RequestContext } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { pipelineArn } from './arns.js';
import type { PipelineContext } from './context.js';
import { invalidNextToken, invalidStructure, pipelineNameInUse, pipelineNotFound, pipelineVersionNotFound, validation } from './errors.js';
import { customActionType } from './custom-action-types.js';
import { checkStructure } from './structure.js';
import { checkNewTags } from './tag-operations.js';
import type { PipelineRecord } from './store.js';

const MAX_PIPELINES = 1000;

/** The pipeline a request names, or PipelineNotFoundException. */
export function findPipeline(c: PipelineContext, ctx: RequestContext, name: string | undefined): PipelineRecord {
  const p = c.store.pipeline(ctx, name ?? '');
  if (!p) throw pipelineNotFound(ctx.accountId, name ?? '');
  return p;
}

/** What GetPipeline and UpdatePipeline answer: the stored structure with its defaults filled in. */
function declarationView(p: PipelineRecord): PipelineDeclaration {
  return {
    ...p.declaration,
    stages: p.declaration.stages!.map((s) => ({ ...s, actions: s.actions!.map((a) => ({ ...a, runOrder: a.runOrder ?? 1, configuration: a.configuration ?? {}, outputArtifacts: a.outputArtifacts ?? [], inputArtifacts: a.inputArtifacts ?? [] })) })),
    version: p.version,
    executionMode: p.declaration.executionMode ?? 'SUPERSEDED',
    pipelineType: p.declaration.pipelineType ?? 'V1',
  };
}

/** The role must exist (CodePipeline assumes it for every action). */
async function checkRole(c: PipelineContext, ctx: RequestContext, roleArn: string): Promise<void> {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const denied = invalidStructure(`CodePipeline is not authorized to perform AssumeRole on role ${roleArn}`);
  if (!m) throw denied;
  try {
    await c.deps.internal.call('iam', 'GetRole', { RoleName: m[2] }, { caller: rootCaller(m[1]), region: ctx.region });
  } catch (err) {
    if (isAwsError(err)) throw denied;
    throw err;
  }
}

async function checkDeclaration(c: PipelineContext, ctx: RequestContext, decl: PipelineDeclaration): Promise<void> {
  checkStructure(decl, ctx.region, (t) => customActionType(c, ctx, t));
  await checkRole(c, ctx, decl.roleArn!);
}

export function pipelineOperations(c: PipelineContext): Record<string, OperationSpec> {
  const arnOf = (ctx: RequestContext, name: string | undefined) => pipelineArn(ctx, name ?? '*');
  return {
    CreatePipeline: operation<CreatePipelineInput, CreatePipelineOutput>({
      iam: {
        action: 'codepipeline:CreatePipeline',
        resource: (i, ctx) => arnOf(ctx, i.pipeline?.name),
        conditionKeys: (i) => ({
          'aws:TagKeys': (i.tags ?? []).map((t) => t.key ?? ''),
          ...Object.fromEntries((i.tags ?? []).map((t) => [`aws:RequestTag/${t.key}`, t.value ?? ''])),
        }),
      },
      handler: async ({ pipeline, tags }, ctx) => {
        const decl = pipeline!;
        if (decl.version !== undefined && decl.version !== 1) throw validation('The pipeline version must be 1 when the pipeline is created.');
        if (c.store.pipeline(ctx, decl.name!)) throw pipelineNameInUse(ctx.accountId, decl.name!);
        await checkDeclaration(c, ctx, decl);
        const newTags = checkNewTags([], tags ?? []);
        if (c.store.pipelines(ctx).length >= MAX_PIPELINES) throw validation(`The number of pipelines in this Region would exceed ${MAX_PIPELINES}.`);
        const now = c.deps.clock.now().getTime();
        const { version: _v, ...stored } = decl;
        const record: PipelineRecord = { accountId: ctx.accountId, region: ctx.region, name: decl.name!, version: 1, declaration: stored, createdAt: now, updatedAt: now };
        c.store.transaction(() => {
          if (c.store.pipeline(ctx, decl.name!)) throw pipelineNameInUse(ctx.accountId, decl.name!);
          c.store.insertPipeline(record);
          c.store.putTags(ctx, record.name, newTags);
        });
        c.engine.start(record, { triggerType: 'CreatePipeline', triggerDetail: ctx.principalArn });
        return { pipeline: declarationView(record), ...(newTags.length ? { tags: newTags } : {}) };
      },
    }),

    GetPipeline: operation<GetPipelineInput, GetPipelineOutput>({
      iam: { action: 'codepipeline:GetPipeline', resource: (i, ctx) => arnOf(ctx, i.name) },
      handler: (input, ctx) => {
        const p = findPipeline(c, ctx, input.name);
        if (input.version !== undefined && input.version !== p.version) {
          const old = c.store.executions(ctx, p.name).find((e) => e.pipelineVersion === input.version);
          if (!old) throw pipelineVersionNotFound(input.version, p.name);
          return { pipeline: declarationView({ ...p, version: old.pipelineVersion, declaration: old.declaration }), metadata: metadata(ctx, p) };
        }
        return { pipeline: declarationView(p), metadata: metadata(ctx, p) };
      },
    }),

    UpdatePipeline: operation<UpdatePipelineInput, UpdatePipelineOutput>({
      iam: { action: 'codepipeline:UpdatePipeline', resource: (i, ctx) => arnOf(ctx, i.pipeline?.name) },
      handler: async ({ pipeline }, ctx) => {
        const p = findPipeline(c, ctx, pipeline!.name);
        await checkDeclaration(c, ctx, pipeline!);
        const { version: _v, ...stored } = pipeline!;
        const updated: PipelineRecord = { ...p, version: p.version + 1, declaration: stored, updatedAt: c.deps.clock.now().getTime() };
        c.store.transaction(() => c.store.updatePipeline(updated));
        return { pipeline: declarationView(updated) };
      },
    }),

    DeletePipeline: operation<DeletePipelineInput, object>({
      iam: { action: 'codepipeline:DeletePipeline', resource: (i, ctx) => arnOf(ctx, i.name) },
      handler: (input, ctx) => {
        // Deleting a pipeline that does not exist succeeds, as in AWS.
        c.store.transaction(() => c.store.deletePipeline(ctx, input.name!));
        return {};
      },
    }),

    ListPipelines: operation<ListPipelinesInput, ListPipelinesOutput>({
      iam: { action: 'codepipeline:ListPipelines', resource: () => '*' },
      handler: (input, ctx) => {
        const all = c.store.pipelines(ctx);
        const start = input.nextToken === undefined ? 0 : all.findIndex((p) => p.name === decodeToken(input.nextToken!)) + 1;
        if (start === 0 && input.nextToken !== undefined) throw invalidNextToken();
        const size = input.maxResults ?? 1000;
        const page = all.slice(start, start + size);
        return {
          pipelines: page.map((p) => ({
            name: p.name,
            version: p.version,
            pipelineType: p.declaration.pipelineType ?? 'V1',
            executionMode: p.declaration.executionMode ?? 'SUPERSEDED',
            created: new Date(p.createdAt),
            updated: new Date(p.updatedAt),
          })),
          ...(start + size < all.length ? { nextToken: encodeToken(page[page.length - 1].name) } : {}),
        };
      },
    }),
  };
}

function metadata(ctx: RequestContext, p: PipelineRecord) {
  return { pipelineArn: pipelineArn(ctx, p.name), created: new Date(p.createdAt), updated: new Date(p.updatedAt) };
}

export const encodeToken = (after: string) => Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');

export function decodeToken(token: string): string {
  try {
    const after = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown }).after;
    if (typeof after === 'string') return after;
  } catch {
    // Falls through to the error below.
  }
  throw invalidNextToken();
}
