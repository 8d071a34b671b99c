import { pino } from 'pino';
import { parseConfig } from '../../src/config.js';
import { randomIds, systemClock } from '../../src/core/clock.js';
import type { ServiceDeps } from '../../src/core/deps.js';
import { DeliveryRegistry } from '../../src/core/delivery.js';
import { EventBus } from '../../src/core/events.js';
import { InternalClient } from '../../src/core/internal-client.js';
import { MetricSink } from '../../src/core/metric-sink.js';
import { Scheduler } from '../../src/core/scheduler.js';
import type { Db } from '../../src/core/store/db.js';

/** What the server hands a service, for tests that build one service without a server. */
export function standaloneDeps(db: Db, filesDir: string): ServiceDeps {
  const logger = pino({ level: 'silent' });
  const scheduler = new Scheduler(db, systemClock, logger);
  return {
    config: parseConfig({}),
    db,
    filesDir,
    events: new EventBus(() => undefined),
    clock: systemClock,
    ids: randomIds,
    logger,
    scheduler,
    internal: new InternalClient(),
    delivery: new DeliveryRegistry(db, scheduler, systemClock, logger),
    metrics: new MetricSink(),
  };
}
