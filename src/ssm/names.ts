import type { RequestContext } from '../core/context.js';
import { INVALID_NAME, NOT_FULLY_QUALIFIED, RESERVED_PREFIX, hierarchyLevelLimitExceeded, parameterNotFound, reservedName, validation } from './errors.js';

type Scope = Pick<RequestContext, 'accountId' | 'region'>;

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const MAX_LEVELS = 15;
/** AWS counts the whole ARN against the limit on a name's length. */
const MAX_ARN_LENGTH = 1011;

/** `arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>` */
export function parameterArn(scope: Scope, name: string): string {
  return `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/${name.replace(/^\//, '')}`;
}

/** The rules a name must follow to be created (PutParameter), with the error AWS gives for each. */
export function checkNewName(name: string, scope: Scope): void {
  if (!NAME_CHARS.test(name) || name === '/' || name.includes('//') || name.endsWith('/')) throw validation(INVALID_NAME);
  if (name.includes('/') && !name.startsWith('/')) throw validation(NOT_FULLY_QUALIFIED);
  const bare = name.replace(/^\//, '').toLowerCase();
  if (bare.startsWith('aws') || bare.startsWith('ssm')) {
    const isPath = name.split('/').length > 2;
    if (isPath && bare.startsWith('aws')) throw reservedName(name);
    throw validation(isPath ? INVALID_NAME : RESERVED_PREFIX);
  }
  if (name.split('/').length - 1 > MAX_LEVELS) throw hierarchyLevelLimitExceeded();
  if (parameterArn(scope, name).length > MAX_ARN_LENGTH) {
    throw validation(`Parameter name exceeds the maximum length of ${MAX_ARN_LENGTH} characters, counted over the full parameter ARN.`);
  }
}

/** A name as read operations accept it: a name or the parameter's ARN, optionally `:version` or `:label`. */
export interface ParameterRef {
  /** What the caller wrote, as error messages quote it. */
  given: string;
  /** Stored names it may denote: an ARN does not say whether the name had a leading slash. */
  candidates: string[];
  selector?: string;
}

export function parseReference(given: string, scope: Scope): ParameterRef {
  let body = given;
  let candidates: string[] | undefined;
  const arn = /^arn:aws[a-z-]*:ssm:([^:]*):([^:]*):parameter\/(.+)$/.exec(given);
  if (arn) {
    if (arn[1] !== scope.region || arn[2] !== scope.accountId) throw parameterNotFound(given);
    body = arn[3];
  }
  const parts = body.split(':');
  if (parts.length > 2) throw parameterNotFound(given);
  const [name, selector] = parts;
  if (!NAME_CHARS.test(name)) throw validation(INVALID_NAME);
  if (selector !== undefined && !/^[a-zA-Z0-9_.-]+$/.test(selector)) throw parameterNotFound(given);
  if (arn) candidates = name.includes('/') ? [`/${name}`] : [name, `/${name}`];
  return { given, candidates: candidates ?? [name], selector };
}

/** Paths for GetParametersByPath and the Path filter: a leading slash, valid characters, no empty sub-path. */
export function isValidPath(path: string): boolean {
  return path.startsWith('/') && NAME_CHARS.test(path) && !path.includes('//');
}

/** Labels AWS refuses (reported back in InvalidLabels rather than as an error). */
export function isValidLabel(label: string): boolean {
  const lower = label.toLowerCase();
  return /^[a-zA-Z0-9_.-]+$/.test(label) && !/^[0-9]/.test(label) && !lower.startsWith('aws') && !lower.startsWith('ssm');
}
