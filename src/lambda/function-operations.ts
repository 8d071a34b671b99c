import type {
  CreateFunctionRequest,
  DeleteFunctionRequest,
  FunctionCode,
  FunctionConfiguration,
  GetFunctionConfigurationRequest,
  GetFunctionRequest,
  GetFunctionResponse,
  ListFunctionsRequest,
  ListFunctionsResponse,
  UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { functionArn, functionRef, requestedArn } from './arns.js';
import type { LambdaParts } from './context.js';
import { conflict, invalidParameter, staleRevision } from './errors.js';
import { configView, lastModified } from './functions.js';
import { checkSettings } from './settings.js';
import type { StoredConfig } from './store.js';
import { publishVersion } from './version-operations.js';

const blob = (value: unknown): Buffer => (typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(value as Uint8Array));

/** The zip a request carries inline or names in S3 (read as the caller, as AWS reads it), stored. */
async function storeCode(p: LambdaParts, ctx: RequestContext, code: FunctionCode | UpdateFunctionCodeRequest): Promise<{ key: string; sha256: string; size: number }> {
  if (code.ZipFile !== undefined) return p.code.put(blob(code.ZipFile));
  if (code.S3Bucket && code.S3Key) {
    let body: Buffer;
    try {
      const out = await p.deps.internal.call<{ Body: unknown }>(
        's3',
        'GetObject',
        { Bucket: code.S3Bucket, Key: code.S3Key, ...(code.S3ObjectVersion ? { VersionId: code.S3ObjectVersion } : {}) },
        { caller: ctx.caller, region: ctx.region },
      );
      body = await readBody(out.Body);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw invalidParameter(`Error occurred while GetObject. S3 Error Code: ${e.code ?? 'InternalError'}. S3 Error Message: ${e.message ?? ''}`);
    }
    return p.code.put(body);
  }
  throw invalidParameter('Please provide a source for function code.');
}

async function readBody(body: unknown): Promise<Buffer> {
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

function checkRole(p: LambdaParts, role: string | undefined): void {
  if (role && p.deps.config.enforceIam && !p.roles.roleExists(role)) throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
}

export function functionOperations(p: LambdaParts): Record<string, OperationSpec> {
  const { store, functions } = p;
  return {
    CreateFunction: operation<CreateFunctionRequest, FunctionConfiguration>({
      iam: { action: 'lambda:CreateFunction', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: async (input, ctx) => {
        const ref = functionRef(ctx, input.FunctionName!);
        if (ref.qualifier) throw invalidParameter('Unsupported function name: the function name of CreateFunction cannot carry a qualifier.');
        const packageType = input.PackageType ?? 'Zip';
        if (packageType === 'Zip' && (!input.Runtime || !input.Handler)) {
          throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment package format Zip.');
        }
        if (packageType === 'Image' && !input.Code?.ImageUri) throw invalidParameter('Source image is required for functions with deployment package format Image.');
        checkSettings(input);
        checkRole(p, input.Role);
        if (store.find(ref.accountId, ref.region, ref.name)) throw conflict(`Function already exist: ${ref.name}`);
        const code = packageType === 'Zip' ? await storeCode(p, ctx, input.Code ?? {}) : { key: '', sha256: '', size: 0 };
        const now = p.deps.clock.now();
        const latest: StoredConfig = {
          FunctionName: ref.name,
          ...(packageType === 'Zip' ? { Runtime: input.Runtime, Handler: input.Handler } : { ImageConfigResponse: input.ImageConfig ? { ImageConfig: input.ImageConfig } : undefined }),
          Role: input.Role,
          CodeSize: code.size,
          CodeSha256: code.sha256,
          codeKey: code.key,
          ...(packageType === 'Image' ? { imageUri: input.Code!.ImageUri } : {}),
          Description: input.Description ?? '',
          Timeout: input.Timeout ?? 3,
          MemorySize: input.MemorySize ?? 128,
          LastModified: lastModified(now),
          Version: '$LATEST',
          ...(input.Environment?.Variables ? { Environment: { Variables: input.Environment.Variables } } : {}),
          ...(input.DeadLetterConfig?.TargetArn ? { DeadLetterConfig: input.DeadLetterConfig } : {}),
          TracingConfig: { Mode: input.TracingConfig?.Mode ?? 'PassThrough' },
          RevisionId: functions.newRevision(),
          State: 'Pending',
          StateReason: 'The function is being created.',
          StateReasonCode: 'Creating',
          PackageType: packageType,
          Architectures: input.Architectures ?? ['x86_64'],
          EphemeralStorage: { Size: input.EphemeralStorage?.Size ?? 512 },
          SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
          LoggingConfig: { LogFormat: input.LoggingConfig?.LogFormat ?? 'Text', LogGroup: input.LoggingConfig?.LogGroup ?? `/aws/lambda/${ref.name}` },
        };
        const fn = store.db.transaction(() => {
          const created = store.insert(ref.accountId, ref.region, latest, input.Tags ?? {});
          functions.scheduleActivation(created);
          return created;
        })();
        if (input.Publish) return configView(fn, publishVersion(p, fn, {}));
        return configView(fn, fn.latest);
      },
    }),

    GetFunction: operation<GetFunctionRequest, GetFunctionResponse>({
      iam: { action: 'lambda:GetFunction', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => {
        const { fn, ref } = functions.get(ctx, input.FunctionName!, input.Qualifier);
        const config = functions.config(fn, ref.qualifier);
        const code =
          config.PackageType === 'Image'
            ? { RepositoryType: 'ECR', ImageUri: config.imageUri, ResolvedImageUri: config.imageUri }
            : { RepositoryType: 'S3', Location: p.codeUrl(ctx, config.codeKey) };
        return {
          Configuration: configView(fn, config),
          Code: code,
          ...(Object.keys(fn.tags).length > 0 && !ref.qualifier ? { Tags: fn.tags } : {}),
          ...(fn.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } } : {}),
        };
      },
    }),

    GetFunctionConfiguration: operation<GetFunctionConfigurationRequest, FunctionConfiguration>({
      iam: { action: 'lambda:GetFunctionConfiguration', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => {
        const { fn, ref } = functions.get(ctx, input.FunctionName!, input.Qualifier);
        return configView(fn, functions.config(fn, ref.qualifier));
      },
    }),

    ListFunctions: operation<ListFunctionsRequest, ListFunctionsResponse>({
      iam: { action: 'lambda:ListFunctions', resource: () => '*' },
      handler: (input, ctx) => {
        const all = store.list(ctx.accountId, ctx.region).flatMap((fn) => [
          configView(fn, fn.latest),
          ...(input.FunctionVersion === 'ALL' ? store.versions(fn.id).map((v) => configView(fn, v)) : []),
        ]);
        return page(all, input.Marker, input.MaxItems, (Functions, NextMarker) => ({ Functions, NextMarker }));
      },
    }),

    DeleteFunction: operation<DeleteFunctionRequest, Record<string, never>>({
      iam: { action: 'lambda:DeleteFunction', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => {
        const { fn, ref } = functions.get(ctx, input.FunctionName!, input.Qualifier);
        if (ref.qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
        if (ref.qualifier !== undefined) {
          if (!store.version(fn.id, ref.qualifier)) {
            if (store.alias(fn.id, ref.qualifier)) throw invalidParameter('Deletion of aliases is not supported by DeleteFunction: use DeleteAlias.');
            throw invalidParameter(`Function not found: ${functionArn(fn, ref.qualifier)}`);
          }
          const users = store.aliases(fn.id).filter((a) => a.FunctionVersion === ref.qualifier || a.RoutingConfig?.AdditionalVersionWeights?.[ref.qualifier!] !== undefined);
          if (users.length > 0) throw conflict(`Unable to delete version because the following aliases reference it: [${users.map((a) => a.Name).join(', ')}]`);
          store.deleteVersion(fn.id, ref.qualifier);
          return {};
        }
        store.delete(fn.id);
        p.invoker.shutdown(fn.id);
        void p.code.collect(store.codeKeysInUse()).catch(() => undefined);
        return {};
      },
    }),

    UpdateFunctionCode: operation<UpdateFunctionCodeRequest, FunctionConfiguration>({
      iam: { action: 'lambda:UpdateFunctionCode', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: async (input, ctx) => {
        const { fn, ref } = functions.get(ctx, input.FunctionName!);
        if (ref.qualifier) throw invalidParameter('Qualifiers are not supported by UpdateFunctionCode: it updates $LATEST.');
        if (input.RevisionId && input.RevisionId !== fn.latest.RevisionId) throw staleRevision();
        functions.assertNotUpdating(fn);
        let next: StoredConfig;
        if (fn.latest.PackageType === 'Image') {
          if (!input.ImageUri) throw invalidParameter('Please provide ImageUri when updating a function with packageType Image.');
          next = { ...fn.latest, imageUri: input.ImageUri };
        } else {
          if (input.ImageUri) throw invalidParameter('Please don\'t provide ImageUri when updating a function with packageType Zip.');
          const code = await storeCode(p, ctx, input);
          next = { ...fn.latest, CodeSha256: code.sha256, CodeSize: code.size, codeKey: code.key };
        }
        if (input.Architectures) next.Architectures = input.Architectures;
        if (input.DryRun) return configView(fn, fn.latest);
        const saved = store.db.transaction(() => functions.saveUpdating(fn, next))();
        if (input.Publish) return configView(fn, publishVersion(p, { ...fn, latest: saved }, {}));
        return configView(fn, saved);
      },
    }),

    UpdateFunctionConfiguration: operation<UpdateFunctionConfigurationRequest, FunctionConfiguration>({
      iam: { action: 'lambda:UpdateFunctionConfiguration', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: (input, ctx) => {
        const { fn, ref } = functions.get(ctx, input.FunctionName!);
        if (ref.qualifier) throw invalidParameter('Qualifiers are not supported by UpdateFunctionConfiguration: it updates $LATEST.');
        if (input.RevisionId && input.RevisionId !== fn.latest.RevisionId) throw staleRevision();
        functions.assertNotUpdating(fn);
        checkSettings(input);
        checkRole(p, input.Role);
        const c = fn.latest;
        const next: StoredConfig = {
          ...c,
          ...(input.Role !== undefined ? { Role: input.Role } : {}),
          ...(input.Handler !== undefined ? { Handler: input.Handler } : {}),
          ...(input.Runtime !== undefined ? { Runtime: input.Runtime } : {}),
          ...(input.Description !== undefined ? { Description: input.Description } : {}),
          ...(input.Timeout !== undefined ? { Timeout: input.Timeout } : {}),
          ...(input.MemorySize !== undefined ? { MemorySize: input.MemorySize } : {}),
          ...(input.Environment !== undefined ? { Environment: { Variables: input.Environment.Variables ?? {} } } : {}),
          ...(input.TracingConfig?.Mode ? { TracingConfig: { Mode: input.TracingConfig.Mode } } : {}),
          ...(input.DeadLetterConfig !== undefined ? { DeadLetterConfig: input.DeadLetterConfig } : {}),
          ...(input.EphemeralStorage ? { EphemeralStorage: input.EphemeralStorage } : {}),
          ...(input.LoggingConfig ? { LoggingConfig: { ...c.LoggingConfig, ...input.LoggingConfig } } : {}),
        };
        return configView(fn, store.db.transaction(() => functions.saveUpdating(fn, next))());
      },
    }),
  };
}

/** Lambda's Marker/MaxItems paging: the marker is the position of the next item. */
export function page<T, O>(items: T[], marker: string | undefined, maxItems: number | undefined, shape: (items: T[], next?: string) => O): O {
  const start = marker ? Number.parseInt(marker, 10) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidParameter(`Invalid marker: ${marker}`);
  const size = Math.min(maxItems ?? 50, 10_000);
  const end = start + size;
  return shape(items.slice(start, end), end < items.length ? String(end) : undefined);
}
