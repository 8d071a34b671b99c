import { invalidParameter } from './errors.js';

/** How HTTP/S deliveries are retried and sent (SNS DG, message delivery retries). */
export interface HttpRetry {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: string;
}

export const DEFAULT_HTTP_RETRY: HttpRetry = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};
export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';
const BACKOFF = new Set(['linear', 'arithmetic', 'geometric', 'exponential']);
const MAX_RETRIES = 100;

interface RawPolicy {
  http?: { defaultHealthyRetryPolicy?: Partial<HttpRetry>; disableSubscriptionOverrides?: boolean; defaultRequestPolicy?: { headerContentType?: string } };
  healthyRetryPolicy?: Partial<HttpRetry>;
  requestPolicy?: { headerContentType?: string };
}

function retryOf(raw: Partial<HttpRetry> | undefined, member: string): HttpRetry {
  const retry = { ...DEFAULT_HTTP_RETRY, ...(raw ?? {}) };
  const bad = (reason: string) => invalidParameter(`${member}: ${reason}`);
  for (const key of ['minDelayTarget', 'maxDelayTarget', 'numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries'] as const) {
    if (!Number.isInteger(retry[key]) || retry[key] < 0) throw bad(`${key} must be a non-negative integer`);
  }
  if (retry.minDelayTarget > retry.maxDelayTarget) throw bad('minDelayTarget must be less than or equal to maxDelayTarget');
  if (retry.numRetries > MAX_RETRIES) throw bad(`numRetries must be at most ${MAX_RETRIES}`);
  if (retry.numNoDelayRetries + retry.numMinDelayRetries + retry.numMaxDelayRetries > retry.numRetries) {
    throw bad('numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries');
  }
  if (!BACKOFF.has(retry.backoffFunction)) throw bad(`backoffFunction must be one of linear, arithmetic, geometric, exponential`);
  return retry;
}

function parse(text: string | undefined, member: string): RawPolicy {
  if (!text) return {};
  try {
    const doc = JSON.parse(text) as unknown;
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as RawPolicy;
  } catch {
    // Reported below as AWS does.
  }
  throw invalidParameter(`${member}: failed to parse JSON`);
}

/** A topic's DeliveryPolicy (`{"http": {"defaultHealthyRetryPolicy": ...}}`), checked, with the effective policy GetTopicAttributes shows. */
export function parseDeliveryPolicy(text: string | undefined, member: string) {
  const raw = parse(text, member);
  const retry = retryOf(raw.http?.defaultHealthyRetryPolicy, member);
  const contentType = raw.http?.defaultRequestPolicy?.headerContentType ?? DEFAULT_CONTENT_TYPE;
  const overridable = raw.http?.disableSubscriptionOverrides !== true;
  return {
    retry,
    contentType,
    overridable,
    effective: { http: { defaultHealthyRetryPolicy: retry, disableSubscriptionOverrides: !overridable, defaultRequestPolicy: { headerContentType: contentType } } },
  };
}

/** A subscription's DeliveryPolicy (`{"healthyRetryPolicy": ...}`), checked. */
export function parseSubscriptionDeliveryPolicy(text: string | undefined) {
  const raw = parse(text, 'DeliveryPolicy');
  return {
    retry: raw.healthyRetryPolicy ? retryOf(raw.healthyRetryPolicy, 'DeliveryPolicy') : undefined,
    contentType: raw.requestPolicy?.headerContentType,
  };
}

/** What an HTTP/S subscription's deliveries follow: the subscription's policy unless the topic forbids overrides. */
export function effectiveHttpPolicy(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): { retry: HttpRetry; contentType: string } {
  const topic = parseDeliveryPolicy(topicPolicy, 'DeliveryPolicy');
  const sub = topic.overridable ? parseSubscriptionDeliveryPolicy(subscriptionPolicy) : { retry: undefined, contentType: undefined };
  return { retry: sub.retry ?? topic.retry, contentType: sub.contentType ?? topic.contentType };
}
