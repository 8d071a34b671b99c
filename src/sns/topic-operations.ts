import type * as SNS from '@aws-sdk/client-sns';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { parsePolicy, PolicyParseError } from '../iam/policy/index.js';
import { parseTopicArn, topicArn, validTopicName } from './arns.js';
import { defaultPolicy, isFifo, requireTopic, topicIam, type SnsContext } from './context.js';
import { parseDeliveryPolicy } from './delivery-policy.js';
import { invalidParameter, resourceNotFound, tagPolicy } from './errors.js';
import { pageOf } from './pagination.js';
import { attributesOf, type TopicRow } from './store.js';

/** Topic attributes a caller may set (the others are computed). */
const SETTABLE = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'SignatureVersion',
  'TracingConfig',
  'KmsMasterKeyId',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  ...['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
]);
const MAX_TAGS = 50;

/** Checks one attribute's value, as SetTopicAttributes and CreateTopic do. */
function checkAttribute(name: string, value: string, fifo: boolean): void {
  switch (name) {
    case 'Policy':
      try {
        parsePolicy(value, { kind: 'resource' });
      } catch (err) {
        if (err instanceof PolicyParseError) throw invalidParameter(`Policy Error: ${err.message}`);
        throw err;
      }
      return;
    case 'DeliveryPolicy':
      parseDeliveryPolicy(value, 'DeliveryPolicy');
      return;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalidParameter('Attributes Reason: SignatureVersion: Invalid value [' + value + ']. Must be 1 or 2.');
      return;
    case 'ContentBasedDeduplication':
      if (!fifo) throw invalidParameter('Attributes Reason: ContentBasedDeduplication: ContentBasedDeduplication is only available for FIFO topics');
      if (value !== 'true' && value !== 'false') throw invalidParameter(`Attributes Reason: ContentBasedDeduplication: Invalid value [${value}]. Must be true or false.`);
      return;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw invalidParameter('Attributes Reason: TracingConfig: Invalid value [' + value + ']. Must be PassThrough or Active.');
      return;
    case 'DisplayName':
      if (value.length > 100) throw invalidParameter('DisplayName');
      return;
    default:
      if (!SETTABLE.has(name)) throw invalidParameter(`AttributeName`);
  }
}

const tagsOf = (topic: TopicRow) => JSON.parse(topic.tags) as Record<string, string>;

function checkTags(tags: SNS.Tag[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags) {
    if (tag.Key!.startsWith('aws:')) throw tagPolicy('Invalid tag key: aws: is a reserved prefix');
    out[tag.Key!] = tag.Value ?? '';
  }
  return out;
}

/** GetTopicAttributes: the set attributes plus what SNS computes. */
function topicAttributes(c: SnsContext, topic: TopicRow): Record<string, string> {
  const set = attributesOf(topic);
  const subs = c.store.subscriptionsOf(topic.arn);
  const confirmed = subs.filter((s) => s.confirmed).length;
  return {
    TopicArn: topic.arn,
    Owner: topic.account_id,
    DisplayName: '',
    SubscriptionsConfirmed: String(confirmed),
    SubscriptionsPending: String(subs.length - confirmed),
    SubscriptionsDeleted: '0',
    EffectiveDeliveryPolicy: JSON.stringify(parseDeliveryPolicy(set.DeliveryPolicy, 'DeliveryPolicy').effective),
    ...(set.FifoTopic === 'true' ? { ContentBasedDeduplication: 'false' } : {}),
    ...set,
  };
}

