import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { AlarmEngine } from './alarm-engine.js';
import { alarmOperations } from './alarm-operations.js';
import { publishBuildMetrics } from './codebuild-metrics.js';
import { getMetricDataOperations } from './get-metric-data.js';
import { metricOperations } from './metric-operations.js';
import { Metrics, RETENTION_MS } from './metrics.js';
import { migrations } from './migrations.js';
import { tagOperations } from './tag-operations.js';

const EVALUATE_JOB = 'cloudwatch.evaluate';
const MINUTE = 60_000;
const HISTORY_MS = 14 * 24 * 3600_000;

/**
 * CloudWatch metrics and alarms, over AWS JSON 1.0 (SDK v3, CLI v1) and Query (CLI v2): the model
 * lists both beside RPC v2 CBOR. Alarms are evaluated once a minute on the scheduler.
 */
export function createCloudWatch(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'cloudwatch', migrations);
  const metrics = new Metrics(deps);
  const engine = new AlarmEngine(deps, metrics);
  const { scheduler } = deps;
  const nextMinute = () => (Math.floor(metrics.now() / MINUTE) + 1) * MINUTE;
  scheduler.register(EVALUATE_JOB, () => {
    engine.evaluateAll();
    metrics.store.purge(metrics.now() - RETENTION_MS);
    engine.store.purgeHistory(metrics.now() - HISTORY_MS);
    scheduler.enqueue({ kind: EVALUATE_JOB, key: EVALUATE_JOB, payload: {}, runAt: nextMinute() });
  });
  scheduler.enqueue({ kind: EVALUATE_JOB, key: EVALUATE_JOB, payload: {}, runAt: nextMinute(), ifAbsent: true });
  deps.events.subscribe((event) => publishBuildMetrics(metrics, event));
  // Other services' own metrics (AWS/Lambda) arrive through the core's sink.
  deps.metrics.register((d) => metrics.record({ accountId: d.accountId, region: d.region }, d.namespace, d.name, d.dimensions, d.value, d.unit));
  return {
    name: 'cloudwatch',
    model: loadModel('cloudwatch'),
    operations: { ...metricOperations(metrics), ...getMetricDataOperations(metrics), ...alarmOperations(engine), ...tagOperations(engine.store) },
  };
}
