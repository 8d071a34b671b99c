import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { credentials, testServer } from '../helpers/server.js';

export function sqsClient(server: RunningServer, region = 'us-east-1'): SQSClient {
  return new SQSClient({ endpoint: server.endpoint, region, credentials });
}

/** One server for a test file, an SDK client on it, and a way to make a queue by name and attributes. */
export function sqsSuite(): { readonly server: RunningServer; readonly sqs: SQSClient; queue: (name: string, attributes?: Record<string, string>) => Promise<string> } {
  let server: RunningServer;
  let sqs: SQSClient;
  beforeAll(async () => {
    server = await testServer();
    sqs = sqsClient(server);
  });
  afterAll(() => server.stop());
  return {
    get server() {
      return server;
    },
    get sqs() {
      return sqs;
    },
    queue: async (name, Attributes = {}) => (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!,
  };
}
