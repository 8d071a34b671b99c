import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { escapeXml } from '../core/protocol/xml.js';
import { parseSubscriptionArn, parseTopicArn } from './arns.js';
import type { SnsContext } from './context.js';
import { confirmSubscription, unsubscribe } from './subscription-operations.js';

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

function xml(action: string, result: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

/**
 * What SNS serves besides its API: the signing certificate at the SigningCertURL its messages
 * name, the SubscribeURL and UnsubscribeURL links (plain GETs, unsigned, as a browser or an
 * HTTP endpoint follows them), and `GET /_codesuite/outbox`, the email, email-json and SMS
 * messages SNS "sent" (query: `endpoint`, `topic`, `limit`), newest first.
 */
export function mountRoutes(app: FastifyInstance, c: SnsContext): void {
  app.get(`/SimpleNotificationService-${c.key.id}.pem`, async (_request, reply) => {
    reply.header('content-type', 'application/x-x509-ca-cert').send(c.key.certificate);
  });

  app.get('/_codesuite/sns/', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    reply.header('content-type', 'text/xml');
    if (query.Action === 'ConfirmSubscription') {
      const topic = query.TopicArn && parseTopicArn(query.TopicArn) ? c.store.topic(query.TopicArn) : undefined;
      if (!topic) return reply.status(404).send(errorXml('NotFound', 'Topic does not exist'));
      const row = query.Token ? c.store.subscriptionByToken(topic.arn, query.Token) : undefined;
      if (!row) return reply.status(400).send(errorXml('InvalidParameter', 'Invalid parameter: Token'));
      const arn = confirmSubscription(c, topic, query.Token!);
      return reply.send(xml('ConfirmSubscription', `<SubscriptionArn>${escapeXml(arn)}</SubscriptionArn>`));
    }
    if (query.Action === 'Unsubscribe') {
      const row = query.SubscriptionArn && parseSubscriptionArn(query.SubscriptionArn) ? c.store.subscription(query.SubscriptionArn) : undefined;
      if (!row) return reply.status(404).send(errorXml('NotFound', 'Subscription does not exist'));
      unsubscribe(c, row);
      return reply.send(xml('Unsubscribe', ''));
    }
    return reply.status(400).send(errorXml('InvalidAction', `Could not find operation ${query.Action ?? ''} for version 2010-03-31`));
  });

  app.get('/_codesuite/outbox', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const limit = Math.min(Math.max(Number.parseInt(query.limit ?? '50', 10) || 50, 1), 1000);
    reply.header('content-type', 'application/json; charset=utf-8');
    return {
      messages: c.store.outbox({ endpoint: query.endpoint, topicArn: query.topic, limit }).map((m) => ({
        id: m.id,
        protocol: m.protocol,
        endpoint: m.endpoint,
        topicArn: m.topic_arn,
        subscriptionArn: m.subscription_arn,
        type: m.message_type,
        ...(m.subject !== null ? { subject: m.subject } : {}),
        body: m.body,
        sentAt: new Date(m.created_at).toISOString(),
      })),
    };
  });
}
