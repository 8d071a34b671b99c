import { SNSClient } from '@aws-sdk/client-sns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { verify } from 'node:crypto';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export const sns = (server: RunningServer, region = 'us-east-1') => new SNSClient({ endpoint: server.endpoint, region, credentials });

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP endpoint that keeps what SNS posts to it and answers `status` (200 unless set). */
export class Subscriber {
  readonly received: Received[] = [];
  status = 200;
  private server!: Server;
  url = '';

  async start(path = '/sns'): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = this.status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}${path}`;
    return this;
  }

  /** The messages of one type, as JSON, waiting until `count` have arrived. */
  async messages(type: string, count = 1): Promise<Record<string, string>[]> {
    const of = () => this.received.filter((r) => r.headers['x-amz-sns-message-type'] === type);
    await until(() => of().length >= count);
    return of().map((r) => JSON.parse(r.body) as Record<string, string>);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Waits for a condition the server's scheduler brings about (deliveries run on its timer). */
export async function until(condition: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/**
 * Verifies an SNS message as AWS's documentation tells receivers to: build the string to sign
 * from the listed fields, fetch the certificate at SigningCertURL, check the RSA signature
 * (SHA1 for SignatureVersion 1, SHA256 for 2).
 */
export async function verifySignature(message: Record<string, string>): Promise<boolean> {
  const fields =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const text = fields.filter((f) => message[f] !== undefined).map((f) => `${f}\n${message[f]}\n`).join('');
  const pem = await (await fetch(message.SigningCertURL)).text();
  return verify(message.SignatureVersion === '2' ? 'sha256' : 'sha1', Buffer.from(text), pem, Buffer.from(message.Signature, 'base64'));
}

export async function outbox(server: RunningServer, endpoint: string): Promise<{ type: string; subject?: string; body: string }[]> {
  const res = await fetch(`${server.endpoint}/_codesuite/outbox?endpoint=${encodeURIComponent(endpoint)}`);
  return ((await res.json()) as { messages: { type: string; subject?: string; body: string }[] }).messages.reverse();
}
