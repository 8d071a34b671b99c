import type {
  CreateLogGroupRequest,
  DeleteLogGroupRequest,
  DeleteRetentionPolicyRequest,
  DescribeLogGroupsRequest,
  DescribeLogGroupsResponse,
  PutRetentionPolicyRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../core/context.js';
import { AwsError } from '../core/errors.js';
import { operation, type OperationSpec } from '../core/service.js';
import { groupArn, parseGroupArn } from './arns.js';
import { constraint, groupExists, invalidParameter } from './errors.js';
import type { Logs } from './logs.js';
import { checkTags } from './tag-rules.js';
import { offsetToken, parseOffsetToken } from './tokens.js';

export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const arnOf = (ctx: RequestContext, name: string | undefined) => groupArn({ accountId: ctx.accountId, region: ctx.region, name: name ?? '*' });

export function groupOperations(logs: Logs): Record<string, OperationSpec> {
  return {
    CreateLogGroup: operation<CreateLogGroupRequest, object>({
      iam: {
        action: 'logs:CreateLogGroup',
        resource: (i, ctx) => arnOf(ctx, i.logGroupName),
        conditionKeys: (i) => Object.fromEntries(Object.entries(i.tags ?? {}).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
      },
      handler: (input, ctx) => {
        const name = input.logGroupName!;
        if (name.startsWith('aws/')) throw invalidParameter("Log group names can't start with the string aws/");
        const tags = input.tags ?? {};
        checkTags({}, tags);
        if (logs.store.findGroup(ctx.accountId, ctx.region, name)) throw groupExists();
        try {
          logs.store.insertGroup(
            {
              account_id: ctx.accountId,
              region: ctx.region,
              name,
              created_at: logs.now(),
              retention_days: null,
              kms_key_id: input.kmsKeyId ?? null,
              log_group_class: input.logGroupClass ?? 'STANDARD',
              deletion_protection: input.deletionProtectionEnabled ? 1 : 0,
            },
            tags,
          );
        } catch (err) {
          // Two creates of one name raced: the unique key decided.
          if (logs.store.findGroup(ctx.accountId, ctx.region, name)) throw groupExists();
          throw err;
        }
        return {};
      },
    }),

    DeleteLogGroup: operation<DeleteLogGroupRequest, object>({
      iam: { action: 'logs:DeleteLogGroup', resource: (i, ctx) => arnOf(ctx, i.logGroupName) },
      handler: (input, ctx) => {
        const group = logs.requireGroup(ctx, input.logGroupName!);
        if (group.deletion_protection === 1) {
          throw new AwsError('ValidationException', `Log group ${group.name} has deletion protection enabled and cannot be deleted.`);
        }
        logs.store.deleteGroup(group.id);
        return {};
      },
    }),

    DescribeLogGroups: operation<DescribeLogGroupsRequest, DescribeLogGroupsResponse>({
      iam: { action: 'logs:DescribeLogGroups', resource: (_i, ctx) => arnOf(ctx, '*') },
      handler: (input, ctx) => {
        const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern, logGroupIdentifiers: identifiers } = input;
        if ([prefix, pattern, identifiers].filter((v) => v !== undefined).length > 1) {
          throw invalidParameter('LogGroup name prefix, LogGroup name pattern and LogGroup identifiers are mutually exclusive parameters.');
        }
        let groups = logs.store.listGroups(ctx.accountId, ctx.region);
        if (prefix !== undefined) groups = groups.filter((g) => g.name.startsWith(prefix));
        if (pattern) groups = groups.filter((g) => g.name.toLowerCase().includes(pattern.toLowerCase()));
        if (identifiers) {
          const names = new Set(identifiers.map((id) => parseGroupArn(id)?.name ?? id));
          groups = groups.filter((g) => names.has(g.name));
        }
        if (input.logGroupClass) groups = groups.filter((g) => g.log_group_class === input.logGroupClass);
        const limit = input.limit ?? 50;
        const start = parseOffsetToken(input.nextToken, groups.length);
        const page = groups.slice(start, start + limit);
        return {
          logGroups: page.map((g) => logs.describeGroup(g)),
          nextToken: start + limit < groups.length ? offsetToken(start + limit) : undefined,
        };
      },
    }),

    PutRetentionPolicy: operation<PutRetentionPolicyRequest, object>({
      iam: { action: 'logs:PutRetentionPolicy', resource: (i, ctx) => arnOf(ctx, i.logGroupName) },
      handler: (input, ctx) => {
        if (!RETENTION_DAYS.includes(input.retentionInDays!)) {
          throw constraint('retentionInDays', input.retentionInDays, `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
        }
        const group = logs.requireGroup(ctx, input.logGroupName!);
        logs.store.setRetention(group.id, input.retentionInDays!);
        return {};
      },
    }),

    DeleteRetentionPolicy: operation<DeleteRetentionPolicyRequest, object>({
      iam: { action: 'logs:DeleteRetentionPolicy', resource: (i, ctx) => arnOf(ctx, i.logGroupName) },
      handler: (input, ctx) => {
        const group = logs.requireGroup(ctx, input.logGroupName!);
        logs.store.setRetention(group.id, null);
        return {};
      },
    }),
  };
}
