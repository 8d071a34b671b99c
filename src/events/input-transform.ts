import type { Target } from '@aws-sdk/client-eventbridge';
import { validation } from './errors.js';

/**
 * What a target receives: the whole event, a constant `Input`, the part `InputPath` selects, or
 * an `InputTransformer` template filled from `InputPathsMap` (plus the predefined
 * `<aws.events.*>` variables).
 */
type Step = string | number;

/** `$`, `$.a.b`, `$.a[0]`, `$['a-b']`, `$.detail-type`: the JSONPath subset EventBridge paths use. */
export function parsePath(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      if (j === i + 1) return undefined;
      steps.push(path.slice(i + 1, j));
      i = j;
    } else if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = path.slice(i + 1, close);
      const quoted = /^'(.*)'$|^"(.*)"$/.exec(inner);
      if (quoted) steps.push(quoted[1] ?? quoted[2]);
      else if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else return undefined;
      i = close + 1;
    } else {
      return undefined;
    }
  }
  return steps;
}

export function select(value: unknown, steps: Step[]): unknown {
  let current = value;
  for (const step of steps) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = current !== null && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, step) ? (current as Record<string, unknown>)[step] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** PutTargets' checks of a target's input settings. */
export function checkTargetInput(target: Target): void {
  const given = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined).length;
  if (given > 1) throw validation('Only one of Input, InputPath, or InputTransformer must be provided.');
  if (target.Input !== undefined) {
    try {
      JSON.parse(target.Input);
    } catch {
      throw validation(`Parameter Input is not valid. Reason: Input for target ${target.Id} is not valid JSON text.`);
    }
  }
  if (target.InputPath !== undefined && target.InputPath !== '' && !parsePath(target.InputPath)) {
    throw validation(`Parameter InputPath is not valid. Reason: ${target.InputPath} is not a valid JSONPath.`);
  }
  for (const [key, path] of Object.entries(target.InputTransformer?.InputPathsMap ?? {})) {
    if (key.startsWith('aws.events.')) {
      throw validation(`InputTransformer Path Map contains reserved variable ${key}.`);
    }
    if (!parsePath(path)) throw validation(`Parameter InputPathsMap is not valid. Reason: ${path} is not a valid JSONPath for ${key}.`);
  }
}

export interface TransformContext {
  ruleArn: string;
  ruleName: string;
  ingestionTime: string;
}

export function targetInput(target: Target, event: Record<string, unknown>, context: TransformContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath) {
    const value = select(event, parsePath(target.InputPath) ?? []);
    return JSON.stringify(value ?? null);
  }
  if (target.InputTransformer) return fillTemplate(target.InputTransformer.InputTemplate ?? '', target.InputTransformer.InputPathsMap ?? {}, event, context);
  return JSON.stringify(event);
}

/** Escapes a string for placement between double quotes of a JSON text. */
const inQuotes = (s: string) => JSON.stringify(s).slice(1, -1);

function fillTemplate(template: string, paths: Record<string, string>, event: Record<string, unknown>, context: TransformContext): string {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(paths)) values.set(name, select(event, parsePath(path) ?? []));
  values.set('aws.events.rule-arn', context.ruleArn);
  values.set('aws.events.rule-name', context.ruleName);
  values.set('aws.events.event.ingestion-time', context.ingestionTime);
  values.set('aws.events.event', event);
  values.set('aws.events.event.json', JSON.stringify(event));

  let out = '';
  let quoted = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && quoted) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === '<') {
      const close = template.indexOf('>', i);
      const name = close > 0 ? template.slice(i + 1, close) : '';
      if (close > 0 && values.has(name)) {
        const value = values.get(name);
        if (quoted) {
          // Inside a string the value's text goes in, escaped; a missing value leaves nothing.
          out += value === undefined || value === null ? '' : inQuotes(typeof value === 'string' ? value : JSON.stringify(value));
        } else {
          out += JSON.stringify(value ?? null);
        }
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}
