import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { parseTopicArn, parseSubscriptionArn } from './arns.js';
import { invalidParameter, subscriptionNotFound, topicNotFound } from './errors.js';
import type { SigningKey } from './signing.js';
import { attributesOf, SnsStore, type SubscriptionRow, type TopicRow } from './store.js';

/** What every SNS operation shares. */
export interface SnsContext {
  deps: ServiceDeps;
  store: SnsStore;
  key: SigningKey;
  now(): number;
  /** Base URL for the URLs SNS hands out (certificate, subscribe and unsubscribe links). */
  endpoint(): string;
}

export const isFifo = (topic: TopicRow) => attributesOf(topic).FifoTopic === 'true';

/** A topic of the caller's account given by ARN. */
export function requireTopic(c: SnsContext, arn: string, ctx: Pick<RequestContext, 'accountId' | 'region'>, member = 'TopicArn'): TopicRow {
  const ref = parseTopicArn(arn);
  if (!ref) throw invalidParameter(member);
  const topic = c.store.topic(arn);
  if (!topic || ref.accountId !== ctx.accountId) throw topicNotFound();
  return topic;
}

export function requireSubscription(c: SnsContext, arn: string): SubscriptionRow {
  if (!parseSubscriptionArn(arn)) throw invalidParameter('SubscriptionArn');
  const subscription = c.store.subscription(arn);
  if (!subscription) throw subscriptionNotFound();
  return subscription;
}

/** The policy a request to a topic (or its subscription) is weighed against, with the caller's identity policies. */
export function topicPolicy(c: SnsContext, arn: string | undefined): string | undefined {
  const topic = arn ? c.store.topic(arn) : undefined;
  return topic ? attributesOf(topic).Policy : undefined;
}

/** AWS's policy for a new topic: the owning account may do the topic's operations. */
export function defaultPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

/** An operation on a topic: authorized on the topic's ARN, its policy weighed with the caller's. */
export const topicIam = (c: SnsContext, action: string) => ({
  action: `sns:${action}`,
  resource: (input: { TopicArn?: string }) => input.TopicArn ?? '*',
  resourcePolicy: (input: { TopicArn?: string }) => topicPolicy(c, input.TopicArn),
});
