import type { TagFilter, Tag } from '@aws-sdk/client-codedeploy';
import type { GroupSettings, InstanceRecord } from './records.js';

/** A tag filter without a type means what it names: key and value, the key only, or the value only. */
export function filterType(f: TagFilter): string {
  if (f.Type) return f.Type;
  if (f.Key && f.Value) return 'KEY_AND_VALUE';
  return f.Key ? 'KEY_ONLY' : 'VALUE_ONLY';
}

export function tagMatches(tags: Tag[], f: TagFilter): boolean {
  switch (filterType(f)) {
    case 'KEY_ONLY':
      return tags.some((t) => t.Key === f.Key);
    case 'VALUE_ONLY':
      return tags.some((t) => t.Value === f.Value);
    default:
      return tags.some((t) => t.Key === f.Key && t.Value === f.Value);
  }
}

/** OR within one list of filters. */
export const anyMatches = (tags: Tag[], filters: TagFilter[]) => filters.some((f) => tagMatches(tags, f));

/**
 * The registered on-premises instances a group selects: a flat filter list matches any of its
 * filters; a tag set needs a match in every one of its (non-empty) lists. Without filters a group
 * selects nothing. EC2 filters select nothing either: codesuite has no EC2 instances.
 */
export function matchingInstances(instances: InstanceRecord[], settings: GroupSettings): InstanceRecord[] {
  const flat = settings.onPremisesInstanceTagFilters ?? [];
  const sets = (settings.onPremisesTagSet?.onPremisesTagSetList ?? []).filter((l) => l.length > 0);
  return instances.filter((i) => {
    if (i.deregisterTime !== undefined) return false;
    if (sets.length > 0) return sets.every((list) => anyMatches(i.tags, list));
    return flat.length > 0 && anyMatches(i.tags, flat);
  });
}
