import type { Filter } from '@aws-sdk/client-secrets-manager';
import { invalidParameter } from './errors.js';
import type { SecretRecord } from './secret-store.js';

/** What the ListSecrets filters look at besides the secret's own fields. */
export interface FilterSubject {
  secret: SecretRecord;
  tags: { Key: string; Value: string }[];
}

/**
 * Words as Secrets Manager's search splits them: at every change from upper to lower case,
 * between letters and digits, and at punctuation (`credsDatabase#892` is creds, Database, 892).
 */
export function words(text: string): string[] {
  return text.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [];
}

/** Every word of the search starts some word of one of the texts; case does not matter. */
function wordsMatch(search: string, texts: string[]): boolean {
  const wanted = words(search).map((w) => w.toLowerCase());
  const present = texts.flatMap(words).map((w) => w.toLowerCase());
  return wanted.every((w) => present.some((p) => p.startsWith(w)));
}

function matchesValue(key: string, value: string, s: FilterSubject): boolean {
  const { secret, tags } = s;
  switch (key) {
    case 'name':
      return secret.name.startsWith(value);
    case 'description': {
      const description = secret.description ?? '';
      return description.toLowerCase().startsWith(value.toLowerCase()) || (description !== '' && wordsMatch(value, [description]));
    }
    case 'tag-key':
      return tags.some((t) => t.Key.startsWith(value));
    case 'tag-value':
      return tags.some((t) => t.Value.startsWith(value));
    case 'all':
      return wordsMatch(value, [secret.name, secret.description ?? '', ...tags.flatMap((t) => [t.Key, t.Value])]);
    default:
      // primary-region and owning-service: no secret in codesuite is replicated or owned by a service.
      return false;
  }
}

/**
 * Filters combine with AND; the values of one filter with OR, except values starting with `!`,
 * which each exclude what they match.
 */
export function matchesFilters(filters: Filter[] | undefined, subject: FilterSubject): boolean {
  for (const filter of filters ?? []) {
    const key = filter.Key;
    if (!key) throw invalidParameter('A filter needs a Key.');
    if (!filter.Values?.length) throw invalidParameter(`The filter ${key} needs at least one value.`);
    const positive = filter.Values.filter((v) => !v.startsWith('!'));
    const negative = filter.Values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
    if (positive.length > 0 && !positive.some((v) => matchesValue(key, v, subject))) return false;
    if (negative.some((v) => matchesValue(key, v, subject))) return false;
  }
  return true;
}
