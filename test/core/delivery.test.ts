import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { delivered, DeliveryRegistry, giveUp, retryLater, type Delivery } from '../../src/core/delivery.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { openDatabase } from '../../src/core/store/db.js';

function setup() {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => new Date(now) };
  const db = openDatabase(undefined);
  const logger = pino({ level: 'silent' });
  const scheduler = new Scheduler(db, clock, logger);
  const registry = new DeliveryRegistry(db, scheduler, clock, logger);
  return { registry, scheduler, advance: (ms: number) => (now += ms) };
}

const message = (targetArn: string): Delivery => ({
  targetArn,
  message: '{"hello":1}',
  sourceService: 'sns.amazonaws.com',
  sourceArn: 'arn:aws:sns:us-east-1:000000000000:topic',
  sourceAccount: '000000000000',
});

describe('the delivery registry', () => {
  it('routes a target ARN to the service that registered it, and says so when none did', async () => {
    const { registry } = setup();
    const seen: string[] = [];
    registry.register({ service: 'sqs', accepts: (arn) => arn.startsWith('arn:aws:sqs:'), receive: async (d) => (seen.push(d.message), delivered('queued')) });
    expect(await registry.attempt(message('arn:aws:sqs:us-east-1:000000000000:q'))).toEqual(delivered('queued'));
    expect(seen).toEqual(['{"hello":1}']);
    const none = await registry.attempt(message('arn:aws:kinesis:us-east-1:000000000000:stream/s'));
    expect(none).toMatchObject({ ok: false, retryable: false });
    expect(none.detail).toContain('kinesis');
  });

  it('retries a persisted delivery with back-off until the receiver takes it, and records each step', async () => {
    const { registry, scheduler, advance } = setup();
    let calls = 0;
    registry.register({ service: 'sqs', accepts: () => true, receive: async () => (++calls < 3 ? retryLater('queue busy') : delivered('queued')) });
    const id = registry.enqueue('sns', message('arn:aws:sqs:us-east-1:000000000000:q'), { maximumRetryAttempts: 5, maximumEventAgeSeconds: 3600 });
    await scheduler.tick();
    expect(registry.record(id)).toMatchObject({ status: 'PENDING', attempts: 1 });
    advance(1000);
    await scheduler.tick();
    advance(2000);
    await scheduler.tick();
    expect(registry.record(id)).toMatchObject({ status: 'SUCCEEDED', attempts: 3, detail: 'queued' });
    expect(registry.records({ targetArn: 'arn:aws:sqs:us-east-1:000000000000:q' }).map((r) => r.id)).toEqual([id]);
  });

  it('stops at the retry limit, and at once on a failure not worth retrying', async () => {
    const { registry, scheduler, advance } = setup();
    registry.register({ service: 'lambda', accepts: (arn) => arn.includes(':lambda:'), receive: async () => retryLater('throttled') });
    registry.register({ service: 'sqs', accepts: (arn) => arn.includes(':sqs:'), receive: async () => giveUp('no such queue') });
    const retried = registry.enqueue('events', message('arn:aws:lambda:us-east-1:000000000000:function:f'), { maximumRetryAttempts: 1, maximumEventAgeSeconds: 3600 });
    const final = registry.enqueue('events', message('arn:aws:sqs:us-east-1:000000000000:q'), { maximumRetryAttempts: 5, maximumEventAgeSeconds: 3600 });
    for (let i = 0; i < 4; i++) (await scheduler.tick(), advance(5000));
    expect(registry.record(retried)).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(registry.record(final)).toMatchObject({ status: 'FAILED', attempts: 1, detail: 'no such queue' });
  });
});
