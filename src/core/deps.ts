import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock, IdGenerator } from './clock.js';
import type { DeliveryRegistry } from './delivery.js';
import type { EventBus } from './events.js';
import type { InternalClient } from './internal-client.js';
import type { MetricSink } from './metric-sink.js';
import type { Scheduler } from './scheduler.js';
import type { Db } from './store/db.js';

/** What the core hands every service when it builds it. */
export interface ServiceDeps {
  config: Config;
  db: Db;
  /** Directory for the service's large files (bare repositories, objects, logs). */
  filesDir: string;
  events: EventBus;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** The server's one persisted job scheduler: services register job kinds; the server starts and stops it. */
  scheduler: Scheduler;
  /** Calls another service's operation as a given principal, through the same validation and IAM as a request. */
  internal: InternalClient;
  /** Where services register the ARNs they receive, and senders deliver to a target ARN. */
  delivery: DeliveryRegistry;
  /** Where a service publishes metrics about its own work (CloudWatch writes them). */
  metrics: MetricSink;
}
