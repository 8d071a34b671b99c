import type { ListEventTypesRequest, ListEventTypesResult } from '@aws-sdk/client-codestar-notifications';
import { operation, type OperationSpec } from '../core/service.js';
import { eventTypes } from './event-types.js';
import { page } from './pagination.js';

export function eventTypeOperations(): Record<string, OperationSpec> {
  return {
    ListEventTypes: operation<ListEventTypesRequest, ListEventTypesResult>({
      iam: { action: 'codestar-notifications:ListEventTypes', resource: () => '*' },
      handler: (input) => {
        const filters = input.Filters ?? [];
        const matching = eventTypes().filter((t) => filters.every((f) => (f.Name === 'RESOURCE_TYPE' ? t.ResourceType === f.Value : t.ServiceName === f.Value)));
        const { items, NextToken } = page(matching, input.NextToken, input.MaxResults);
        return { EventTypes: items, ...(NextToken ? { NextToken } : {}) };
      },
    }),
  };
}
