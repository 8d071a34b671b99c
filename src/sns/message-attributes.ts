import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { invalidParameterValue } from './errors.js';
import type { MessageAttribute } from './filter-policy.js';

const MAX_ATTRIBUTES = 10;
const NAME = /^(?!\.)(?!aws\.|amazon\.)[A-Za-z0-9_\-.]+(?<!\.)$/i;

/** A publish's message attributes, checked as SNS checks them, in the envelope's form (`{Type, Value}`, binary as base64). */
export function checkMessageAttributes(raw: Record<string, MessageAttributeValue> | undefined): Record<string, MessageAttribute> {
  const out: Record<string, MessageAttribute> = {};
  const entries = Object.entries(raw ?? {});
  if (entries.length > MAX_ATTRIBUTES) {
    throw invalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  for (const [name, attribute] of entries) {
    if (Buffer.byteLength(name) >= 256) throw invalidParameterValue('Length of message attribute name must be less than 256 bytes.');
    if (!NAME.test(name) || name.includes('..')) throw invalidParameterValue(`The message attribute name '${name}' is invalid.`);
    const type = attribute.DataType ?? '';
    const base = type.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const value = base === 'Binary' ? binaryText(attribute.BinaryValue) : attribute.StringValue;
    if (value === undefined || value === '') {
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (base === 'Number' && (value.trim() === '' || !Number.isFinite(Number(value)))) {
      throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (type === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) throw invalidParameterValue(`The message attribute '${name}' with type 'String.Array' must be a JSON array.`);
    }
    out[name] = { Type: type, Value: value };
  }
  return out;
}

/** Query sends a blob as base64 text; an SDK caller inside the server may hand bytes. */
function binaryText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  return Buffer.from(value as Uint8Array).toString('base64');
}

/** How many bytes the attributes add to a message's size: names, types and values. */
export const attributesBytes = (attributes: Record<string, MessageAttribute>) =>
  Object.entries(attributes).reduce((n, [name, a]) => n + Buffer.byteLength(name) + Buffer.byteLength(a.Type) + Buffer.byteLength(a.Value), 0);

/** The attributes as an SQS message carries them (raw delivery): `{DataType, StringValue | BinaryValue}`, binary as base64. */
export function sqsAttributes(attributes: Record<string, MessageAttribute>): Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [name, a.Type.startsWith('Binary') ? { DataType: a.Type, BinaryValue: a.Value } : { DataType: a.Type, StringValue: a.Value }]),
  );
}
