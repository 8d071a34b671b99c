import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { Bridge, DELIVER_JOB } from './bridge.js';
import { registerBusReceiver } from './bus-receiver.js';
import { busOperations } from './bus-operations.js';
import { connectionOperations } from './connection-operations.js';
import { ConnectionsStore } from './connections.js';
import { registerDelivery } from './delivery.js';
import { mountListing } from './listing.js';
import { migrations } from './migrations.js';
import { ingestServiceEvent, putEventsOperations } from './put-events.js';
import { ruleOperations } from './rule-operations.js';
import { tagOperations } from './tag-operations.js';

const PRUNE_JOB = 'events.prune';
const PRUNE_EVERY_MS = 60 * 60_000;
/** How long the listing remembers an event once nothing is left to deliver for it. */
const KEEP_EVENTS_MS = 7 * 24 * 60 * 60_000;

/** EventBridge over AWS JSON 1.1: buses, rules, targets, delivery, schedules, connections and API destinations. */
export function createEvents(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'events', migrations);
  const { scheduler } = deps;
  const bridge = new Bridge(deps, scheduler);
  registerBusReceiver(deps, bridge);
  const connections = new ConnectionsStore(deps.db);
  registerDelivery(bridge, connections);
  scheduler.register(PRUNE_JOB, () => {
    const pending = new Set(scheduler.pending(DELIVER_JOB).map((j) => (j.payload as { eventId: string }).eventId));
    bridge.store.prune(bridge.now() - KEEP_EVENTS_MS, pending);
    scheduler.enqueue({ kind: PRUNE_JOB, key: PRUNE_JOB, payload: {}, runAt: bridge.now() + PRUNE_EVERY_MS });
  });
  scheduler.enqueue({ kind: PRUNE_JOB, key: PRUNE_JOB, payload: {}, runAt: bridge.now() + PRUNE_EVERY_MS, ifAbsent: true });
  const operations = {
    ...busOperations(bridge),
    ...ruleOperations(bridge),
    ...putEventsOperations(bridge),
    ...tagOperations(bridge),
    ...connectionOperations(bridge, connections),
  };
  // Repository pushes, builds and the rest reach the default bus of their account and region.
  const unsubscribe = deps.events.subscribe((event) => ingestServiceEvent(bridge, event));
  return {
    name: 'events',
    model: loadModel('events'),
    operations,
    routes: (app) => mountListing(app, bridge),
    close: () => unsubscribe(),
  };
}
