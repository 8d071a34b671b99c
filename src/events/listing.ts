import type { FastifyInstance } from 'fastify';
import type { Bridge } from './bridge.js';

/**
 * `GET /_codesuite/events`: what reached EventBridge and what became of it, newest first, so a
 * lab can see what fired: each event with the rules it matched and every delivery attempt.
 * Query: `limit` (default 50, at most 500), `source`, `bus`, `rule` (name or ARN).
 */
export function mountListing(app: FastifyInstance, bridge: Bridge): void {
  app.get('/_codesuite/events', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const limit = Math.min(Math.max(Number.parseInt(query.limit ?? '50', 10) || 50, 1), 500);
    const rows = bridge.store.recentEvents(limit, { source: query.source, bus: query.bus, rule: query.rule });
    const pending = new Map<string, number>();
    for (const job of bridge.scheduler.pending('events.deliver')) {
      const id = (job.payload as { eventId: string }).eventId;
      pending.set(id, (pending.get(id) ?? 0) + 1);
    }
    reply.header('content-type', 'application/json; charset=utf-8');
    return {
      events: rows.map((row) => {
        const event = JSON.parse(row.envelope) as Record<string, unknown>;
        return {
          id: row.id,
          eventBusName: row.bus_name,
          account: row.account_id,
          region: row.region,
          origin: row.origin,
          receivedAt: new Date(row.received_at).toISOString(),
          source: event.source,
          detailType: event['detail-type'],
          matchedRules: JSON.parse(row.matched_rules) as string[],
          ...(row.note ? { note: row.note } : {}),
          pendingDeliveries: pending.get(row.id) ?? 0,
          attempts: bridge.store.attempts(row.id).map((a) => ({
            ruleArn: a.rule_arn,
            targetId: a.target_id,
            targetArn: a.target_arn,
            attempt: a.attempt,
            at: new Date(a.at).toISOString(),
            outcome: a.outcome,
            detail: a.detail,
          })),
          event,
        };
      }),
    };
  });
}
