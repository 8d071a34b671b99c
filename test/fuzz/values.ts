import type { ServiceModel, Shape } from '../../src/core/models/model.js';
import type { Random } from './random.js';

/**
 * Inputs generated from a service model: plausible values that often satisfy the model (so
 * requests reach handlers and touch state other requests then read), and hostile ones that do
 * not (missing members, wrong JSON types, null, huge and empty strings, control characters,
 * path traversal, keys every object inherits).
 */

/** Values that recur across operations, so a create and a later read can name the same thing. */
const NAMES = ['fuzz', 'fuzz-1', 'Fuzz_2', 'a', 'main', 'dev', '/fuzz/p', 'fuzz.txt', 'dir/file.txt', 'fuzz-bucket', 'fuzz-group'];
const ARNS = [
  'arn:aws:iam::000000000000:role/fuzz',
  'arn:aws:iam::000000000000:user/fuzz',
  'arn:aws:iam::000000000000:policy/fuzz',
  'arn:aws:codecommit:us-east-1:000000000000:fuzz',
  'arn:aws:codebuild:us-east-1:000000000000:project/fuzz',
  'arn:aws:events:us-east-1:000000000000:rule/fuzz',
  'arn:aws:logs:us-east-1:000000000000:log-group:fuzz',
  'arn:aws:s3:::fuzz-bucket',
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:fuzz-AbCdEf',
  'arn:aws:ssm:us-east-1:000000000000:parameter/fuzz/p',
];
const DOCUMENTS = [
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
  '{"source":["fuzz"]}',
  'version: 0.2\nphases:\n  build:\n    commands:\n      - echo fuzz\n',
];

/** Strings that break naive code: each is a way a hostile client has written a value. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\x00',
  'a\x00b',
  '\x1b[31mred',
  '\uffff\ufffe',
  '\ud800',
  'x\udc00y',
  '\r\n\t',
  '../../../../etc/passwd',
  '..',
  '/',
  '//',
  '%2e%2e%2f%2e%2e',
  'a/../../b',
  'refs/heads/../../HEAD',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '<a>&amp;</a>]]>',
  "'; DROP TABLE x; --",
  '${aws:username}',
  '*',
  '?',
  '😀'.repeat(3),
  'é'.repeat(300),
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '{}',
  '[]',
  '=',
  '&',
  '+ %20',
];

const HOSTILE_NUMBERS = [-1, 0, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, 0.5, -0.0];

function hugeString(random: Random): string {
  return random.pick(['x', '/', '\x01', 'é', '😀', '../']).repeat(random.pick([256, 1025, 4097, 70_000]));
}

function wrongType(random: Random): unknown {
  return random.pick<unknown>([null, 1, -1.5, true, 'text', [], [null], {}, { __proto__: null, constructor: 1 }, [[[]]]]);
}

function fitsPattern(shape: Shape, text: string): boolean {
  if (shape.min !== undefined && text.length < shape.min) return false;
  if (shape.max !== undefined && text.length > shape.max) return false;
  if (!shape.pattern) return true;
  try {
    return new RegExp(`^(?:${shape.pattern})$`, /\\p\{/.test(shape.pattern) ? 'su' : 's').test(text);
  } catch {
    return true;
  }
}

function plausibleString(shape: Shape, random: Random, memberName: string): string {
  if (shape.enum?.length) return random.pick(shape.enum);
  const lower = memberName.toLowerCase();
  const pools = [lower.includes('arn') ? ARNS : NAMES, /document|policy|pattern|buildspec|content/.test(lower) ? DOCUMENTS : NAMES, NAMES, ARNS];
  for (const pool of pools) {
    const fitting = pool.filter((c) => fitsPattern(shape, c));
    if (fitting.length > 0) return random.pick(fitting);
  }
  const min = Math.max(shape.min ?? 1, 1);
  const length = Math.min(Math.max(min, 8), shape.max ?? 8);
  let text = '';
  for (let i = 0; i < length; i++) text += random.pick('abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
  return text;
}

export interface Generation {
  model: ServiceModel;
  random: Random;
  /** Chance that any one value is replaced by a hostile one (0 for a plausible input). */
  hostility: number;
}

/** A value for a shape; `memberName` steers plausible strings (an `arn` member gets an ARN). */
export function generate(gen: Generation, shape: Shape, memberName = '', depth = 0): unknown {
  const { random, hostility } = gen;
  if (random.chance(hostility)) {
    const kind = random.int(0, 4);
    if (kind === 0) return wrongType(random);
    if (kind === 1) return hugeString(random);
    if (kind === 2 && shape.type !== 'string') return random.pick(HOSTILE_NUMBERS);
    return random.pick(HOSTILE_STRINGS);
  }
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      if (depth > 6) return out;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const required = shape.required?.includes(name);
        // Required members are usually there (dropping them is one of the hostile cases);
        // optional ones sometimes.
        if (required ? random.chance(hostility / 2) : !random.chance(0.35)) continue;
        out[name] = generate(gen, gen.model.shapes[ref.shape], name, depth + 1);
      }
      if (random.chance(hostility / 4)) out[random.pick(['__proto__', 'constructor', 'unknownMember'])] = random.pick<unknown>([null, 'x', {}]);
      return out;
    }
    case 'list': {
      const count = depth > 6 ? 0 : random.int(Math.max(shape.min ?? 0, 0), Math.min(shape.max ?? 3, 3));
      return Array.from({ length: count }, () => generate(gen, gen.model.shapes[shape.member!.shape], memberName, depth + 1));
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const count = depth > 6 ? 0 : random.int(0, 2);
      for (let i = 0; i < count; i++) {
        const key = random.chance(hostility) ? random.pick(['__proto__', 'constructor', '', '\x00', 'a'.repeat(300)]) : String(generate({ ...gen, hostility: 0 }, gen.model.shapes[shape.key!.shape], 'key', depth + 1));
        Object.defineProperty(out, key, { value: generate(gen, gen.model.shapes[shape.value!.shape], 'value', depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'string':
      return plausibleString(shape, random, memberName);
    case 'integer':
    case 'long': {
      const min = shape.min ?? 0;
      const max = Math.min(shape.max ?? 100, min + 100);
      return random.int(min, max);
    }
    case 'float':
    case 'double':
      return random.int(0, 1000) / 10;
    case 'boolean':
      return random.chance(0.5);
    case 'timestamp':
      return random.pick([1767225600, 1767225600.5, 0]);
    case 'blob':
      return Buffer.from(random.pick(['fuzz', '', '\x00\x01', 'PK\x03\x04'])).toString('base64');
  }
}
