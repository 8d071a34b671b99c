import { SSMClient } from '@aws-sdk/client-ssm';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export function ssm(server: RunningServer, region = 'us-east-1'): SSMClient {
  return new SSMClient({ endpoint: server.endpoint, region, credentials });
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.parse('2026-03-01T12:00:00Z')) {
  let now = start;
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}
