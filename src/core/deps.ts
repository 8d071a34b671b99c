import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock, IdGenerator } from './clock.js';
import type { EventBus } from './events.js';
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
}
