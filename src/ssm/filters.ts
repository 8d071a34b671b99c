import type { ParameterStringFilter } from '@aws-sdk/client-ssm';
import { INVALID_PATH, invalidFilterKey, invalidFilterOption, invalidFilterValue, validation } from './errors.js';
import { isValidPath } from './names.js';
import type { ParameterRecord } from './parameter-store.js';

/** Which operation the filters came with: each accepts its own keys. */
export type FilterUse = 'describe' | 'path';

export interface CheckedFilter {
  key: string;
  option: string;
  values: string[] | undefined;
  /** DescribeParameters' older Filters compare names as written, leading slash and all. */
  literalNames?: boolean;
}

const VALUES: Record<string, string[]> = {
  Type: ['String', 'StringList', 'SecureString'],
  Tier: ['Standard', 'Advanced', 'Intelligent-Tiering'],
  DataType: ['text', 'aws:ec2:image', 'aws:ssm:integration'],
};

/** Checks ParameterFilters in the order AWS does, with its error for each mistake. */
export function checkFilters(filters: ParameterStringFilter[] | undefined, use: FilterUse): CheckedFilter[] {
  const checked: CheckedFilter[] = [];
  const seen = new Set<string>();
  for (const filter of filters ?? []) {
    const key = filter.Key!;
    const isTag = key.startsWith('tag:');
    if (use === 'describe' && key === 'Label') {
      throw invalidFilterKey('The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].');
    }
    if (use === 'path' && !['Type', 'KeyId', 'Label'].includes(key)) {
      throw invalidFilterKey(`The following filter key is not valid: ${key}. Valid filter keys include: [Type, KeyId].`);
    }
    const values = filter.Values;
    if (!isTag && (!values || values.length === 0)) throw invalidFilterValue(`The following filter values are missing : null for filter key ${key}.`);
    if (seen.has(key)) {
      throw invalidFilterKey(`The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`);
    }
    seen.add(key);
    const option = filter.Option ?? (key === 'Path' ? 'OneLevel' : 'Equals');
    if (key === 'Path') {
      if (option !== 'Recursive' && option !== 'OneLevel') {
        throw invalidFilterOption(`The following filter option is not valid: ${option}. Valid options include: [Recursive, OneLevel].`);
      }
      for (const value of values!) {
        if (/^\/(aws|ssm)/i.test(value)) {
          throw validation(
            'Filters for common parameters can\'t be prefixed with "aws" or "ssm" (case-insensitive). When using global parameters, please specify within a global namespace.',
          );
        }
        if (!isValidPath(value)) throw validation(INVALID_PATH);
      }
    } else {
      const allowed = key === 'Label' ? ['Equals'] : key === 'Name' ? ['BeginsWith', 'Equals', 'Contains'] : ['BeginsWith', 'Equals'];
      if (!allowed.includes(option)) {
        throw invalidFilterOption(`The following filter option is not valid: ${option}. Valid options include: [${key === 'Label' ? 'Equals' : 'BeginsWith, Equals'}].`);
      }
    }
    const valid = Object.hasOwn(VALUES, key) ? VALUES[key] : undefined;
    const invalid = valid && values!.find((value) => !valid.includes(value));
    if (invalid !== undefined) {
      throw invalidFilterValue(`The following filter value is not valid: ${invalid}. Valid values include: [${valid!.join(', ')}].`);
    }
    checked.push({ key, option, values });
  }
  return checked;
}

/** What a filter needs to know about a parameter beyond its current version. */
export interface FilterSubject {
  parameter: ParameterRecord;
  tags: () => { Key: string; Value: string }[];
  labels: () => string[];
}

const slashed = (name: string) => `/${name.replace(/^\//, '')}`;

function compare(option: string, actual: string | null | undefined, values: string[]): boolean {
  if (actual === null || actual === undefined) return false;
  if (option === 'BeginsWith') return values.some((v) => actual.startsWith(v));
  if (option === 'Contains') return values.some((v) => actual.includes(v));
  return values.some((v) => actual === v);
}

export function matches(filter: CheckedFilter, subject: FilterSubject): boolean {
  const p = subject.parameter;
  const values = filter.values ?? [];
  switch (filter.key) {
    case 'Name':
      return filter.option === 'Contains' || filter.literalNames
        ? compare(filter.option, p.name, values)
        : compare(filter.option, slashed(p.name), values.map(slashed));
    case 'Type':
      return compare(filter.option, p.type, values);
    case 'KeyId':
      return compare(filter.option, p.keyId, values);
    case 'Tier':
      return compare(filter.option, p.tier, values);
    case 'DataType':
      return compare(filter.option, p.dataType, values);
    case 'Label':
      return subject.labels().some((l) => values.includes(l));
    case 'Path':
      return values.some((v) => underPath(p.name, v, filter.option === 'Recursive'));
    default: {
      const tagKey = filter.key.slice('tag:'.length);
      const tag = subject.tags().find((t) => t.Key === tagKey);
      if (!tag) return false;
      return values.length === 0 || compare(filter.option, tag.Value, values);
    }
  }
}

/** Whether a name sits directly under a path (OneLevel) or anywhere beneath it (Recursive). */
export function underPath(name: string, path: string, recursive: boolean): boolean {
  const full = slashed(name);
  const base = path.replace(/\/+$/, '');
  if (!full.startsWith(`${base}/`)) return false;
  return recursive || !full.slice(base.length + 1).includes('/');
}
