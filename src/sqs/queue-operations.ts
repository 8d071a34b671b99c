import type * as T from '@aws-sdk/client-sqs';
import { operation, type OperationSpec } from '../core/service.js';
import { invalidAttributeName, invalidAttributeValue, invalidParameterValue, invalidValue, purgeInProgress, queueDoesNotExist, queueNameExists } from './errors.js';
import { checkQueueName, queueArn, queueUrl } from './names.js';
import { allowsSource, checkAttributes, COMPUTED, defaultsFor, isKnownAttribute, parseRedrivePolicy } from './queue-attributes.js';
import type { Queue } from './queues.js';
import { queueIam, type Sqs } from './sqs.js';

const PURGE_INTERVAL_MS = 60_000;
/** Attributes that an empty value removes rather than sets. */
const REMOVABLE = ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId'];

const token = (name: string) => Buffer.from(JSON.stringify({ after: name }), 'utf8').toString('base64');
function afterToken(nextToken: string | undefined): string {
  if (nextToken === undefined) return '';
  try {
    const parsed = JSON.parse(Buffer.from(nextToken, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // answered below
  }
  throw invalidParameterValue('Invalid NextToken value.');
}

function checkMaxResults(max: number | undefined): number | undefined {
  if (max !== undefined && (max < 1 || max > 1000)) throw invalidValue(max, 'MaxResults', 'MaxResults must be an integer between 1 and 1000.');
  return max;
}

/** A redrive policy may only name an existing queue of the same kind whose redrive allow policy lets this queue in. */
function checkRedriveTarget(sqs: Sqs, queue: { arn: string; fifo: boolean }, attributes: Record<string, string>): void {
  if (!attributes.RedrivePolicy) return;
  const policy = parseRedrivePolicy(attributes.RedrivePolicy);
  const target = sqs.queues.byArn(policy.deadLetterTargetArn);
  const reason = (why: string) => invalidAttributeValue(`Value ${attributes.RedrivePolicy} for parameter RedrivePolicy is invalid. Reason: ${why}`);
  if (!target) throw reason('Dead letter target does not exist.');
  if (target.fifo !== queue.fifo) throw reason('Dead-letter queue must be same type of queue as the source.');
  if (!allowsSource(target.attributes.RedriveAllowPolicy, queue.arn)) throw reason('Dead letter target does not allow this queue as a source.');
}

function withoutRemoved(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([k, v]) => !(REMOVABLE.includes(k) && v === '')));
}

