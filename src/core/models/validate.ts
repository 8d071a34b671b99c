import type { ServiceModel, Shape } from './model.js';

/**
 * Checks an input against its model shape the way AWS's front ends do: the constraint failures
 * become a ValidationException listing each one; a value of the wrong JSON type is a
 * serialization failure, reported separately because AWS reports it differently.
 */
export interface Violation {
  /** Member path as AWS prints it: `repositoryName`, `tags.k.member`, `names.1.member`. */
  path: string;
  /** The member's own name, for services that map violations to their named exceptions. */
  member: string;
  constraint: 'required' | 'min' | 'max' | 'pattern' | 'enum' | 'range';
  text: string;
}

export class SerializationError extends Error {}

const patternCache = new Map<string, RegExp | null>();

function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      // Model patterns are Java regular expressions matched against the whole value; those with
      // Unicode classes (\p{L}) need JavaScript's unicode mode to mean the same thing.
      re = new RegExp(`^(?:${pattern})$`, /\\p\{/.test(pattern) ? 'su' : 's');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re;
}

/** Java's toString of a value, which is how AWS quotes the offending value. */
function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${show(v)}`).join(', ')}}`;
  }
  return String(value);
}

/**
 * `memberName` spells member names in paths as the protocol's service does: Query services
 * (IAM, STS) write them in lower camel case (`durationSeconds`), JSON services as modelled.
 */
export function validateInput(
  model: ServiceModel,
  shapeName: string | undefined,
  input: unknown,
  memberName: (name: string) => string = (name) => name,
): Violation[] {
  const violations: Violation[] = [];
  if (!shapeName) return violations;
  visit(model, model.shapes[shapeName], input ?? {}, '', '', violations, memberName);
  return violations;
}

function visit(
  model: ServiceModel,
  shape: Shape,
  value: unknown,
  path: string,
  member: string,
  out: Violation[],
  memberName: (name: string) => string,
): void {
  const fail = (constraint: Violation['constraint'], text: string) =>
    // A sensitive value (a parameter value, a secret) is never quoted back to the caller.
    out.push({ path, member, constraint, text: `Value${shape.sensitive ? '' : ` '${show(value)}'`} at '${path}' failed to satisfy constraint: ${text}` });

  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new SerializationError(`Expected a structure at '${path || 'input'}'`);
      }
      const record = value as Record<string, unknown>;
      // Members the model does not have are ignored, as AWS ignores them: dropped here so none
      // (`__proto__` least of all) reaches a handler that copies members by name.
      for (const name of Object.keys(record)) if (!Object.hasOwn(shape.members ?? {}, name)) delete record[name];
      for (const name of shape.required ?? []) {
        if (record[name] === undefined || record[name] === null) {
          const at = path ? `${path}.${memberName(name)}` : memberName(name);
          out.push(missing(at, name));
        }
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const child = record[name];
        // JSON null for a member means the member is absent, as AWS reads it: dropped here so no
        // handler ever sees a null where its type says a string.
        if (child === null) delete record[name];
        if (child === undefined || child === null) continue;
        visit(model, model.shapes[ref.shape], child, path ? `${path}.${memberName(name)}` : memberName(name), name, out, memberName);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) throw new SerializationError(`Expected a list at '${path}'`);
      checkSize(shape, value.length, fail);
      value.forEach((item, i) => {
        const at = `${path}.${i + 1}.member`;
        if (item === null) out.push(missing(at, member));
        else visit(model, model.shapes[shape.member!.shape], item, at, member, out, memberName);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new SerializationError(`Expected a map at '${path}'`);
      }
      const entries = Object.entries(value);
      checkSize(shape, entries.length, fail);
      for (const [k, v] of entries) {
        visit(model, model.shapes[shape.key!.shape], k, `${path}.${k}.key`, member, out, memberName);
        const at = `${path}.${k}.member`;
        if (v === null) out.push(missing(at, member));
        else visit(model, model.shapes[shape.value!.shape], v, at, member, out, memberName);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') throw new SerializationError(`Expected a string at '${path}'`);
      checkSize(shape, value.length, fail);
      if (shape.pattern) {
        const re = compilePattern(shape.pattern);
        if (re && !re.test(value)) fail('pattern', `Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.enum && !shape.enum.includes(value)) fail('enum', `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new SerializationError(`Expected a number at '${path}'`);
      if ((shape.type === 'integer' || shape.type === 'long') && !Number.isInteger(value)) {
        throw new SerializationError(`Expected an integer at '${path}'`);
      }
      if (shape.min !== undefined && value < shape.min) fail('range', `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail('range', `Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw new SerializationError(`Expected a boolean at '${path}'`);
      return;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string' && !(value instanceof Date)) {
        throw new SerializationError(`Expected a timestamp at '${path}'`);
      }
      return;
    case 'blob':
      if (typeof value !== 'string' && !Buffer.isBuffer(value)) throw new SerializationError(`Expected a blob at '${path}'`);
      if (typeof value === 'string') checkSize(shape, Buffer.byteLength(value, 'base64'), fail);
      return;
  }
}

/** A required member left out, or a null inside a list or map: AWS refuses both as a missing member. */
function missing(path: string, member: string): Violation {
  return { path, member, constraint: 'required', text: `Value null at '${path}' failed to satisfy constraint: Member must not be null` };
}

function checkSize(shape: Shape, size: number, fail: (c: Violation['constraint'], text: string) => void): void {
  if (shape.min !== undefined && size < shape.min) fail('min', `Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && size > shape.max) fail('max', `Member must have length less than or equal to ${shape.max}`);
}

/** `DurationSeconds` → `durationSeconds`: how Query services and some JSON ones name members in messages. */
export function lowerCamelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** AWS's summary line over all violations of one request. */
export function violationMessage(violations: Violation[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.map((v) => v.text).join('; ')}`;
}
