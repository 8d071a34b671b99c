import { invalidParameter, tooManyTags } from './errors.js';

const MAX_TAGS = 50;

/** A log group carries at most 50 tags, and the `aws:` prefix belongs to AWS. */
export function checkTags(existing: Record<string, string>, adding: Record<string, string>): void {
  if (Object.keys(adding).some((k) => k.toLowerCase().startsWith('aws:'))) {
    throw invalidParameter('Tag keys beginning with aws: are reserved for AWS use.');
  }
  if (Object.keys({ ...existing, ...adding }).length > MAX_TAGS) throw tooManyTags();
}
