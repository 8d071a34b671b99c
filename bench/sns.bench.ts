/**
 * SNS figures (issue 15): publish to HTTP subscriber latency, and publish to SQS receive latency. A real server (in-memory) and a
 * loopback HTTP subscriber, confirmed by the SubscribeURL handshake; each figure is from sending
 * Publish to the notification arriving at the subscriber, so it holds the API call, the persisted
 * delivery, the scheduler's pick-up, signing and the POST. Sequential publishes, then a burst; then
 * publish → a long-polling ReceiveMessage on a subscribed queue answering.
 * Run with `npx tsx bench/sns.bench.ts`. Prints figures; asserts nothing.
 */
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createServer } from 'node:http';
import { startServer } from '../src/server.js';

const RUNS = 200;
const BURST = 200;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

const waiting = new Map<string, () => void>();
let confirmUrl: ((url: string) => void) | undefined;
const subscriber = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.end();
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Type: string; Message: string; SubscribeURL?: string };
    if (message.Type === 'SubscriptionConfirmation') confirmUrl?.(message.SubscribeURL!);
    else waiting.get(message.Message)?.();
  });
});
await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(subscriber.address() as { port: number }).port}/`;

const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent' });
const sns = new SNSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench' }));
const confirmed = new Promise<string>((resolve) => (confirmUrl = resolve));
await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
await fetch(await confirmed);

const arrival = (message: string) => new Promise<void>((resolve) => waiting.set(message, resolve));
const latencies: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const message = `m${i}`;
  const arrived = arrival(message);
  const t = performance.now();
  await sns.send(new PublishCommand({ TopicArn, Message: message }));
  await arrived;
  latencies.push(performance.now() - t);
}

const started = performance.now();
await Promise.all(
  Array.from({ length: BURST }, async (_, i) => {
    const arrived = arrival(`b${i}`);
    await sns.send(new PublishCommand({ TopicArn, Message: `b${i}` }));
    await arrived;
  }),
);
const burstMs = performance.now() - started;

const sqs = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench' }));
await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:bench', Attributes: { RawMessageDelivery: 'true' } }));
const toQueue: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const message = `q${i}`;
  const t = performance.now();
  const receiving = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  await sns.send(new PublishCommand({ TopicArn, Message: message }));
  const { Messages = [] } = await receiving;
  if (Messages[0]?.Body !== message) throw new Error(`expected ${message}, got ${Messages[0]?.Body}`);
  toQueue.push(performance.now() - t);
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle! }));
}

await server.stop();
subscriber.close();
console.log(`publish -> HTTP subscriber: median ${median(latencies).toFixed(1)} ms, p95 ${p95(latencies).toFixed(1)} ms over ${RUNS} sequential publishes`);
console.log(`publish -> SQS long-poll receive: median ${median(toQueue).toFixed(1)} ms, p95 ${p95(toQueue).toFixed(1)} ms over ${RUNS} publishes`);
console.log(`burst of ${BURST} concurrent publishes, all delivered in ${burstMs.toFixed(0)} ms (${((BURST / burstMs) * 1000).toFixed(0)} messages/s)`);
