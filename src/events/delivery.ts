import type { CreateConnectionAuthRequestParameters, Target } from '@aws-sdk/client-eventbridge';
import { roleSessionCaller } from '../core/context.js';
import type { Delivery } from '../core/delivery.js';
import type { BusEvent } from '../core/events.js';
import { backoffMs, PermanentJobFailure, RetryJobAt, type Job } from '../core/scheduler.js';
import { DELIVER_JOB, SCHEDULE_JOB, type Bridge, type DeliveryPayload, type SchedulePayload } from './bridge.js';
import { fetchOAuthToken, type ConnectionsStore } from './connections.js';
import { HttpFailure, sendLoopback } from './http-target.js';
import { targetInput } from './input-transform.js';
import { parseSchedule } from './schedule.js';

/** How one attempt went: delivered, or failed and worth trying again, or failed for good. */
interface Outcome {
  ok: boolean;
  retryable: boolean;
  detail: string;
}

const delivered = (detail: string): Outcome => ({ ok: true, retryable: false, detail });
const retry = (detail: string): Outcome => ({ ok: false, retryable: true, detail });
const giveUp = (detail: string): Outcome => ({ ok: false, retryable: false, detail });

const DEFAULT_MAX_RETRIES = 185;
const DEFAULT_MAX_AGE_SECONDS = 86_400;
/** AWS retries an HTTP target on these statuses and on no answer at all; other failures are final. */
const RETRIED_STATUSES = new Set([401, 407, 409, 429]);

const API_DESTINATION_ARN = /^arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:api-destination\//;

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Delivers events to targets, at least once: every attempt is recorded (the listing shows them),
 * failures are retried with exponential back-off within the target's RetryPolicy
 * (185 retries and 24 hours by default), and a restart resumes what was queued.
 */
