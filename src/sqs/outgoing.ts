import { createHash } from 'node:crypto';
import { AwsError } from '../core/errors.js';
import { invalidParameterValue, invalidValue, missingParameter } from './errors.js';
import type { AttributeValue } from './md5.js';
import type { Outgoing } from './messages.js';
import { seconds, type Queue } from './queues.js';

/** A message as SendMessage, a batch entry or a delivery describes it (binary values as base64 or bytes). */
export interface SendInput {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, WireAttribute>;
  MessageSystemAttributes?: Record<string, WireAttribute>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

export interface WireAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: string | Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: unknown[];
}

const MAX_ATTRIBUTES = 10;
/** The characters SQS accepts in a body and in string attributes (XML 1.0's). */
const BAD_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ALLOWED = '#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';

function checkCharacters(text: string, where: string): void {
  const bad = BAD_CHARACTER.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase();
    throw new AwsError('InvalidMessageContents', `Invalid binary character '#x${code}' was found in ${where}, the set of allowed characters is ${ALLOWED}`);
  }
}

function toBytes(value: string | Uint8Array): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(value);
}

/** Checks user message attributes as SQS does and returns them with binary values as bytes. */
export function checkAttributes(given: Record<string, WireAttribute> | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  const entries = Object.entries(given ?? {});
  if (entries.length > MAX_ATTRIBUTES) throw invalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  for (const [name, value] of entries) {
    if (name.length > 256) throw invalidParameterValue('Message (user) attribute name must be shorter than 256 bytes.');
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws\.|amazon\.)/i.test(name)) {
      throw invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    }
    const type = value?.DataType ?? '';
    if (type === '') throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    const base = type.split('.')[0];
    if (!['String', 'Number', 'Binary'].includes(base) || type.length > 256) {
      throw invalidParameterValue(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (base === 'Binary') {
      if (value.BinaryValue === undefined || toBytes(value.BinaryValue).length === 0) {
        throw invalidParameterValue(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      }
      out[name] = { DataType: type, BinaryValue: toBytes(value.BinaryValue) };
      continue;
    }
    if (value.StringValue === undefined || value.StringValue === '') {
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
    }
    checkCharacters(value.StringValue, `the message attribute '${name}'`);
    if (base === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.StringValue.trim())) {
      throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
    out[name] = { DataType: type, StringValue: value.StringValue };
  }
  return out;
}

function attributesSize(attributes: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, v] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(v.DataType) + (v.BinaryValue ? v.BinaryValue.length : Buffer.byteLength(v.StringValue ?? ''));
  }
  return size;
}

const ID_PATTERN = /^[!-~]{1,128}$/;

/** Checks a message for a queue as SendMessage does, and settles its FIFO group and deduplication id. */
export function outgoing(queue: Queue, input: SendInput, senderId: string): Outgoing {
  const body = input.MessageBody;
  if (body === undefined || body === '') throw missingParameter('MessageBody');
  checkCharacters(body, 'the message body');
  const attributes = checkAttributes(input.MessageAttributes);
  const system = input.MessageSystemAttributes ?? {};
  for (const [name, value] of Object.entries(system)) {
    if (name !== 'AWSTraceHeader') throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    if (value?.DataType !== 'String' || !value.StringValue) {
      throw invalidParameterValue(`The message system attribute 'AWSTraceHeader' must contain non-empty message attribute value for message attribute type 'String'.`);
    }
  }
  const limit = seconds(queue, 'MaximumMessageSize');
  if (Buffer.byteLength(body) + attributesSize(attributes) > limit) {
    throw invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
  }
  const delay = input.DelaySeconds;
  if (delay !== undefined && (delay < 0 || delay > 900)) throw invalidValue(delay, 'DelaySeconds', 'DelaySeconds must be >= 0 and <= 900.');
  const groupId = input.MessageGroupId;
  let dedupId = input.MessageDeduplicationId;
  if (groupId !== undefined && !ID_PATTERN.test(groupId)) throw invalidValue(groupId, 'MessageGroupId', 'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  if (dedupId !== undefined && !ID_PATTERN.test(dedupId)) {
    throw invalidValue(dedupId, 'MessageDeduplicationId', 'MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  }
  if (queue.fifo) {
    if (delay !== undefined && delay > 0) throw invalidValue(delay, 'DelaySeconds', 'The request include parameter that is not valid for this queue type.');
    if (groupId === undefined) throw missingParameter('MessageGroupId');
    if (dedupId === undefined) {
      if (queue.attributes.ContentBasedDeduplication !== 'true') {
        throw invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      dedupId = createHash('sha256').update(body).digest('hex');
    }
  } else if (dedupId !== undefined) {
    // Standard queues accept a group id (fair queues) without ordering by it, but no deduplication id.
    throw invalidValue(dedupId, 'MessageDeduplicationId', 'The request include parameter that is not valid for this queue type.');
  }
  return {
    body,
    attributes,
    ...(system.AWSTraceHeader?.StringValue ? { traceHeader: system.AWSTraceHeader.StringValue } : {}),
    ...(delay !== undefined ? { delaySeconds: delay } : {}),
    ...(groupId !== undefined ? { groupId } : {}),
    ...(dedupId !== undefined ? { dedupId } : {}),
    senderId,
  };
}
