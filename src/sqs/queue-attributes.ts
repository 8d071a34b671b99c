import { invalidAttributeName, invalidAttributeValue } from './errors.js';

/** Attributes a caller may set, with the value a queue has when nobody set them. */
const STANDARD_DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};
const FIFO_DEFAULTS: Record<string, string> = {
  ...STANDARD_DEFAULTS,
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};
const BOOLEANS = new Set(['SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication']);
const CHOICES: Record<string, string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};
const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const SETTABLE = new Set([
  ...Object.keys(RANGES),
  ...BOOLEANS,
  ...Object.keys(CHOICES),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
]);
/** What GetQueueAttributes computes rather than stores. */
export const COMPUTED = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];

export const defaultsFor = (fifo: boolean) => ({ ...(fifo ? FIFO_DEFAULTS : STANDARD_DEFAULTS) });

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The attribute names GetQueueAttributes accepts: `All`, the settable ones and the computed ones. */
export function isKnownAttribute(name: string): boolean {
  return name === 'All' || SETTABLE.has(name) || COMPUTED.includes(name);
}

/**
 * Checks attributes a caller sets (CreateQueue, SetQueueAttributes) and returns them as stored.
 * Policies are kept as written; the redrive policy is checked for shape here and for its target by the caller.
 */
export function checkAttributes(given: Record<string, string>, fifo: boolean, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(given)) {
    const value = String(raw);
    if (!SETTABLE.has(name)) throw invalidAttributeName(`Unknown Attribute ${name}.`);
    if (name === 'FifoQueue') {
      if (!creating) throw invalidAttributeValue('Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.');
      if (value !== 'true' && value !== 'false') throw invalidAttributeValue(`Invalid value for the parameter ${name}.`);
      if (value === 'false' && fifo) throw invalidAttributeValue('Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.');
      continue;
    }
    if (FIFO_ONLY.has(name) && !fifo) throw invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
    const range = RANGES[name];
    if (range && !(/^\d+$/.test(value) && Number(value) >= range[0] && Number(value) <= range[1])) {
      throw invalidAttributeValue(`Invalid value for the parameter ${name}.`);
    }
    if (BOOLEANS.has(name) && value !== 'true' && value !== 'false') throw invalidAttributeValue(`Invalid value for the parameter ${name}.`);
    if (CHOICES[name] && !CHOICES[name].includes(value)) throw invalidAttributeValue(`Invalid value for the parameter ${name}.`);
    if (name === 'Policy' && value !== '') checkJson(name, value);
    if (name === 'RedriveAllowPolicy' && value !== '') checkRedriveAllow(value);
    if (name === 'RedrivePolicy' && value !== '') parseRedrivePolicy(value);
    out[name] = value;
  }
  return out;
}

function checkJson(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw invalidAttributeValue(`Invalid value for the parameter ${name}. Reason: failed to parse JSON.`);
  }
}

export function parseRedrivePolicy(value: string): RedrivePolicy {
  const parsed = checkJson('RedrivePolicy', value) as Record<string, unknown> | null;
  const reason = (why: string) => invalidAttributeValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${why}`);
  if (!parsed || typeof parsed !== 'object') throw reason('Redrive policy is not a valid JSON map.');
  const target = parsed.deadLetterTargetArn;
  const count = Number(parsed.maxReceiveCount);
  if (typeof target !== 'string' || !/^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/.test(target)) {
    throw reason('Invalid value for deadLetterTargetArn.');
  }
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw reason('Invalid value for maxReceiveCount.');
  return { deadLetterTargetArn: target, maxReceiveCount: count };
}

function checkRedriveAllow(value: string): void {
  const parsed = checkJson('RedriveAllowPolicy', value) as Record<string, unknown> | null;
  const permission = parsed?.redrivePermission;
  const reason = (why: string) => invalidAttributeValue(`Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: ${why}`);
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw reason('Amazon SQS can\'t create the redrive allow policy, as it\'s in an unsupported format.');
  }
  const sources = parsed?.sourceQueueArns;
  if (permission === 'byQueue' && (!Array.isArray(sources) || sources.length < 1 || sources.length > 10)) {
    throw reason('Amazon SQS can\'t create the redrive allow policy, as it\'s in an unsupported format.');
  }
}

/** Whether a redrive allow policy lets a source queue use this queue as its dead-letter queue. */
export function allowsSource(redriveAllowPolicy: string | undefined, sourceArn: string): boolean {
  if (!redriveAllowPolicy) return true;
  const parsed = JSON.parse(redriveAllowPolicy) as { redrivePermission: string; sourceQueueArns?: string[] };
  if (parsed.redrivePermission === 'denyAll') return false;
  if (parsed.redrivePermission === 'byQueue') return (parsed.sourceQueueArns ?? []).includes(sourceArn);
  return true;
}
