import type { Tag } from '@aws-sdk/client-ssm';
import { tooManyTags, validation } from './errors.js';

const MAX_TAGS = 50;

/** Tags a parameter would have after adding `added` to `current`; refused past AWS's limit of 50. */
export function checkTags(current: Tag[], added: Tag[]): { Key: string; Value: string }[] {
  const merged = new Map(current.map((t) => [t.Key!, t.Value ?? '']));
  for (const t of added) {
    if (t.Key!.toLowerCase().startsWith('aws:')) throw validation('Tag keys beginning with aws: are reserved for AWS use.');
    merged.set(t.Key!, t.Value ?? '');
  }
  if (merged.size > MAX_TAGS) throw tooManyTags();
  return added.map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
}