export function topicOperations(c: SnsContext): Record<string, OperationSpec> {
  const withPolicy = (action: string) => topicIam(c, action);
  return {
    CreateTopic: operation<SNS.CreateTopicInput, SNS.CreateTopicResponse>({
      iam: { action: 'sns:CreateTopic', resource: (input, ctx) => topicArn({ region: ctx.region, accountId: ctx.accountId, name: input.Name ?? '' }) },
      handler: (input, ctx) => {
        const requested = { ...(input.Attributes ?? {}) };
        const fifo = requested.FifoTopic === 'true';
        if (requested.FifoTopic !== undefined && requested.FifoTopic !== 'true' && requested.FifoTopic !== 'false') {
          throw invalidParameter(`Attributes Reason: FifoTopic: Invalid value [${requested.FifoTopic}]. Must be true or false.`);
        }
        if (!validTopicName(input.Name!, fifo)) {
          throw invalidParameter(
            fifo
              ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
              : 'Topic Name',
          );
        }
        if (!fifo) delete requested.FifoTopic;
        for (const [name, value] of Object.entries(requested)) if (name !== 'FifoTopic') checkAttribute(name, value, fifo);
        const arn = topicArn({ region: ctx.region, accountId: ctx.accountId, name: input.Name! });
        const tags = checkTags(input.Tags ?? []);
        return c.deps.db.transaction(() => {
          const existing = c.store.topic(arn);
          if (existing) {
            const current = attributesOf(existing);
            if (Object.entries(requested).some(([k, v]) => current[k] !== v)) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
            const currentTags = tagsOf(existing);
            if (input.Tags && Object.entries(tags).some(([k, v]) => currentTags[k] !== v)) throw invalidParameter('Tags Reason: Topic already exists with different tags');
            return { TopicArn: arn };
          }
          if (Object.keys(tags).length > MAX_TAGS) throw tagPolicy(`Could not complete request: tag quota of per resource exceeded`);
          const attributes = { Policy: defaultPolicy(arn, ctx.accountId), ...requested };
          c.store.insertTopic({
            arn,
            account_id: ctx.accountId,
            region: ctx.region,
            name: input.Name!,
            attributes: JSON.stringify(attributes),
            tags: JSON.stringify(tags),
            created_at: c.now(),
          });
          return { TopicArn: arn };
        })();
      },
    }),
    DeleteTopic: operation<SNS.DeleteTopicInput, object>({
      iam: withPolicy('DeleteTopic'),
      handler: (input, ctx) => {
        // Deleting a topic that does not exist succeeds, as AWS answers it.
        if (!parseTopicArn(input.TopicArn!)) throw invalidParameter('TopicArn');
        if (c.store.topic(input.TopicArn!) && parseTopicArn(input.TopicArn!)!.accountId === ctx.accountId) {
          c.deps.db.transaction(() => c.store.deleteTopic(input.TopicArn!))();
        }
        return {};
      },
    }),
    GetTopicAttributes: operation<SNS.GetTopicAttributesInput, SNS.GetTopicAttributesResponse>({
      iam: withPolicy('GetTopicAttributes'),
      handler: (input, ctx) => ({ Attributes: topicAttributes(c, requireTopic(c, input.TopicArn!, ctx)) }),
    }),
    SetTopicAttributes: operation<SNS.SetTopicAttributesInput, object>({
      iam: withPolicy('SetTopicAttributes'),
      handler: (input, ctx) => {
        const topic = requireTopic(c, input.TopicArn!, ctx);
        const name = input.AttributeName!;
        if (name === 'FifoTopic') throw invalidParameter('Attributes Reason: FifoTopic: can only be set during topic creation');
        const value = input.AttributeValue ?? '';
        checkAttribute(name, value, isFifo(topic));
        const attributes = attributesOf(topic);
        if (value === '' && name !== 'DisplayName') delete attributes[name];
        else attributes[name] = value;
        c.store.setTopicAttributes(topic.arn, attributes);
        return {};
      },
    }),
    ListTopics: operation<SNS.ListTopicsInput, SNS.ListTopicsResponse>({
      iam: { action: 'sns:ListTopics', resource: () => '*' },
      handler: (input, ctx) => {
        const page = pageOf(input.NextToken, 100, (after, limit) => c.store.topics(ctx.accountId, ctx.region, after, limit), (t) => t.arn);
        return { Topics: page.items.map((t) => ({ TopicArn: t.arn })), ...(page.next ? { NextToken: page.next } : {}) };
      },
    }),
    AddPermission: operation<SNS.AddPermissionInput, object>({
      iam: withPolicy('AddPermission'),
      handler: (input, ctx) => {
        const topic = requireTopic(c, input.TopicArn!, ctx);
        const attributes = attributesOf(topic);
        const policy = JSON.parse(attributes.Policy ?? defaultPolicy(topic.arn, topic.account_id)) as { Statement: { Sid?: string }[] };
        if (policy.Statement.some((s) => s.Sid === input.Label)) throw invalidParameter('Statement already exists');
        const actions = input.ActionName!.map((a) => `SNS:${a}`);
        policy.Statement.push({
          Sid: input.Label,
          Effect: 'Allow',
          Principal: { AWS: input.AWSAccountId!.map((a) => `arn:aws:iam::${a}:root`) },
          Action: actions.length === 1 ? actions[0] : actions,
          Resource: topic.arn,
        } as { Sid?: string });
        attributes.Policy = JSON.stringify(policy);
        c.store.setTopicAttributes(topic.arn, attributes);
        return {};
      },
    }),
    RemovePermission: operation<SNS.RemovePermissionInput, object>({
      iam: withPolicy('RemovePermission'),
      handler: (input, ctx) => {
        const topic = requireTopic(c, input.TopicArn!, ctx);
        const attributes = attributesOf(topic);
        const policy = JSON.parse(attributes.Policy ?? defaultPolicy(topic.arn, topic.account_id)) as { Statement: { Sid?: string }[] };
        policy.Statement = policy.Statement.filter((s) => s.Sid !== input.Label);
        attributes.Policy = JSON.stringify(policy);
        c.store.setTopicAttributes(topic.arn, attributes);
        return {};
      },
    }),
    TagResource: operation<SNS.TagResourceRequest, object>({
      iam: { action: 'sns:TagResource', resource: (input) => input.ResourceArn ?? '*' },
      handler: (input, ctx) => {
        const topic = taggable(c, input.ResourceArn!, ctx);
        const tags = { ...tagsOf(topic), ...checkTags(input.Tags!) };
        if (Object.keys(tags).length > MAX_TAGS) throw tagPolicy('Could not complete request: tag quota of per resource exceeded');
        c.store.setTags(topic.arn, tags);
        return {};
      },
    }),
    UntagResource: operation<SNS.UntagResourceRequest, object>({
      iam: { action: 'sns:UntagResource', resource: (input) => input.ResourceArn ?? '*' },
      handler: (input, ctx) => {
        const topic = taggable(c, input.ResourceArn!, ctx);
        const tags = tagsOf(topic);
        for (const key of input.TagKeys!) delete tags[key];
        c.store.setTags(topic.arn, tags);
        return {};
      },
    }),
    ListTagsForResource: operation<SNS.ListTagsForResourceRequest, SNS.ListTagsForResourceResponse>({
      iam: { action: 'sns:ListTagsForResource', resource: (input) => input.ResourceArn ?? '*' },
      handler: (input, ctx) => ({ Tags: Object.entries(tagsOf(taggable(c, input.ResourceArn!, ctx))).map(([Key, Value]) => ({ Key, Value })) }),
    }),
  };
}

function taggable(c: SnsContext, arn: string, ctx: RequestContext): TopicRow {
  const ref = parseTopicArn(arn);
  const topic = ref && ref.accountId === ctx.accountId ? c.store.topic(arn) : undefined;
  if (!topic) throw resourceNotFound();
  return topic;
}
