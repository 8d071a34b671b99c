import type {
  CreateLogStreamRequest,
  DeleteLogStreamRequest,
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { groupArn, parseGroupArn, streamArn } from './arns.js';
import { invalidParameter, streamExists } from './errors.js';
import type { Logs } from './logs.js';
import { offsetToken, parseOffsetToken } from './tokens.js';

const groupRef = (ctx: RequestContext, name: string | undefined) => ({ accountId: ctx.accountId, region: ctx.region, name: name ?? '*' });

/** IAM sees the group named either way. */
export function selectedGroupArn(input: { logGroupName?: string; logGroupIdentifier?: string }, ctx: RequestContext): string {
  const arn = input.logGroupIdentifier ? parseGroupArn(input.logGroupIdentifier) : undefined;
  return groupArn(arn ?? groupRef(ctx, input.logGroupName ?? input.logGroupIdentifier));
}

export function streamOperations(logs: Logs): Record<string, OperationSpec> {
  return {
    CreateLogStream: operation<CreateLogStreamRequest, object>({
      iam: { action: 'logs:CreateLogStream', resource: (i, ctx) => streamArn(groupRef(ctx, i.logGroupName), i.logStreamName ?? '*') },
      handler: (input, ctx) => {
        const group = logs.requireGroup(ctx, input.logGroupName!);
        if (logs.store.findStream(group.id, input.logStreamName!)) throw streamExists();
        try {
          logs.store.insertStream(group.id, input.logStreamName!, logs.now());
        } catch (err) {
          if (logs.store.findStream(group.id, input.logStreamName!)) throw streamExists();
          throw err;
        }
        return {};
      },
    }),

    DeleteLogStream: operation<DeleteLogStreamRequest, object>({
      iam: { action: 'logs:DeleteLogStream', resource: (i, ctx) => streamArn(groupRef(ctx, i.logGroupName), i.logStreamName ?? '*') },
      handler: (input, ctx) => {
        const group = logs.requireGroup(ctx, input.logGroupName!);
        logs.store.deleteStream(logs.requireStream(group, input.logStreamName!));
        return {};
      },
    }),

    DescribeLogStreams: operation<DescribeLogStreamsRequest, DescribeLogStreamsResponse>({
      iam: { action: 'logs:DescribeLogStreams', resource: selectedGroupArn },
      handler: (input, ctx) => {
        const group = logs.selectGroup(ctx, input);
        const byTime = input.orderBy === 'LastEventTime';
        if (byTime && input.logStreamNamePrefix !== undefined) {
          throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
        }
        let streams = logs.store.listStreams(group.id);
        if (input.logStreamNamePrefix !== undefined) streams = streams.filter((s) => s.name.startsWith(input.logStreamNamePrefix!));
        if (byTime) streams.sort((a, b) => (a.last_event_at ?? 0) - (b.last_event_at ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        if (input.descending) streams.reverse();
        const limit = input.limit ?? 50;
        const start = parseOffsetToken(input.nextToken, streams.length);
        return {
          logStreams: streams.slice(start, start + limit).map((s) => logs.describeStream(group, s)),
          nextToken: start + limit < streams.length ? offsetToken(start + limit) : undefined,
        };
      },
    }),
  };
}