export function queueOperations(sqs: Sqs): Record<string, OperationSpec> {
  const now = () => sqs.now();
  const url = (ctx: { endpoint: string }, q: Queue) => queueUrl(ctx.endpoint, q);

  return {
    CreateQueue: operation<T.CreateQueueRequest, T.CreateQueueResult>({
      iam: { action: 'sqs:CreateQueue', resource: (i, ctx) => queueArn({ accountId: ctx.accountId, region: ctx.region, name: i.QueueName ?? '' }) },
      handler: (input, ctx) => {
        const given = (input.Attributes ?? {}) as Record<string, string>;
        const fifo = given.FifoQueue === 'true';
        checkQueueName(input.QueueName!, fifo);
        const address = { accountId: ctx.accountId, region: ctx.region, name: input.QueueName! };
        const attributes = { ...defaultsFor(fifo), ...withoutRemoved(checkAttributes(given, fifo, true)) };
        const existing = sqs.queues.find(address);
        if (existing) {
          for (const [name, value] of Object.entries(given)) {
            if ((existing.attributes[name] ?? '') !== value && !(name === 'FifoQueue' && value === 'false' && !existing.fifo)) throw queueNameExists(name);
          }
          return { QueueUrl: url(ctx, existing) };
        }
        checkRedriveTarget(sqs, { arn: queueArn(address), fifo }, attributes);
        const queue = sqs.queues.create(address, attributes, (input.tags ?? {}) as Record<string, string>, now());
        return { QueueUrl: url(ctx, queue) };
      },
    }),

    DeleteQueue: operation<T.DeleteQueueRequest, object>({
      iam: queueIam(sqs, 'sqs:DeleteQueue'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        sqs.queues.delete(queue);
        sqs.waiters.wake(queue.id);
        return {};
      },
    }),

    GetQueueUrl: operation<T.GetQueueUrlRequest, T.GetQueueUrlResult>({
      iam: {
        action: 'sqs:GetQueueUrl',
        resource: (i, ctx) => queueArn({ accountId: i.QueueOwnerAWSAccountId ?? ctx.accountId, region: ctx.region, name: i.QueueName ?? '' }),
      },
      handler: (input, ctx) => {
        const queue = sqs.queues.find({ accountId: input.QueueOwnerAWSAccountId ?? ctx.accountId, region: ctx.region, name: input.QueueName! });
        if (!queue) throw queueDoesNotExist();
        return { QueueUrl: url(ctx, queue) };
      },
    }),

    ListQueues: operation<T.ListQueuesRequest, T.ListQueuesResult>({
      iam: { action: 'sqs:ListQueues', resource: (_i, ctx) => `arn:aws:sqs:${ctx.region}:${ctx.accountId}:*` },
      handler: (input, ctx) => {
        const max = checkMaxResults(input.MaxResults);
        const found = sqs.queues.list(ctx.accountId, ctx.region, input.QueueNamePrefix ?? '', afterToken(input.NextToken), (max ?? 1000) + 1);
        const page = found.slice(0, max ?? 1000);
        const more = max !== undefined && found.length > max;
        return {
          ...(page.length ? { QueueUrls: page.map((q) => url(ctx, q)) } : {}),
          ...(more ? { NextToken: token(page[page.length - 1].name) } : {}),
        };
      },
    }),

    GetQueueAttributes: operation<T.GetQueueAttributesRequest, T.GetQueueAttributesResult>({
      iam: queueIam(sqs, 'sqs:GetQueueAttributes'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        const names = (input.AttributeNames ?? []) as string[];
        for (const name of names) if (!isKnownAttribute(name)) throw invalidAttributeName(`Unknown Attribute ${name}.`);
        if (names.length === 0) return {};
        const counts = sqs.messages.counts(queue);
        const computed: Record<string, string> = {
          ApproximateNumberOfMessages: String(counts.visible),
          ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
          ApproximateNumberOfMessagesDelayed: String(counts.delayed),
          CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
          LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
          QueueArn: queue.arn,
        };
        const all = names.includes('All');
        const out: Record<string, string> = {};
        for (const name of COMPUTED) if (all || names.includes(name)) out[name] = computed[name];
        for (const [name, value] of Object.entries(queue.attributes)) if (all || names.includes(name)) out[name] = value;
        return { Attributes: out };
      },
    }),

    SetQueueAttributes: operation<T.SetQueueAttributesRequest, object>({
      iam: queueIam(sqs, 'sqs:SetQueueAttributes'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        const checked = checkAttributes((input.Attributes ?? {}) as Record<string, string>, queue.fifo, false);
        const attributes = withoutRemoved({ ...queue.attributes, ...checked });
        if (checked.RedrivePolicy) checkRedriveTarget(sqs, queue, attributes);
        sqs.queues.setAttributes(queue, attributes, now());
        return {};
      },
    }),

    PurgeQueue: operation<T.PurgeQueueRequest, object>({
      iam: queueIam(sqs, 'sqs:PurgeQueue'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        const at = now();
        if (queue.purgedAt !== null && at - queue.purgedAt < PURGE_INTERVAL_MS) throw purgeInProgress(queue.name);
        sqs.deps.db.transaction(() => {
          sqs.messages.purge(queue);
          sqs.queues.markPurged(queue, at);
        })();
        return {};
      },
    }),

    ListDeadLetterSourceQueues: operation<T.ListDeadLetterSourceQueuesRequest, T.ListDeadLetterSourceQueuesResult>({
      iam: queueIam(sqs, 'sqs:ListDeadLetterSourceQueues'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        const max = checkMaxResults(input.MaxResults);
        const after = afterToken(input.NextToken);
        const sources = sqs.queues.deadLetterSources(queue.arn).filter((q) => q.name > after);
        const page = sources.slice(0, max ?? 1000);
        return {
          queueUrls: page.map((q) => url(ctx, q)),
          ...(max !== undefined && sources.length > max ? { NextToken: token(page[page.length - 1].name) } : {}),
        };
      },
    }),
  };
}
