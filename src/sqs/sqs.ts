import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import type { IamDeclaration } from '../core/service.js';
import { queueDoesNotExist } from './errors.js';
import { Messages } from './messages.js';
import { parseQueueUrl, queueArn } from './names.js';
import { Queues, type Queue } from './queues.js';
import { Waiters } from './waiters.js';

/** What every SQS operation works with: the stores, the long-poll waiters, the clock. */
export class Sqs {
  readonly queues: Queues;
  readonly messages: Messages;
  readonly waiters = new Waiters();
  /** Set when the server stops: long polls answer at once. */
  closed = false;

  constructor(readonly deps: ServiceDeps) {
    this.queues = new Queues(deps.db);
    this.messages = new Messages(deps.db, this.queues, this.waiters, () => this.now());
  }

  close(): void {
    this.closed = true;
    this.waiters.wakeAll();
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** The queue a request's QueueUrl names, or AWS's missing-queue error. */
  queue(url: string | undefined, ctx: RequestContext): Queue {
    const address = parseQueueUrl(url ?? '', ctx);
    const queue = address && this.queues.find(address);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }
}

/** The IAM declaration of an operation on the queue a request's QueueUrl names, with the queue's policy weighed. */
export function queueIam<I extends { QueueUrl?: string }>(sqs: Sqs, action: string): IamDeclaration<I> {
  return {
    action,
    resource: (input, ctx) => {
      const address = parseQueueUrl(input.QueueUrl ?? '', ctx);
      return address ? queueArn(address) : '*';
    },
    resourcePolicy: (input, ctx) => {
      const address = parseQueueUrl(input.QueueUrl ?? '', ctx);
      const policy = address && sqs.queues.find(address)?.attributes.Policy;
      return policy || undefined;
    },
  };
}
