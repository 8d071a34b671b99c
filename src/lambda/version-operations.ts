import type {
  AliasConfiguration,
  AliasRoutingConfiguration,
  CreateAliasRequest,
  DeleteAliasRequest,
  FunctionConfiguration,
  GetAliasRequest,
  ListAliasesRequest,
  ListAliasesResponse,
  ListVersionsByFunctionRequest,
  ListVersionsByFunctionResponse,
  PublishVersionRequest,
  UpdateAliasRequest,
} from '@aws-sdk/client-lambda';
import { AwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { functionArn, requestedArn } from './arns.js';
import type { LambdaParts } from './context.js';
import { conflict, functionNotFound, invalidParameter, notFound, staleRevision } from './errors.js';
import { configView, lastModified, publishMarker } from './functions.js';
import { page } from './function-operations.js';
import type { FunctionRecord, StoredConfig } from './store.js';

/**
 * Snapshots $LATEST as the next version, unless nothing changed since the last publish: then the
 * latest version is returned and nothing new is created, as AWS does.
 */
export function publishVersion(p: LambdaParts, fn: FunctionRecord, input: { CodeSha256?: string; Description?: string; RevisionId?: string }): StoredConfig {
  const latest = fn.latest;
  if (input.RevisionId && input.RevisionId !== latest.RevisionId) throw staleRevision();
  if (input.CodeSha256 && input.CodeSha256 !== latest.CodeSha256) {
    throw invalidParameter(`CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
  }
  const marker = publishMarker(latest);
  return p.store.db.transaction(() => {
    if (fn.lastPublished === marker) {
      const versions = p.store.versions(fn.id);
      const last = versions.at(-1);
      if (last) return last;
    }
    const version: StoredConfig = {
      ...latest,
      Version: String(p.store.nextVersion(fn.id)),
      Description: input.Description ?? latest.Description,
      RevisionId: p.functions.newRevision(),
      LastModified: lastModified(p.deps.clock.now()),
    };
    p.store.insertVersion(fn.id, version);
    p.store.setLastPublished(fn.id, marker);
    return version;
  })();
}

function checkRouting(p: LambdaParts, fn: FunctionRecord, primary: string, routing: AliasRoutingConfiguration | undefined): void {
  const weights = routing?.AdditionalVersionWeights ?? {};
  const extra = Object.keys(weights);
  if (extra.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  if (extra.length === 1 && primary === '$LATEST') throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  for (const [version, weight] of Object.entries(weights)) {
    if (version === primary) throw invalidParameter(`Invalid function version ${version}. Function version ${version} is already included in routing configuration.`);
    if (!(weight >= 0 && weight <= 1)) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '{${version}=${weight}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]`);
    }
    if (!p.store.version(fn.id, version)) throw functionNotFound(functionArn(fn, version));
  }
  if (primary !== '$LATEST' && !p.store.version(fn.id, primary)) throw functionNotFound(functionArn(fn, primary));
}

const aliasView = (a: AliasConfiguration): AliasConfiguration => ({
  ...a,
  ...(a.RoutingConfig && Object.keys(a.RoutingConfig.AdditionalVersionWeights ?? {}).length === 0 ? { RoutingConfig: undefined } : {}),
});

