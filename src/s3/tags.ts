import { AwsError } from '../core/errors.js';
import { invalidArgument, invalidTag } from './errors.js';
import type { Tag } from './store.js';

const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tag rules shared by buckets (50 tags) and objects (10 tags), with S3's texts. */
export function validateTags(tags: Tag[], kind: 'bucket' | 'object'): void {
  const limit = kind === 'bucket' ? 50 : 10;
  if (tags.length > limit) {
    throw new AwsError('BadRequest', kind === 'bucket' ? 'Bucket tag count cannot be greater than 50' : 'Object tags cannot be greater than 10');
  }
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    if (Key.length < 1 || Key.length > 128 || !ALLOWED.test(Key)) throw invalidTag('The TagKey you have provided is invalid');
    if (Value.length > 256 || !ALLOWED.test(Value)) throw invalidTag('The TagValue you have provided is invalid');
    if (Key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:');
    if (seen.has(Key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(Key);
  }
}

/** The `x-amz-tagging` header: URL query syntax, `k1=v1&k2=v2`. */
export function parseTaggingHeader(header: string): Tag[] {
  const tags: Tag[] = [];
  for (const [Key, Value] of new URLSearchParams(header)) {
    if (tags.some((t) => t.Key === Key)) {
      throw invalidArgument(
        "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
        'x-amz-tagging',
        header,
      );
    }
    tags.push({ Key, Value });
  }
  validateTags(tags, 'object');
  return tags;
}
