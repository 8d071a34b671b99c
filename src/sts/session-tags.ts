import type { Tag } from '@aws-sdk/client-sts';
import { deflateRawSync } from 'node:zlib';
import { duplicateTagKeys, packedPolicyTooLarge, transitiveKeyConflict, transitiveKeyNotInTags } from './errors.js';
import type { StsSession } from './sessions.js';

export interface SessionTags {
  tags: Tag[];
  transitiveTagKeys: string[];
}

const lower = (key: string | undefined) => (key ?? '').toLowerCase();

/**
 * The tags of a new session: the calling session's transitive tags, which pass down a chain of
 * role sessions and cannot be overridden there, then the requested ones. Keys compare without
 * regard to case, as STS treats them.
 */
export function sessionTags(requested: Tag[] | undefined, transitiveKeys: string[] | undefined, caller: StsSession | undefined): SessionTags {
  const tags = requested ?? [];
  const keys = new Set<string>();
  for (const tag of tags) {
    if (keys.has(lower(tag.Key))) throw duplicateTagKeys();
    keys.add(lower(tag.Key));
  }
  for (const key of transitiveKeys ?? []) if (!keys.has(lower(key))) throw transitiveKeyNotInTags();

  const inheritedKeys = new Set((caller?.transitiveTagKeys ?? []).map(lower));
  if (tags.some((t) => inheritedKeys.has(lower(t.Key)))) throw transitiveKeyConflict();
  const inherited = (caller?.tags ?? []).filter((t) => inheritedKeys.has(lower(t.Key)));
  return {
    tags: [...inherited, ...tags],
    transitiveTagKeys: [...(caller?.transitiveTagKeys ?? []), ...(transitiveKeys ?? [])],
  };
}

/**
 * PackedPolicySize: AWS packs session policies, policy ARNs and session tags into a binary form
 * with its own limit and reports the share used, in percent. The packing is not documented; this
 * compresses the same material and measures it against a budget chosen so that a one-statement
 * policy uses a fifth to a quarter and a varied policy near the 2,048-character plaintext limit
 * overflows, as reported from AWS.
 */
const PACKED_BUDGET = 400;

export function packedPolicySize(policy: string | undefined, policyArns: string[], tags: Tag[]): number | undefined {
  if (policy === undefined && policyArns.length === 0 && tags.length === 0) return undefined;
  const policies = [policy?.replace(/\s/g, '') ?? '', ...policyArns].join('\n');
  const tagText = tags.map((t) => `${t.Key}=${t.Value}`).join('\n');
  const percent = Math.ceil((deflateRawSync(Buffer.from(`${policies}\n${tagText}`)).length * 100) / PACKED_BUDGET);
  if (percent > 100) throw packedPolicyTooLarge(percent, policy !== undefined || policyArns.length > 0);
  return percent;
}
