import { EventEmitter } from 'node:events';

/** An event in EventBridge's envelope, published by services and consumed by rules and triggers. */
export interface BusEvent<D = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
}

type Listener = (event: BusEvent) => void;

/** In-process event bus. Listeners run after the publisher's work is done and never break it. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly onError: (err: unknown, event: BusEvent) => void;

  constructor(onError: (err: unknown, event: BusEvent) => void) {
    this.emitter.setMaxListeners(0);
    this.onError = onError;
  }

  publish(event: BusEvent): void {
    for (const listener of this.emitter.listeners('event') as Listener[]) {
      try {
        listener(event);
      } catch (err) {
        this.onError(err, event);
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
