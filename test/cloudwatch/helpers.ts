import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export function cloudwatch(server: RunningServer, region = 'us-east-1'): CloudWatchClient {
  return new CloudWatchClient({ endpoint: server.endpoint, region, credentials });
}

/** A clock the test moves by hand, starting on a minute boundary. */
export function manualClock(start = Date.parse('2026-03-01T12:00:00Z')) {
  let now = start;
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
    set: (ms: number) => {
      now = ms;
    },
  };
}
