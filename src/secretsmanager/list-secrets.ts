import type { ListSecretsRequest, ListSecretsResponse } from '@aws-sdk/client-secrets-manager';
import { operation, type OperationSpec } from '../core/service.js';
import { matchesFilters } from './list-filters.js';
import { page } from './pagination.js';
import type { SecretRecord } from './secret-store.js';
import type { Secrets } from './secrets.js';
import { listEntry } from './views.js';

const SORT_KEYS: Record<string, (s: SecretRecord) => number | string> = {
  'created-date': (s) => s.createdAt,
  'last-accessed-date': (s) => s.lastAccessedAt ?? 0,
  'last-changed-date': (s) => s.lastChangedAt,
  name: (s) => s.name,
};

export function listOperations(secrets: Secrets): Record<string, OperationSpec> {
  return {
    ListSecrets: operation<ListSecretsRequest, ListSecretsResponse>({
      iam: { action: 'secretsmanager:ListSecrets', resource: () => '*' },
      handler: (input, ctx) => {
        const keyOf = SORT_KEYS[input.SortBy ?? 'created-date'];
        const direction = input.SortOrder === 'desc' ? -1 : 1;
        const found = secrets.store
          .list(ctx.accountId, ctx.region)
          .filter((s) => input.IncludePlannedDeletion || s.deletedAt === null)
          .filter((s) => matchesFilters(input.Filters, { secret: s, tags: secrets.store.tags(s.id) }))
          // Ties keep creation order, so pages stay stable between calls.
          .sort((a, b) => {
            const x = keyOf(a);
            const y = keyOf(b);
            return (x < y ? -1 : x > y ? 1 : 0) * direction || a.id - b.id;
          });
        const { items, nextToken } = page(found, input.NextToken, input.MaxResults ?? 100);
        return { SecretList: items.map((s) => listEntry(secrets, s)), NextToken: nextToken };
      },
    }),
  };
}
