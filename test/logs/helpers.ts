import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../src/core/clock.js';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export function logsClient(server: RunningServer, region = 'us-east-1'): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint: server.endpoint, region, credentials });
}

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(public ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
