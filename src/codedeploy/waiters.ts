type Outcome = 'woken' | 'timeout' | 'aborted';

interface Waiter {
  hostId: string;
  requestId: string;
  done: (outcome: Outcome) => void;
}

/**
 * Agents' long polls waiting for work. The state machine wakes a host's polls when it makes a
 * command ready, so a command goes out as soon as it exists; a poll whose connection closed is
 * dropped so it can never take a command nobody will receive. Only connections live here: the
 * commands themselves are in the database.
 */
export class HostWaiters {
  private readonly byHost = new Map<string, Set<Waiter>>();
  private readonly byRequest = new Map<string, Waiter>();
  private closed = false;

  wait(hostId: string, requestId: string, ms: number): Promise<Outcome> {
    if (this.closed) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish('timeout'), ms);
      const waiter: Waiter = { hostId, requestId, done: (outcome) => finish(outcome) };
      const finish = (outcome: Outcome) => {
        clearTimeout(timer);
        this.byHost.get(hostId)?.delete(waiter);
        if (this.byHost.get(hostId)?.size === 0) this.byHost.delete(hostId);
        if (this.byRequest.get(requestId) === waiter) this.byRequest.delete(requestId);
        resolve(outcome);
      };
      let set = this.byHost.get(hostId);
      if (!set) this.byHost.set(hostId, (set = new Set()));
      set.add(waiter);
      this.byRequest.set(requestId, waiter);
    });
  }

  wake(hostId: string): void {
    for (const waiter of [...(this.byHost.get(hostId) ?? [])]) waiter.done('woken');
  }

  /** The connection of a request went away. */
  abort(requestId: string): void {
    this.byRequest.get(requestId)?.done('aborted');
  }

  /** The server is stopping: every poll answers now, empty. */
  releaseAll(): void {
    this.closed = true;
    for (const waiter of [...this.byRequest.values()]) waiter.done('aborted');
  }
}
