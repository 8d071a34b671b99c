import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export function cloudwatch(server: RunningServer, region = 'us-east-1'): CloudWatchClient {
  return new CloudWatchClient({ endpoint: server.endpoint, region, credentials });
}

export { manualClock } from '../ssm/helpers.js';
