import { isAwsError } from '../core/errors.js';
import { RetryJobAt } from '../core/scheduler.js';
import { functionArn, functionRef } from './arns.js';
import type { LambdaParts } from './context.js';
import type { InvokeResult } from './invoker.js';
import { routeInvocation } from './routing.js';
import type { EventInvokeConfig, FunctionRecord, StoredConfig } from './store.js';

const ASYNC_JOB = 'lambda.async-invoke';
/** AWS retries a failed event about one minute, then two minutes later. */
const RETRY_DELAYS_MS = [60_000, 120_000];
const THROTTLE_RETRY_MS = 1_000;

interface Row {
  request_id: string;
  function_arn: string;
  payload: Buffer;
  created_at: number;
  attempts: number;
}

type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/**
 * Lambda's internal queue of `Event` invocations: each event is written before Invoke answers 202,
 * run by the scheduler with the same request id for every attempt, retried after a function error
 * within the event invoke config's MaximumRetryAttempts and MaximumEventAgeInSeconds (2 and 6 hours
 * by default), and its record sent to the on-success or on-failure destination.
 */
export class AsyncInvocations {
  constructor(private readonly p: LambdaParts) {
    p.deps.scheduler.register<{ requestId: string }>(ASYNC_JOB, (job) => this.run(job.payload.requestId));
  }

  enqueue(event: { requestId: string; functionArn: string; payload: Buffer }): void {
    const { db, clock, scheduler } = this.p.deps;
    db.transaction(() => {
      db.prepare('INSERT OR IGNORE INTO lambda_async_invocations (request_id, function_arn, payload, source, created_at) VALUES (?, ?, ?, ?, ?)').run(
        event.requestId,
        event.functionArn,
        event.payload,
        '{}',
        clock.now().getTime(),
      );
      scheduler.enqueue({ kind: ASYNC_JOB, key: `${ASYNC_JOB}:${event.requestId}`, payload: { requestId: event.requestId }, maxAttempts: 1_000_000 });
    })();
  }

  /** Events waiting or being retried, for tests and the health page. */
  pending(): number {
    return (this.p.deps.db.prepare('SELECT COUNT(*) AS n FROM lambda_async_invocations').get() as { n: number }).n;
  }

  private async run(requestId: string): Promise<void> {
    const { db, clock } = this.p.deps;
    const row = db.prepare('SELECT * FROM lambda_async_invocations WHERE request_id = ?').get(requestId) as Row | undefined;
    if (!row) return;
    const ref = functionRef({ accountId: '', region: '' }, row.function_arn);
    const fn = this.p.store.find(ref.accountId, ref.region, ref.name);
    const done = () => db.prepare('DELETE FROM lambda_async_invocations WHERE request_id = ?').run(requestId);
    if (!fn) {
      done();
      return;
    }
    const settings = this.p.store.eventInvokeConfig(fn.id, ref.qualifier ?? '$LATEST');
    const maxRetries = settings?.MaximumRetryAttempts ?? 2;
    const maxAgeMs = (settings?.MaximumEventAgeInSeconds ?? 21_600) * 1000;
    const now = clock.now().getTime();
    if (now - row.created_at > maxAgeMs) {
      await this.destination(fn, settings, row, 'EventAgeExceeded', undefined, undefined);
      done();
      return;
    }
    let config: StoredConfig;
    let result: InvokeResult;
    try {
      config = routeInvocation(this.p.functions, this.p.store, fn, ref.qualifier);
      result = await this.p.invoker.invoke({ fn, config, invokedArn: row.function_arn }, row.payload, { requestId });
    } catch (err) {
      // Throttles and a function not ready yet go back on the queue, without counting as an attempt.
      if (isAwsError(err)) throw new RetryJobAt(`${err.code}: ${err.message}`, clock.now().getTime() + THROTTLE_RETRY_MS);
      throw err;
    }
    const attempts = row.attempts + 1;
    db.prepare('UPDATE lambda_async_invocations SET attempts = ? WHERE request_id = ?').run(attempts, requestId);
    if (!result.errorType) {
      await this.destination(fn, settings, { ...row, attempts }, 'Success', config, result);
      done();
      return;
    }
    const delay = RETRY_DELAYS_MS[Math.min(attempts - 1, RETRY_DELAYS_MS.length - 1)];
    if (attempts <= maxRetries && clock.now().getTime() + delay - row.created_at <= maxAgeMs) {
      throw new RetryJobAt(`Attempt ${attempts} failed with ${result.errorType}`, clock.now().getTime() + delay);
    }
    await this.destination(fn, settings, { ...row, attempts }, attempts <= maxRetries ? 'EventAgeExceeded' : 'RetriesExhausted', config, result);
    done();
  }

  /** The invocation record AWS sends to a destination, sent as the function's execution role. */
  private async destination(fn: FunctionRecord, settings: EventInvokeConfig | undefined, row: Row, condition: Condition, config: StoredConfig | undefined, result: InvokeResult | undefined): Promise<void> {
    const target = condition === 'Success' ? settings?.DestinationConfig?.OnSuccess?.Destination : (settings?.DestinationConfig?.OnFailure?.Destination ?? fn.latest.DeadLetterConfig?.TargetArn);
    if (!target) return;
    const isDeadLetter = condition !== 'Success' && !settings?.DestinationConfig?.OnFailure?.Destination;
    const requestPayload = parse(row.payload);
    const record = {
      version: '1.0',
      timestamp: this.p.deps.clock.now().toISOString(),
      requestContext: { requestId: row.request_id, functionArn: /:function:[^:]+:/.test(row.function_arn) ? row.function_arn : `${row.function_arn}:$LATEST`, condition, approximateInvokeCount: row.attempts },
      requestPayload,
      responseContext: { statusCode: 200, executedVersion: config?.Version ?? '$LATEST', ...(result?.errorType ? { functionError: 'Unhandled' } : {}) },
      responsePayload: result ? parse(result.payload) : undefined,
    };
    const role = this.p.roles.credentials(fn.latest.Role!, fn.name, 900, functionArn(fn)).principal;
    const message = isDeadLetter ? row.payload.toString('utf8') : JSON.stringify(record);
    const bus = /^arn:aws[a-zA-Z-]*:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(target);
    if (bus && !isDeadLetter) {
      await this.p.deps.internal
        .call(
          'events',
          'PutEvents',
          {
            Entries: [
              {
                Source: 'lambda',
                DetailType: `Lambda Function Invocation Result - ${condition === 'Success' ? 'Success' : 'Failure'}`,
                Detail: message,
                Resources: [target, row.function_arn],
                EventBusName: target,
              },
            ],
          },
          { caller: role, region: bus[1] },
        )
        .catch((err: unknown) => this.p.deps.logger.warn({ err, target }, 'could not send the invocation record to its destination'));
      return;
    }
    this.p.deps.delivery.enqueue(
      'lambda',
      { targetArn: target, message, sourceService: 'lambda.amazonaws.com', sourceArn: functionArn(fn), sourceAccount: fn.accountId, role },
      { maximumRetryAttempts: 3, maximumEventAgeSeconds: 21_600 },
    );
  }
}

function parse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return bytes.toString('utf8');
  }
}
