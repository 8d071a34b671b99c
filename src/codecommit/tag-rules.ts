import { invalidSystemTagUsage, tooManyTags } from './errors.js';

const MAX_TAGS = 50;

/** Tag keys starting `aws:` are AWS's own; a resource holds at most 50 tags. */
export function checkTags(existing: Record<string, string>, added: Record<string, string>): void {
  if (Object.keys(added).some((k) => k.toLowerCase().startsWith('aws:'))) throw invalidSystemTagUsage();
  if (Object.keys({ ...existing, ...added }).length > MAX_TAGS) throw tooManyTags();
}
