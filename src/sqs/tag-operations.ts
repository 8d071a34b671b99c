import type * as T from '@aws-sdk/client-sqs';
import { operation, type OperationSpec } from '../core/service.js';
import { invalidParameterValue, invalidValue } from './errors.js';
import { queueIam, type Sqs } from './sqs.js';

const MAX_TAGS = 50;

interface Statement {
  Sid?: string;
  [key: string]: unknown;
}

function statements(policy: string | undefined): Statement[] {
  if (!policy) return [];
  const parsed = JSON.parse(policy) as { Statement?: Statement | Statement[] };
  return Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
}

/** Tags, and AddPermission / RemovePermission, which edit the queue policy one labelled statement at a time. */
export function tagOperations(sqs: Sqs): Record<string, OperationSpec> {
  return {
    TagQueue: operation<T.TagQueueRequest, object>({
      iam: queueIam(sqs, 'sqs:TagQueue'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        const tags = { ...queue.tags, ...(input.Tags as Record<string, string>) };
        if (Object.keys(tags).length > MAX_TAGS) throw invalidParameterValue(`Too many tags added for queue ${queue.name}.`);
        sqs.queues.setTags(queue, tags);
        return {};
      },
    }),

    UntagQueue: operation<T.UntagQueueRequest, object>({
      iam: queueIam(sqs, 'sqs:UntagQueue'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        const tags = { ...queue.tags };
        for (const key of input.TagKeys!) delete tags[key];
        sqs.queues.setTags(queue, tags);
        return {};
      },
    }),

    ListQueueTags: operation<T.ListQueueTagsRequest, T.ListQueueTagsResult>({
      iam: queueIam(sqs, 'sqs:ListQueueTags'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        return Object.keys(queue.tags).length ? { Tags: queue.tags } : {};
      },
    }),

    AddPermission: operation<T.AddPermissionRequest, object>({
      iam: queueIam(sqs, 'sqs:AddPermission'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        const existing = statements(queue.attributes.Policy);
        if (existing.some((s) => s.Sid === input.Label)) throw invalidValue(input.Label, 'Label', 'Already exists.');
        if (input.AWSAccountIds!.length === 0) throw invalidValue('[]', 'AWSAccountIds', 'Must not be empty.');
        if (input.Actions!.length === 0) throw invalidValue('[]', 'Actions', 'Must not be empty.');
        const statement = {
          Sid: input.Label,
          Effect: 'Allow',
          Principal: { AWS: input.AWSAccountIds!.map((id) => `arn:aws:iam::${id}:root`) },
          Action: input.Actions!.map((a) => `SQS:${a}`),
          Resource: queue.arn,
        };
        const policy = { Version: '2012-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [...existing, statement] };
        sqs.queues.setAttributes(queue, { ...queue.attributes, Policy: JSON.stringify(policy) }, sqs.now());
        return {};
      },
    }),

    RemovePermission: operation<T.RemovePermissionRequest, object>({
      iam: queueIam(sqs, 'sqs:RemovePermission'),
      handler: (input, ctx) => {
        const queue = sqs.queue(input.QueueUrl, ctx);
        const existing = statements(queue.attributes.Policy);
        if (!existing.some((s) => s.Sid === input.Label)) throw invalidValue(input.Label, 'Label', "can't find label.");
        const rest = existing.filter((s) => s.Sid !== input.Label);
        const attributes = { ...queue.attributes };
        if (rest.length) attributes.Policy = JSON.stringify({ ...(JSON.parse(queue.attributes.Policy!) as object), Statement: rest });
        else delete attributes.Policy;
        sqs.queues.setAttributes(queue, attributes, sqs.now());
        return {};
      },
    }),
  };
}
