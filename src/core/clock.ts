import { randomUUID } from 'node:crypto';

/** Time and identifiers are injected so tests can drive long-running state machines step by step. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  uuid(): string;
}

export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdGenerator = { uuid: () => randomUUID() };
