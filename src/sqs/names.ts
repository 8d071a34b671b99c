import type { RequestContext } from '../core/context.js';
import { invalidParameterValue } from './errors.js';

export interface QueueAddress {
  accountId: string;
  region: string;
  name: string;
}

const QUEUE_ARN = /^arn:aws[\w-]*:sqs:([a-z0-9-]+):(\d{12}):([\w-]{1,80}(?:\.fifo)?)$/;
/** `<scheme>://<host>/<account>/<name>`: the account and name are the URL's last two path segments. */
const QUEUE_PATH = /(?:^|\/)(\d{12})\/([^/?#]+)\/?(?:[?#].*)?$/;

export const queueArn = (a: QueueAddress) => `arn:aws:sqs:${a.region}:${a.accountId}:${a.name}`;

/** Queue URLs are built from the endpoint the request reached, as AWS builds them from its own host. */
export const queueUrl = (endpoint: string, a: QueueAddress) => `${endpoint}/${a.accountId}/${a.name}`;

export function parseQueueArn(arn: string): QueueAddress | undefined {
  const m = QUEUE_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}

/** The queue a QueueUrl names, or undefined when it names none (answered as a missing queue). */
export function parseQueueUrl(url: string, ctx: Pick<RequestContext, 'region'>): QueueAddress | undefined {
  const m = QUEUE_PATH.exec(url);
  if (!m) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(m[2]);
  } catch {
    return undefined;
  }
  return { accountId: m[1], region: ctx.region, name };
}

export function checkQueueName(name: string, fifo: boolean): void {
  if (fifo) {
    if (!/^[\w-]{1,75}\.fifo$/.test(name)) {
      throw invalidParameterValue(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
  } else if (!/^[\w-]{1,80}$/.test(name)) {
    throw invalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}
