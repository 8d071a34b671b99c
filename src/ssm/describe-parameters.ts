import type { DescribeParametersRequest, DescribeParametersResult, ParameterMetadata } from '@aws-sdk/client-ssm';
import { operation, type OperationSpec } from '../core/service.js';
import { validation } from './errors.js';
import { checkFilters, matches, type CheckedFilter } from './filters.js';
import { parameterArn } from './names.js';
import { decodeToken, page } from './pagination.js';
import type { Parameters } from './parameters.js';
import { describePolicies } from './policies.js';

/** DescribeParameters' older Filters: Name matches the beginning of a name, Type and KeyId the whole value. */
function legacyFilters(filters: DescribeParametersRequest['Filters']): CheckedFilter[] {
  return (filters ?? []).map((f) => ({ key: f.Key!, option: f.Key === 'Name' ? 'BeginsWith' : 'Equals', values: f.Values!, literalNames: true }));
}

export function describeOperations(params: Parameters): Record<string, OperationSpec> {
  return {
    DescribeParameters: operation<DescribeParametersRequest, DescribeParametersResult>({
      iam: { action: 'ssm:DescribeParameters', resource: () => '*' },
      handler: (input, ctx) => {
        if (input.Filters?.length && input.ParameterFilters?.length) {
          throw validation('You can use either Filters or ParameterFilters in a single request.');
        }
        const filters = input.ParameterFilters ? checkFilters(input.ParameterFilters, 'describe') : legacyFilters(input.Filters);
        const after = decodeToken<string>(input.NextToken, 'string');
        // Nothing is shared with this account through AWS RAM inside codesuite.
        const found = input.Shared
          ? []
          : params.store.listByPrefix(ctx.accountId, ctx.region, '', after).filter((p) => {
              const subject = { parameter: p, tags: () => params.store.tags(p.id), labels: () => [] };
              return filters.every((f) => matches(f, subject));
            });
        const metadata: ParameterMetadata[] = found.map((p) => ({
          Name: p.name,
          ARN: parameterArn(p, p.name),
          Type: p.type,
          KeyId: p.keyId ?? undefined,
          LastModifiedDate: new Date(p.modifiedAt),
          LastModifiedUser: p.modifiedBy,
          Description: p.description ?? undefined,
          AllowedPattern: p.allowedPattern ?? undefined,
          Version: p.version,
          Tier: p.tier,
          Policies: describePolicies(p.policies) ?? [],
          DataType: p.dataType,
        }));
        const { items, nextToken } = page(metadata, input.MaxResults ?? 10, (m) => m.Name!);
        return { Parameters: items, NextToken: nextToken };
      },
    }),
  };
}
