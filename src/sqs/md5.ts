import { createHash } from 'node:crypto';

/** A message attribute as the handlers keep it: binary values as bytes. */
export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

export const md5Hex = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * MD5OfMessageAttributes as SQS computes it and the SDKs check it: per attribute in name order,
 * the name, the data type (each 4-byte big-endian length then UTF-8), a transport byte (1 for
 * String and Number, 2 for Binary) and the length-prefixed value.
 */
export function md5OfAttributes(attributes: Record<string, AttributeValue>): string {
  const parts: Buffer[] = [];
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name];
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')), lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    if (value.BinaryValue !== undefined) parts.push(Buffer.from([2]), lengthPrefixed(value.BinaryValue));
    else parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
  }
  return md5Hex(Buffer.concat(parts));
}
