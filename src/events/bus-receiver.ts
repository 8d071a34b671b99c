import type { ServiceDeps } from '../core/deps.js';
import { delivered, giveUp, type Delivery } from '../core/delivery.js';
import type { BusEvent } from '../core/events.js';
import { parseBusArn } from './arns.js';
import type { Bridge } from './bridge.js';
import { busNotFound } from './errors.js';

/**
 * Bus ARNs as delivery targets (a rule forwarding to another bus): the event becomes an event of
 * its own on that bus, matched against that bus's rules. A bus that does not exist yet is an AWS
 * error the registry retries.
 */
export function registerBusReceiver(deps: ServiceDeps, bridge: Bridge): void {
  deps.delivery.register({
    service: 'events',
    accepts: (arn) => parseBusArn(arn) !== undefined,
    receive: async (delivery: Delivery) => {
      const bus = parseBusArn(delivery.targetArn)!;
      const row = bridge.findBus({ accountId: bus.accountId, region: bus.region }, bus.name);
      if (!row) throw busNotFound(bus.name);
      let event: BusEvent;
      try {
        event = JSON.parse(delivery.message) as BusEvent;
      } catch {
        return giveUp(`Not delivered: what reaches event bus ${bus.name} must be an event, and this message is not JSON.`);
      }
      if (!event || typeof event !== 'object' || Array.isArray(event)) return giveUp(`Not delivered: what reaches event bus ${bus.name} must be an event object.`);
      const matched = bridge.ingest(row, { ...event, id: deps.ids.uuid() }, 'event-bus');
      return delivered(`Put on event bus ${bus.name}; it matched ${matched.length} rule(s).`);
    },
  });
}
