import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import type { SnsContext } from './context.js';
import { migrations } from './migrations.js';
import { publishOperations } from './publish-operations.js';
import { registerReceivers } from './receivers.js';
import { mountRoutes } from './routes.js';
import { signingKey } from './signing.js';
import { SnsStore } from './store.js';
import { subscriptionOperations } from './subscription-operations.js';
import { topicOperations } from './topic-operations.js';

/**
 * SNS over AWS Query: standard and FIFO topics, subscriptions (HTTP/S with the confirmation
 * handshake and signed messages, SQS and Lambda through the delivery registry, email, email-json and
 * SMS into a local outbox), filter policies, raw delivery, redrive to a dead-letter queue. Every
 * message to every subscription is a persisted delivery, retried on the scheduler.
 */
export function createSns(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'sns', migrations);
  const c: SnsContext = {
    deps,
    store: new SnsStore(deps.db),
    key: signingKey(deps.db),
    now: () => deps.clock.now().getTime(),
    endpoint: () => deps.internal.baseUrl() || `http://127.0.0.1:${deps.config.port}`,
  };
  registerReceivers(c);
  return {
    name: 'sns',
    model: loadModel('sns'),
    operations: { ...topicOperations(c), ...subscriptionOperations(c), ...publishOperations(c) },
    accessDeniedCode: 'AuthorizationError',
    routes: (app) => mountRoutes(app, c),
  };
}
