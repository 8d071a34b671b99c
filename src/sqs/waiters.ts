/**
 * Long polls waiting on a queue. A send (or a message moved in) wakes them at once; otherwise a
 * waiter sleeps until the next message becomes visible or its wait is over. Held in memory on
 * purpose: a waiting request is not state; a restart ends it as the connection ends.
 */
export class Waiters {
  private readonly waiting = new Map<number, Set<() => void>>();

  /** Resolves when the queue gets a message, or after `ms`. */
  wait(queueId: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiting.get(queueId);
      if (!set) this.waiting.set(queueId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        const current = this.waiting.get(queueId);
        current?.delete(done);
        if (current?.size === 0) this.waiting.delete(queueId);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
    });
  }

  wake(queueId: number): void {
    for (const done of [...(this.waiting.get(queueId) ?? [])]) done();
  }

  /** Ends every wait, so a stopping server answers its long polls at once. */
  wakeAll(): void {
    for (const id of [...this.waiting.keys()]) this.wake(id);
  }
}
