import type { ServiceDeps } from '../core/deps.js';
import { delivered, type Delivery } from '../core/delivery.js';
import { parseGroupArn } from './arns.js';
import { createLogWriter } from './internal.js';

/**
 * Log group ARNs as delivery targets (EventBridge rules): the message becomes one log event.
 * `attributes.logStreamName` names the stream (EventBridge uses the event id; a new id otherwise)
 * and `attributes.timestamp` (epoch ms) the event's time. A missing group is an AWS error the
 * registry retries, since the group may be created later.
 */
export function registerLogGroupReceiver(deps: ServiceDeps): void {
  const writer = createLogWriter(deps);
  deps.delivery.register({
    service: 'logs',
    accepts: (arn) => parseGroupArn(arn) !== undefined,
    receive: async (delivery: Delivery) => {
      const { accountId, region, name: logGroupName } = parseGroupArn(delivery.targetArn)!;
      const stream = delivery.attributes?.logStreamName;
      const at = delivery.attributes?.timestamp;
      const logStreamName = typeof stream === 'string' && stream ? stream : deps.ids.uuid();
      writer.append({ accountId, region, logGroupName, logStreamName }, [{ message: delivery.message, timestamp: typeof at === 'number' ? at : undefined }]);
      return delivered(`Written to log group ${logGroupName}, log stream ${logStreamName}.`);
    },
  });
}
