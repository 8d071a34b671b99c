import type {
  Concurrency,
  DeleteFunctionConcurrencyRequest,
  DeleteFunctionEventInvokeConfigRequest,
  FunctionEventInvokeConfig,
  GetFunctionConcurrencyRequest,
  GetFunctionConcurrencyResponse,
  GetFunctionEventInvokeConfigRequest,
  ListFunctionEventInvokeConfigsRequest,
  ListFunctionEventInvokeConfigsResponse,
  ListTagsRequest,
  ListTagsResponse,
  PutFunctionConcurrencyRequest,
  PutFunctionEventInvokeConfigRequest,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateFunctionEventInvokeConfigRequest,
} from '@aws-sdk/client-lambda';
import { operation, type OperationSpec } from '../core/service.js';
import { functionArn, functionRef, requestedArn } from './arns.js';
import type { LambdaParts } from './context.js';
import { invalidParameter, notFound } from './errors.js';
import { page } from './function-operations.js';
import type { EventInvokeConfig, FunctionRecord } from './store.js';

const UNQUALIFIED_ONLY =
  'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.';

export function settingsOperations(p: LambdaParts): Record<string, OperationSpec> {
  const { store, functions } = p;
  const unqualified = (ctx: { accountId: string; region: string }, name: string): FunctionRecord => {
    const { fn, ref } = functions.get(ctx, name);
    if (ref.qualifier) throw invalidParameter(UNQUALIFIED_ONLY);
    return fn;
  };
  /** The function and qualifier an event invoke config belongs to ($LATEST for the unqualified function). */
  const configTarget = (ctx: { accountId: string; region: string }, name: string, qualifier: string | undefined) => {
    const { fn, ref } = functions.get(ctx, name, qualifier);
    const q = ref.qualifier ?? '$LATEST';
    functions.config(fn, q);
    return { fn, qualifier: q };
  };
  const view = (fn: FunctionRecord, qualifier: string, c: EventInvokeConfig): FunctionEventInvokeConfig => ({
    FunctionArn: functionArn(fn, qualifier),
    LastModified: new Date(c.LastModified),
    ...(c.MaximumRetryAttempts !== undefined ? { MaximumRetryAttempts: c.MaximumRetryAttempts } : {}),
    ...(c.MaximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: c.MaximumEventAgeInSeconds } : {}),
    DestinationConfig: { OnSuccess: c.DestinationConfig?.OnSuccess ?? {}, OnFailure: c.DestinationConfig?.OnFailure ?? {} },
  });
  const putConfig = (input: PutFunctionEventInvokeConfigRequest, ctx: { accountId: string; region: string }, merge: boolean) => {
    const { fn, qualifier } = configTarget(ctx, input.FunctionName!, input.Qualifier);
    const existing = store.eventInvokeConfig(fn.id, qualifier);
    if (merge && !existing) throw notFound(`The function ${functionArn(fn, qualifier)} doesn't have an EventInvokeConfig`);
    if (input.MaximumRetryAttempts === undefined && input.MaximumEventAgeInSeconds === undefined && !input.DestinationConfig) {
      throw invalidParameter('You must specify at least one of error handling or destination setting.');
    }
    for (const d of [input.DestinationConfig?.OnSuccess?.Destination, input.DestinationConfig?.OnFailure?.Destination]) {
      if (!d) continue;
      if (d.startsWith('arn:') && d.includes(':lambda:')) {
        const dest = functionRef(ctx, d);
        if (dest.name === fn.name && dest.accountId === fn.accountId && dest.region === fn.region) throw invalidParameter("You can't specify the function as a destination for itself.");
        if (!store.find(dest.accountId, dest.region, dest.name)) throw invalidParameter(`The destination ARN ${d} is invalid.`);
      } else if (!/^arn:aws[a-zA-Z-]*:(sqs|sns|events|s3):/.test(d)) throw invalidParameter(`The destination ARN ${d} is invalid.`);
    }
    const base = merge ? existing! : { LastModified: 0 };
    const config: EventInvokeConfig = {
      ...base,
      ...(input.MaximumRetryAttempts !== undefined ? { MaximumRetryAttempts: input.MaximumRetryAttempts } : {}),
      ...(input.MaximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: input.MaximumEventAgeInSeconds } : {}),
      ...(input.DestinationConfig ? { DestinationConfig: input.DestinationConfig } : {}),
      LastModified: p.deps.clock.now().getTime(),
    };
    store.saveEventInvokeConfig(fn.id, qualifier, config);
    return view(fn, qualifier, config);
  };
  const tagged = (ctx: { accountId: string; region: string }, resource: string) => unqualified(ctx, resource);

  return {
    PutFunctionConcurrency: operation<PutFunctionConcurrencyRequest, Concurrency>({
      iam: { action: 'lambda:PutFunctionConcurrency', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: (input, ctx) => {
        const fn = unqualified(ctx, input.FunctionName!);
        store.setReservedConcurrency(fn.id, input.ReservedConcurrentExecutions);
        return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
      },
    }),
    GetFunctionConcurrency: operation<GetFunctionConcurrencyRequest, GetFunctionConcurrencyResponse>({
      iam: { action: 'lambda:GetFunctionConcurrency', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: (input, ctx) => {
        const fn = unqualified(ctx, input.FunctionName!);
        return fn.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: fn.reservedConcurrency } : {};
      },
    }),
    DeleteFunctionConcurrency: operation<DeleteFunctionConcurrencyRequest, Record<string, never>>({
      iam: { action: 'lambda:DeleteFunctionConcurrency', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: (input, ctx) => {
        store.setReservedConcurrency(unqualified(ctx, input.FunctionName!).id, undefined);
        return {};
      },
    }),

    PutFunctionEventInvokeConfig: operation<PutFunctionEventInvokeConfigRequest, FunctionEventInvokeConfig>({
      iam: { action: 'lambda:PutFunctionEventInvokeConfig', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => putConfig(input, ctx, false),
    }),
    UpdateFunctionEventInvokeConfig: operation<UpdateFunctionEventInvokeConfigRequest, FunctionEventInvokeConfig>({
      iam: { action: 'lambda:UpdateFunctionEventInvokeConfig', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => putConfig(input, ctx, true),
    }),
    GetFunctionEventInvokeConfig: operation<GetFunctionEventInvokeConfigRequest, FunctionEventInvokeConfig>({
      iam: { action: 'lambda:GetFunctionEventInvokeConfig', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => {
        const { fn, qualifier } = configTarget(ctx, input.FunctionName!, input.Qualifier);
        const config = store.eventInvokeConfig(fn.id, qualifier);
        if (!config) throw notFound(`The function ${functionArn(fn, qualifier)} doesn't have an EventInvokeConfig`);
        return view(fn, qualifier, config);
      },
    }),
    DeleteFunctionEventInvokeConfig: operation<DeleteFunctionEventInvokeConfigRequest, Record<string, never>>({
      iam: { action: 'lambda:DeleteFunctionEventInvokeConfig', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Qualifier) },
      handler: (input, ctx) => {
        const { fn, qualifier } = configTarget(ctx, input.FunctionName!, input.Qualifier);
        if (!store.eventInvokeConfig(fn.id, qualifier)) throw notFound(`The function ${functionArn(fn, qualifier)} doesn't have an EventInvokeConfig`);
        store.saveEventInvokeConfig(fn.id, qualifier, undefined);
        return {};
      },
    }),
    ListFunctionEventInvokeConfigs: operation<ListFunctionEventInvokeConfigsRequest, ListFunctionEventInvokeConfigsResponse>({
      iam: { action: 'lambda:ListFunctionEventInvokeConfigs', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: (input, ctx) => {
        const fn = unqualified(ctx, input.FunctionName!);
        const all = store.eventInvokeConfigs(fn.id).map((c) => view(fn, c.qualifier, c.config));
        return page(all, input.Marker, input.MaxItems, (FunctionEventInvokeConfigs, NextMarker) => ({ FunctionEventInvokeConfigs, NextMarker }));
      },
    }),

    TagResource: operation<TagResourceRequest, Record<string, never>>({
      iam: { action: 'lambda:TagResource', resource: (i, ctx) => requestedArn(ctx, i.Resource) },
      handler: (input, ctx) => {
        const fn = tagged(ctx, input.Resource!);
        const tags = { ...fn.tags, ...input.Tags };
        if (Object.keys(tags).length > 50) throw invalidParameter('The number of tags on the resource would exceed 50.');
        store.setTags(fn.id, tags);
        return {};
      },
    }),
    UntagResource: operation<UntagResourceRequest, Record<string, never>>({
      iam: { action: 'lambda:UntagResource', resource: (i, ctx) => requestedArn(ctx, i.Resource) },
      handler: (input, ctx) => {
        const fn = tagged(ctx, input.Resource!);
        store.setTags(fn.id, Object.fromEntries(Object.entries(fn.tags).filter(([k]) => !input.TagKeys?.includes(k))));
        return {};
      },
    }),
    ListTags: operation<ListTagsRequest, ListTagsResponse>({
      iam: { action: 'lambda:ListTags', resource: (i, ctx) => requestedArn(ctx, i.Resource) },
      handler: (input, ctx) => ({ Tags: tagged(ctx, input.Resource!).tags }),
    }),
  };
}
