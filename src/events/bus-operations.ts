import type {
  CreateEventBusRequest,
  CreateEventBusResponse,
  DeleteEventBusRequest,
  DescribeEventBusRequest,
  DescribeEventBusResponse,
  EventBus,
  ListEventBusesRequest,
  ListEventBusesResponse,
  LogConfig,
  UpdateEventBusRequest,
  UpdateEventBusResponse,
} from '@aws-sdk/client-eventbridge';
import { AwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { busArn, busName } from './arns.js';
import { scopeOf, type Bridge } from './bridge.js';
import { busExists, validation } from './errors.js';
import { page } from './pagination.js';
import type { BusRow } from './store.js';
import { checkTagList } from './tag-operations.js';

const arnOfRow = (bus: BusRow) => busArn({ accountId: bus.account_id, region: bus.region }, bus.name);

function busView(bus: BusRow): DescribeEventBusResponse {
  return {
    Name: bus.name,
    Arn: arnOfRow(bus),
    ...(bus.description !== null ? { Description: bus.description } : {}),
    ...(bus.kms_key_identifier !== null ? { KmsKeyIdentifier: bus.kms_key_identifier } : {}),
    ...(bus.dead_letter_arn !== null ? { DeadLetterConfig: { Arn: bus.dead_letter_arn } } : {}),
    ...(bus.log_config !== null ? { LogConfig: JSON.parse(bus.log_config) as LogConfig } : {}),
    CreationTime: new Date(bus.created_at),
    LastModifiedTime: new Date(bus.updated_at),
  };
}

export function busOperations(bridge: Bridge): Record<string, OperationSpec> {
  const { store } = bridge;
  return {
    CreateEventBus: operation<CreateEventBusRequest, CreateEventBusResponse>({
      iam: {
        action: 'events:CreateEventBus',
        resource: (i, ctx) => busArn(scopeOf(ctx), i.Name ?? '*'),
        conditionKeys: (i) => Object.fromEntries((i.Tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])),
      },
      handler: (input, ctx) => {
        const name = input.Name!;
        if (input.EventSourceName !== undefined) {
          throw new AwsError('ResourceNotFoundException', `Event source ${input.EventSourceName} does not exist.`);
        }
        if (name.includes('/')) throw validation(`Event bus name ${name} is not valid: only partner event buses may contain '/'.`);
        checkTagList(input.Tags ?? []);
        if (name === 'default' || store.findBus(scopeOf(ctx), name)) throw busExists(name);
        const now = bridge.now();
        const bus = bridge.deps.db.transaction(() => {
          const row = store.insertBus({
            account_id: ctx.accountId,
            region: ctx.region,
            name,
            description: input.Description ?? null,
            kms_key_identifier: input.KmsKeyIdentifier ?? null,
            dead_letter_arn: input.DeadLetterConfig?.Arn ?? null,
            log_config: input.LogConfig ? JSON.stringify(input.LogConfig) : null,
            created_at: now,
            updated_at: now,
          });
          store.putTags(arnOfRow(row), input.Tags ?? []);
          return row;
        })();
        const view = busView(bus);
        return {
          EventBusArn: view.Arn,
          ...(view.Description !== undefined ? { Description: view.Description } : {}),
          ...(view.KmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: view.KmsKeyIdentifier } : {}),
          ...(view.DeadLetterConfig !== undefined ? { DeadLetterConfig: view.DeadLetterConfig } : {}),
          ...(view.LogConfig !== undefined ? { LogConfig: view.LogConfig } : {}),
        };
      },
    }),

    DeleteEventBus: operation<DeleteEventBusRequest, object>({
      iam: { action: 'events:DeleteEventBus', resource: (i, ctx) => busArn(scopeOf(ctx), i.Name ?? '*') },
      handler: (input, ctx) => {
        if (input.Name === 'default') throw validation('Cannot delete event bus default.');
        const bus = store.findBus(scopeOf(ctx), input.Name!);
        // Deleting a bus that is not there succeeds, as AWS does.
        if (!bus) return {};
        bridge.deps.db.transaction(() => {
          for (const rule of store.listRules(bus.id)) store.deleteTags(rule.arn);
          store.deleteTags(arnOfRow(bus));
          store.deleteBus(bus.id);
        })();
        return {};
      },
    }),

    DescribeEventBus: operation<DescribeEventBusRequest, DescribeEventBusResponse>({
      iam: { action: 'events:DescribeEventBus', resource: (i, ctx) => busArn(scopeOf(ctx), busName(i.Name)) },
      handler: (input, ctx) => busView(bridge.requireBus(ctx, input.Name)),
    }),

    ListEventBuses: operation<ListEventBusesRequest, ListEventBusesResponse>({
      iam: { action: 'events:ListEventBuses', resource: () => '*' },
      handler: (input, ctx) => {
        bridge.defaultBus(scopeOf(ctx));
        let buses = store.listBuses(scopeOf(ctx));
        if (input.NamePrefix) buses = buses.filter((b) => b.name.startsWith(input.NamePrefix!));
        const { items, nextToken } = page(buses, input.NextToken, input.Limit ?? 100);
        return {
          EventBuses: items.map((b): EventBus => {
            const v = busView(b);
            return { Name: v.Name, Arn: v.Arn, ...(v.Description ? { Description: v.Description } : {}), CreationTime: v.CreationTime, LastModifiedTime: v.LastModifiedTime };
          }),
          NextToken: nextToken,
        };
      },
    }),

    UpdateEventBus: operation<UpdateEventBusRequest, UpdateEventBusResponse>({
      iam: { action: 'events:UpdateEventBus', resource: (i, ctx) => busArn(scopeOf(ctx), i.Name ?? 'default') },
      handler: (input, ctx) => {
        const bus = bridge.requireBus(ctx, input.Name);
        if (input.Description !== undefined) bus.description = input.Description;
        if (input.KmsKeyIdentifier !== undefined) bus.kms_key_identifier = input.KmsKeyIdentifier || null;
        if (input.DeadLetterConfig !== undefined) bus.dead_letter_arn = input.DeadLetterConfig.Arn ?? null;
        if (input.LogConfig !== undefined) bus.log_config = JSON.stringify(input.LogConfig);
        bus.updated_at = bridge.now();
        store.updateBus(bus);
        const view = busView(bus);
        return {
          Arn: view.Arn,
          Name: view.Name,
          ...(view.Description !== undefined ? { Description: view.Description } : {}),
          ...(view.KmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: view.KmsKeyIdentifier } : {}),
          ...(view.DeadLetterConfig !== undefined ? { DeadLetterConfig: view.DeadLetterConfig } : {}),
          ...(view.LogConfig !== undefined ? { LogConfig: view.LogConfig } : {}),
        };
      },
    }),
  };
}
