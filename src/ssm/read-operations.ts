import type {
  GetParameterHistoryRequest,
  GetParameterHistoryResult,
  GetParameterRequest,
  GetParameterResult,
  GetParametersByPathRequest,
  GetParametersByPathResult,
  GetParametersRequest,
  GetParametersResult,
  Parameter,
  ParameterHistory,
} from '@aws-sdk/client-ssm';
import { isAwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { INVALID_PATH, validation } from './errors.js';
import { checkFilters, matches } from './filters.js';
import { isValidPath, parseReference } from './names.js';
import { decodeToken, page } from './pagination.js';
import type { Parameters } from './parameters.js';
import { describePolicies } from './policies.js';
import { parameterIam } from './iam.js';

export function readOperations(params: Parameters): Record<string, OperationSpec> {
  return {
    GetParameter: operation<GetParameterRequest, GetParameterResult>({
      iam: parameterIam(params, 'ssm:GetParameter', (i) => i.Name),
      handler: (input, ctx) => {
        const ref = parseReference(input.Name!, ctx);
        const { parameter, version } = params.resolve(ctx, ref);
        return { Parameter: params.toParameter(parameter, version, input.WithDecryption, ref.selector) };
      },
    }),

    GetParameters: operation<GetParametersRequest, GetParametersResult>({
      iam: parameterIam(params, 'ssm:GetParameters', (i) => i.Names?.[0]),
      handler: (input, ctx) => {
        const found: Parameter[] = [];
        const invalid: string[] = [];
        for (const given of new Set(input.Names!)) {
          try {
            const ref = parseReference(given, ctx);
            const { parameter, version } = params.resolve(ctx, ref);
            found.push(params.toParameter(parameter, version, input.WithDecryption, ref.selector));
          } catch (err) {
            if (!isAwsError(err) || (err.code !== 'ParameterNotFound' && err.code !== 'ParameterVersionNotFound')) throw err;
            invalid.push(given);
          }
        }
        return { Parameters: found, InvalidParameters: invalid };
      },
    }),

    GetParametersByPath: operation<GetParametersByPathRequest, GetParametersByPathResult>({
      iam: {
        ...parameterIam(params, 'ssm:GetParametersByPath', (i) => i.Path),
        conditionKeys: (i) => ({ 'ssm:Recursive': i.Recursive ? 'Recursive' : 'OneLevel' }),
      },
      handler: (input, ctx) => {
        const path = input.Path!;
        if (!isValidPath(path)) throw validation(INVALID_PATH);
        const filters = checkFilters(input.ParameterFilters, 'path');
        const labelFilter = filters.find((f) => f.key === 'Label');
        const after = decodeToken<string>(input.NextToken, 'string');
        const prefix = path === '/' ? '' : `${path.replace(/\/+$/, '')}/`;
        const results: Parameter[] = [];
        for (const p of params.store.listByPrefix(ctx.accountId, ctx.region, prefix, after)) {
          const rest = prefix === '' ? p.name.replace(/^\//, '') : p.name.slice(prefix.length);
          if (!input.Recursive && rest.includes('/')) continue;
          const labels = labelFilter ? params.store.labels(p.id) : undefined;
          const subject = { parameter: p, tags: () => params.store.tags(p.id), labels: () => [...(labels?.values() ?? [])].flat() };
          if (!filters.every((f) => matches(f, subject))) continue;
          // A Label filter returns the version that carries the label, not the latest one.
          const labelled = labelFilter && [...labels!].find(([, ls]) => ls.some((l) => labelFilter.values!.includes(l)))?.[0];
          const version = labelled ? params.store.version(p.id, labelled)! : p;
          results.push(params.toParameter(p, version, input.WithDecryption));
        }
        const { items, nextToken } = page(results, input.MaxResults ?? 10, (item) => item.Name!);
        return { Parameters: items, NextToken: nextToken };
      },
    }),

    GetParameterHistory: operation<GetParameterHistoryRequest, GetParameterHistoryResult>({
      iam: parameterIam(params, 'ssm:GetParameterHistory', (i) => i.Name),
      handler: (input, ctx) => {
        const ref = parseReference(input.Name!, ctx);
        const { parameter } = params.resolve(ctx, { ...ref, selector: undefined });
        const labels = params.store.labels(parameter.id);
        const after = decodeToken<number>(input.NextToken, 'number') ?? 0;
        const history: ParameterHistory[] = params.store
          .versions(parameter.id)
          .filter((v) => v.version > after)
          .map((v) => ({
            Name: parameter.name,
            Type: v.type,
            KeyId: v.keyId ?? undefined,
            LastModifiedDate: new Date(v.modifiedAt),
            LastModifiedUser: v.modifiedBy,
            Description: v.description ?? undefined,
            Value: params.shownValue(parameter, v, input.WithDecryption),
            AllowedPattern: v.allowedPattern ?? undefined,
            Version: v.version,
            Labels: labels.get(v.version) ?? [],
            Tier: v.tier,
            Policies: describePolicies(v.policies) ?? [],
            DataType: v.dataType,
          }));
        const { items, nextToken } = page(history, input.MaxResults ?? 50, (item) => item.Version!);
        return { Parameters: items, NextToken: nextToken };
      },
    }),
  };
}
