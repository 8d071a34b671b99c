import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Scheduler } from '../../src/core/scheduler.js';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export function eventsClient(server: RunningServer, region = 'us-east-1'): EventBridgeClient {
  return new EventBridgeClient({ endpoint: server.endpoint, region, credentials });
}

/** The server's job scheduler: `tick()` runs what is due by the (injected) clock. */
export function schedulerOf(server: RunningServer): Scheduler {
  return server.scheduler;
}

export interface ListedAttempt {
  ruleArn: string;
  targetId: string;
  targetArn: string;
  attempt: number;
  outcome: 'SUCCEEDED' | 'RETRYING' | 'FAILED';
  detail: string;
}

export interface ListedEvent {
  id: string;
  eventBusName: string;
  origin: string;
  source: string;
  detailType: string;
  matchedRules: string[];
  note?: string;
  pendingDeliveries: number;
  attempts: ListedAttempt[];
  event: Record<string, unknown> & { detail: Record<string, unknown> };
}

/** What `GET /_codesuite/events` lists. */
export async function listing(server: RunningServer, query = ''): Promise<ListedEvent[]> {
  const response = await fetch(`${server.endpoint}/_codesuite/events${query}`);
  if (!response.ok) throw new Error(`listing failed: ${response.status}`);
  return ((await response.json()) as { events: ListedEvent[] }).events;
}
