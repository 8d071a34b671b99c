/** SNS ARNs: `arn:aws:sns:<region>:<account>:<topic>` and, for a subscription, `...:<topic>:<uuid>`. */
export interface TopicRef {
  region: string;
  accountId: string;
  name: string;
}

export const topicArn = (t: TopicRef) => `arn:aws:sns:${t.region}:${t.accountId}:${t.name}`;

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;
const SUBSCRIPTION_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?):([0-9a-f-]{36})$/;

export function parseTopicArn(arn: string): TopicRef | undefined {
  const m = TOPIC_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}

export function parseSubscriptionArn(arn: string): (TopicRef & { id: string }) | undefined {
  const m = SUBSCRIPTION_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3], id: m[4] } : undefined;
}

/** A topic name: 1-256 of `[A-Za-z0-9_-]`, and `.fifo` at the end for a FIFO topic. */
export const validTopicName = (name: string, fifo: boolean) => (fifo ? /^[A-Za-z0-9_-]{1,251}\.fifo$/ : /^[A-Za-z0-9_-]{1,256}$/).test(name);