export function registerDelivery(bridge: Bridge, connections: ConnectionsStore): void {
  const { store, scheduler } = bridge;

  scheduler.register<DeliveryPayload>(DELIVER_JOB, async (job) => {
    const { eventId, ruleArn, target } = job.payload;
    const row = store.event(eventId);
    const record = (outcome: string, detail: string) =>
      store.recordAttempt({ event_id: eventId, rule_arn: ruleArn, target_id: target.Id!, target_arn: target.Arn!, attempt: job.attempts, at: bridge.now(), outcome, detail });
    if (!row) {
      record('FAILED', 'The event is no longer stored; nothing to deliver.');
      throw new PermanentJobFailure('event gone');
    }
    const event = JSON.parse(row.envelope) as BusEvent;
    let outcome: Outcome;
    try {
      const input = targetInput(target, event as unknown as Record<string, unknown>, {
        ruleArn,
        ruleName: job.payload.ruleName,
        ingestionTime: isoSeconds(row.received_at),
      });
      outcome = await invoke(bridge, connections, target, input, event, ruleArn);
    } catch (err) {
      outcome = retry(`Unexpected error: ${(err as Error).message}`);
    }
    if (outcome.ok) {
      record('SUCCEEDED', outcome.detail);
      return;
    }
    const final = finalReason(job, target, outcome, bridge.now());
    if (final) {
      const reason = final.reason + sendToDeadLetterQueue(bridge, job, event, outcome, final.exhausted);
      record('FAILED', reason);
      throw new PermanentJobFailure(reason);
    }
    const next = bridge.now() + backoffMs(job.attempts);
    record('RETRYING', `${outcome.detail} Next attempt at ${new Date(next).toISOString()}.`);
    throw new RetryJobAt(outcome.detail, next);
  });

  scheduler.register<SchedulePayload>(SCHEDULE_JOB, (job) => {
    const { ruleArn, expression, anchor } = job.payload;
    const rule = store.ruleByArn(ruleArn);
    // The rule changed or went since this firing was planned; its new schedule has its own job.
    if (!rule || rule.schedule_expression !== expression || rule.state === 'DISABLED') return;
    const bus = store.busById(rule.bus_id)!;
    const now = bridge.now();
    const event: BusEvent = {
      version: '0',
      id: bridge.deps.ids.uuid(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: bus.account_id,
      time: isoSeconds(job.runAt),
      region: bus.region,
      resources: [rule.arn],
      detail: {},
    };
    bridge.deps.db.transaction(() => {
      store.recordEvent({
        id: event.id,
        account_id: bus.account_id,
        region: bus.region,
        bus_name: bus.name,
        origin: 'schedule',
        envelope: JSON.stringify(event),
        matched_rules: JSON.stringify([rule.arn]),
        note: null,
        received_at: now,
      });
      bridge.queueDeliveries(rule, event.id, now);
      const next = parseSchedule(expression)?.next(now, anchor);
      if (next !== undefined) scheduler.enqueue({ kind: SCHEDULE_JOB, key: `${SCHEDULE_JOB}:${rule.arn}`, payload: job.payload, runAt: next });
    })();
  });
}

/** Why a failed delivery is over, and which RetryPolicy limit ended it, or undefined when it gets another attempt. */
function finalReason(job: Job<DeliveryPayload>, target: Target, outcome: Outcome, now: number): { reason: string; exhausted: string } | undefined {
  if (!outcome.retryable) return { reason: outcome.detail, exhausted: '' };
  const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRIES;
  const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
  if (job.attempts - 1 >= maxRetries) {
    return { reason: `${outcome.detail} Gave up after ${job.attempts} attempts (MaximumRetryAttempts ${maxRetries}).`, exhausted: 'MaximumRetryAttempts' };
  }
  if (now + backoffMs(job.attempts) - job.payload.receivedAt > maxAgeMs) {
    return { reason: `${outcome.detail} Gave up: the event is older than MaximumEventAgeInSeconds ${maxAgeMs / 1000}.`, exhausted: 'MaximumEventAgeInSeconds' };
  }
  return undefined;
}

/**
 * An event that was not delivered goes to the target's dead-letter queue, through the registry like
 * any delivery (the queue's policy must allow events.amazonaws.com), with the message attributes
 * AWS adds to say why. Returns what the attempt record says about it.
 */
function sendToDeadLetterQueue(bridge: Bridge, job: Job<DeliveryPayload>, event: BusEvent, outcome: Outcome, exhausted: string): string {
  const { target, ruleArn } = job.payload;
  const dlq = target.DeadLetterConfig?.Arn;
  if (!dlq) return '';
  const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
  const id = bridge.deps.delivery.enqueue(
    'events',
    {
      targetArn: dlq,
      message: JSON.stringify(event),
      sourceService: 'events.amazonaws.com',
      sourceArn: ruleArn,
      sourceAccount: event.account,
      attributes: {
        MessageAttributes: {
          RULE_ARN: attribute(ruleArn),
          TARGET_ARN: attribute(target.Arn!),
          ERROR_CODE: attribute(errorCode(outcome.detail)),
          ERROR_MESSAGE: attribute(outcome.detail),
          ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: attribute(exhausted) } : {}),
          RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(job.attempts - 1) },
        },
      },
    },
    { maximumRetryAttempts: DEFAULT_MAX_RETRIES, maximumEventAgeSeconds: DEFAULT_MAX_AGE_SECONDS },
  );
  return ` Sent to the dead-letter queue ${dlq} (delivery ${id} at /_codesuite/deliveries).`;
}

/** The class of failure a dead-lettered event's ERROR_CODE attribute names, from the receiver's error. */
function errorCode(detail: string): string {
  if (/AccessDenied|AuthorizationError|not authorized/i.test(detail)) return 'NO_PERMISSIONS';
  if (/NotFound|does not exist|NonExistent/i.test(detail)) return 'RESOURCE_NOT_FOUND';
  return 'SDK_CLIENT_ERROR';
}

async function invoke(bridge: Bridge, connections: ConnectionsStore, target: Target, input: string, event: BusEvent, ruleArn: string): Promise<Outcome> {
  const arn = target.Arn!;
  if (API_DESTINATION_ARN.test(arn)) return invokeApiDestination(bridge, connections, target, input);
  // Every other kind of target (log groups, buses, projects, functions, topics, queues) is received
  // by the service that owns it, which decides as itself, weighing its resource policy for
  // events.amazonaws.com and this rule.
  if (bridge.deps.delivery.receiverFor(arn)) return bridge.deps.delivery.attempt(deliveryOf(target, input, event, ruleArn));
  const service = arn.split(':')[2] ?? '';
  return giveUp(`Not delivered: codesuite cannot invoke ${service || 'this kind of'} targets (${arn}); that service is not part of codesuite.`);
}

/** What EventBridge hands a receiver: the (transformed) input, as the rule, in the target's role; a log group names its stream after the event. */
function deliveryOf(target: Target, input: string, event: BusEvent, ruleArn: string): Delivery {
  const at = Date.parse(event.time);
  return {
    targetArn: target.Arn!,
    message: input,
    sourceService: 'events.amazonaws.com',
    sourceArn: ruleArn,
    sourceAccount: event.account,
    ...(target.RoleArn ? { role: roleSessionCaller(target.RoleArn, event.account, 'events-target') } : {}),
    attributes: { logStreamName: event.id, ...(Number.isNaN(at) ? {} : { timestamp: at }) },
  };
}

