import type { FastifyInstance } from 'fastify';
import type { DeliveryRegistry } from './delivery.js';

/**
 * `GET /_codesuite/deliveries`: every persisted delivery (SNS subscriptions, repository and
 * deployment triggers, notification rules, destinations), newest first, with how it went, so a lab
 * can see where a message went. Query: `limit` (default 50, at most 1000), `source` and `target` ARNs.
 */
export function mountDeliveryRoute(app: FastifyInstance, registry: DeliveryRegistry): void {
  app.get('/_codesuite/deliveries', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const limit = Math.min(Math.max(Number.parseInt(query.limit ?? '50', 10) || 50, 1), 1000);
    reply.header('content-type', 'application/json; charset=utf-8');
    return {
      deliveries: registry.records({ sourceArn: query.source, targetArn: query.target, limit }).map((r) => ({
        ...r,
        createdAt: new Date(r.createdAt).toISOString(),
        updatedAt: new Date(r.updatedAt).toISOString(),
      })),
    };
  });
}
