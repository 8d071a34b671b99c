import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { eventTypeOperations } from './event-type-operations.js';
import { migrations } from './migrations.js';
import { listen } from './notifier.js';
import { ruleOperations } from './rule-operations.js';
import { NotificationsStore } from './store.js';
import { tagOperations } from './tag-operations.js';
import { targetOperations } from './target-operations.js';

/** AWS CodeStar Notifications (REST-JSON, signing name `codestar-notifications`): notification rules on the developer tools' resources. */
export function createNotifications(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'notifications', migrations);
  const store = new NotificationsStore(deps.db);
  const now = () => deps.clock.now().getTime();
  const unsubscribe = listen(deps, store);
  return {
    name: 'codestar-notifications',
    model: loadModel('codestar-notifications'),
    operations: {
      ...ruleOperations(store, now),
      ...targetOperations(store),
      ...tagOperations(store, now),
      ...eventTypeOperations(),
    },
    close: unsubscribe,
  };
}