async function invokeApiDestination(bridge: Bridge, connections: ConnectionsStore, target: Target, input: string): Promise<Outcome> {
  const destination = connections.destinationByArn(target.Arn!);
  if (!destination) return retry(`ResourceNotFoundException: API destination ${target.Arn} does not exist.`);
  const connection = connections.byArn(destination.connection_arn);
  if (!connection) return retry(`ResourceNotFoundException: connection ${destination.connection_arn} does not exist.`);
  if (connection.state !== 'AUTHORIZED') return retry(`Connection ${connection.name} is ${connection.state}${connection.state_reason ? `: ${connection.state_reason}` : ''}.`);
  const auth = JSON.parse(connection.auth_parameters) as CreateConnectionAuthRequestParameters;

  let endpoint = destination.endpoint;
  for (const value of target.HttpParameters?.PathParameterValues ?? []) endpoint = endpoint.replace('*', encodeURIComponent(value));
  const url = new URL(endpoint);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Amazon/EventBridge/ApiDestinations',
  };
  const invocation = auth.InvocationHttpParameters;
  for (const q of invocation?.QueryStringParameters ?? []) url.searchParams.append(q.Key!, q.Value ?? '');
  for (const [k, v] of Object.entries(target.HttpParameters?.QueryStringParameters ?? {})) url.searchParams.append(k, v);
  for (const [k, v] of Object.entries(target.HttpParameters?.HeaderParameters ?? {})) headers[k.toLowerCase()] = v;
  for (const h of invocation?.HeaderParameters ?? []) headers[h.Key!.toLowerCase()] = h.Value ?? '';

  if (connection.authorization_type === 'BASIC') {
    const basic = auth.BasicAuthParameters!;
    headers.authorization = `Basic ${Buffer.from(`${basic.Username}:${basic.Password}`).toString('base64')}`;
  } else if (connection.authorization_type === 'API_KEY') {
    headers[auth.ApiKeyAuthParameters!.ApiKeyName!.toLowerCase()] = auth.ApiKeyAuthParameters!.ApiKeyValue!;
  } else {
    let token = connection.oauth_token;
    if (!token || (connection.oauth_expires_at !== null && connection.oauth_expires_at <= bridge.now())) {
      try {
        const fresh = await fetchOAuthToken(auth);
        token = fresh.token;
        connection.oauth_token = token;
        connection.oauth_expires_at = fresh.expiresIn ? bridge.now() + fresh.expiresIn * 1000 : null;
        connection.authorized_at = bridge.now();
        connections.update(connection);
      } catch (err) {
        return retry(`Could not get an OAuth token for connection ${connection.name}: ${(err as Error).message}.`);
      }
    }
    headers.authorization = `Bearer ${token}`;
  }

  let body: string | undefined;
  if (destination.http_method !== 'GET' && destination.http_method !== 'HEAD') {
    body = input;
    const extra = invocation?.BodyParameters ?? [];
    if (extra.length > 0) {
      try {
        const parsed = JSON.parse(input) as unknown;
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          body = JSON.stringify({ ...(parsed as object), ...Object.fromEntries(extra.map((b) => [b.Key!, b.Value ?? ''])) });
        }
      } catch {
        // A body that is not a JSON object goes as it is.
      }
    }
  }

  const shown = `${destination.http_method} ${url.toString()}`;
  try {
    const result = await sendLoopback(destination.http_method, url, headers, body);
    const snippet = result.body.length > 200 ? `${result.body.slice(0, 200)}...` : result.body;
    const detail = `${shown} answered HTTP ${result.status}${snippet ? `: ${snippet}` : ''}`;
    if (result.status >= 200 && result.status < 300) return delivered(detail);
    if (result.status === 401 && connection.authorization_type === 'OAUTH_CLIENT_CREDENTIALS') {
      // The token was refused: get a new one on the next attempt.
      connection.oauth_token = null;
      connections.update(connection);
    }
    return RETRIED_STATUSES.has(result.status) || result.status >= 500 ? retry(detail) : giveUp(detail);
  } catch (err) {
    if (err instanceof HttpFailure) return retry(`${shown} failed: ${err.message}.`);
    throw err;
  }
}