export function versionOperations(p: LambdaParts): Record<string, OperationSpec> {
  const { store, functions } = p;
  const aliasOf = (fn: FunctionRecord, name: string) => {
    const alias = store.alias(fn.id, name);
    if (!alias) throw notFound(`Cannot find alias arn: ${functionArn(fn, name)}`);
    return alias;
  };
  return {
    PublishVersion: operation<PublishVersionRequest, FunctionConfiguration>({
      iam: { action: 'lambda:PublishVersion', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: (input, ctx) => {
        const { fn } = functions.get(ctx, input.FunctionName!);
        functions.assertNotUpdating(fn);
        return configView(fn, publishVersion(p, fn, input));
      },
    }),

    ListVersionsByFunction: operation<ListVersionsByFunctionRequest, ListVersionsByFunctionResponse>({
      iam: { action: 'lambda:ListVersionsByFunction', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: (input, ctx) => {
        const { fn } = functions.get(ctx, input.FunctionName!);
        const all = [configView(fn, fn.latest), ...store.versions(fn.id).map((v) => configView(fn, v))];
        return page(all, input.Marker, input.MaxItems, (Versions, NextMarker) => ({ Versions, NextMarker }));
      },
    }),

    CreateAlias: operation<CreateAliasRequest, AliasConfiguration>({
      iam: { action: 'lambda:CreateAlias', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: (input, ctx) => {
        const { fn } = functions.get(ctx, input.FunctionName!);
        if (/^\d+$/.test(input.Name!) || input.Name === '$LATEST') throw invalidParameter(`Alias name ${input.Name} is a version: an alias name must contain a letter.`);
        checkRouting(p, fn, input.FunctionVersion!, input.RoutingConfig);
        if (store.alias(fn.id, input.Name!)) throw conflict(`Alias already exists: ${functionArn(fn, input.Name)}`);
        const alias: AliasConfiguration = {
          AliasArn: functionArn(fn, input.Name),
          Name: input.Name,
          FunctionVersion: input.FunctionVersion,
          Description: input.Description ?? '',
          ...(input.RoutingConfig ? { RoutingConfig: { AdditionalVersionWeights: input.RoutingConfig.AdditionalVersionWeights ?? {} } } : {}),
          RevisionId: functions.newRevision(),
        };
        store.saveAlias(fn.id, alias);
        return aliasView(alias);
      },
    }),

    GetAlias: operation<GetAliasRequest, AliasConfiguration>({
      iam: { action: 'lambda:GetAlias', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Name) },
      handler: (input, ctx) => {
        const { fn } = functions.get(ctx, input.FunctionName!);
        return aliasView(aliasOf(fn, input.Name!));
      },
    }),

    UpdateAlias: operation<UpdateAliasRequest, AliasConfiguration>({
      iam: { action: 'lambda:UpdateAlias', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Name) },
      handler: (input, ctx) => {
        const { fn } = functions.get(ctx, input.FunctionName!);
        const current = aliasOf(fn, input.Name!);
        if (input.RevisionId && input.RevisionId !== current.RevisionId) throw staleRevision();
        const primary = input.FunctionVersion ?? current.FunctionVersion!;
        const routing = input.RoutingConfig ?? current.RoutingConfig;
        checkRouting(p, fn, primary, routing);
        const alias: AliasConfiguration = {
          ...current,
          FunctionVersion: primary,
          ...(input.Description !== undefined ? { Description: input.Description } : {}),
          RoutingConfig: { AdditionalVersionWeights: routing?.AdditionalVersionWeights ?? {} },
          RevisionId: functions.newRevision(),
        };
        store.saveAlias(fn.id, alias);
        return aliasView(alias);
      },
    }),

    DeleteAlias: operation<DeleteAliasRequest, Record<string, never>>({
      iam: { action: 'lambda:DeleteAlias', resource: (i, ctx) => requestedArn(ctx, i.FunctionName, i.Name) },
      handler: (input, ctx) => {
        const { fn } = functions.get(ctx, input.FunctionName!);
        store.deleteAlias(fn.id, input.Name!);
        return {};
      },
    }),

    ListAliases: operation<ListAliasesRequest, ListAliasesResponse>({
      iam: { action: 'lambda:ListAliases', resource: (i, ctx) => requestedArn(ctx, i.FunctionName) },
      handler: (input, ctx) => {
        const { fn } = functions.get(ctx, input.FunctionName!);
        const all = store.aliases(fn.id).filter((a) => !input.FunctionVersion || a.FunctionVersion === input.FunctionVersion).map(aliasView);
        return page(all, input.Marker, input.MaxItems, (Aliases, NextMarker) => ({ Aliases, NextMarker }));
      },
    }),
  };
}
