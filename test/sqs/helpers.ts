import { SQSClient } from '@aws-sdk/client-sqs';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export function sqsClient(server: RunningServer, region = 'us-east-1'): SQSClient {
  return new SQSClient({ endpoint: server.endpoint, region, credentials });
}
