import { defaultOf, envName, flagName, OPTION_GROUPS, OPTIONS, type Config } from '../config.js';

/** Lines that name one option each, its value and default beside it, wrapped under a heading per group. */
export function optionsHelp(): string {
  const keys = Object.keys(OPTIONS) as (keyof Config)[];
  const out: string[] = [];
  for (const group of OPTION_GROUPS) {
    out.push(`${group[0].toUpperCase()}${group.slice(1)}:`);
    for (const key of keys.filter((k) => OPTIONS[k].group === group)) {
      const option = OPTIONS[key];
      const value = defaultOf(key);
      const shown = value === undefined || value === '' ? 'unset' : String(value);
      out.push(`  ${flagName(key)}${option.value ? ` ${option.value}` : ''}`);
      out.push(`      ${option.help}`);
      out.push(`      env ${envName(key)}, default ${shown}`);
    }
    out.push('');
  }
  return out.join('\n');
}
