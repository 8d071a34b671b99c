import type { ServiceDeps } from '../core/deps.js';
import { AwsError } from '../core/errors.js';
import { loadModel } from '../core/models/model.js';
import { violationMessage } from '../core/models/validate.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { eventOperations } from './event-operations.js';
import { groupOperations } from './group-operations.js';
import { Logs } from './logs.js';
import { migrations } from './migrations.js';
import { registerLogGroupReceiver } from './receiver.js';
import { streamOperations } from './stream-operations.js';
import { tagOperations } from './tag-operations.js';

const RETENTION_JOB = 'logs.retention';
const RETENTION_EVERY_MS = 60 * 60_000;

/** CloudWatch Logs over AWS JSON 1.1: groups, streams, events, retention and tags. */
export function createLogs(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'logs', migrations);
  const logs = new Logs(deps);
  registerLogGroupReceiver(deps);
  const { scheduler } = deps;
  // Events past a group's retention are deleted by an hourly job, as AWS deletes them some time after they expire.
  scheduler.register(RETENTION_JOB, () => {
    const removed = logs.store.purgeExpired(logs.now());
    if (removed > 0) deps.logger.info({ removed }, 'expired log events deleted');
    scheduler.enqueue({ kind: RETENTION_JOB, key: RETENTION_JOB, payload: {}, runAt: logs.now() + RETENTION_EVERY_MS });
  });
  scheduler.enqueue({ kind: RETENTION_JOB, key: RETENTION_JOB, payload: {}, runAt: logs.now() + RETENTION_EVERY_MS, ifAbsent: true });
  return {
    name: 'logs',
    model: loadModel('logs'),
    operations: { ...groupOperations(logs), ...streamOperations(logs), ...eventOperations(logs), ...tagOperations(logs) },
    // CloudWatch Logs reports constraint failures as InvalidParameterException, with the usual text.
    validationError: (_operation, violations) => new AwsError('InvalidParameterException', violationMessage(violations)),
  };
}
