import type { EnvironmentVariable } from '@aws-sdk/client-codebuild';
import type { CallerIdentity } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import type { Scope } from './arns.js';
import type { Buildspec } from './buildspec.js';
import type { Platform } from './platform.js';

/** Resolving a Parameter Store or Secrets Manager variable failed: DOWNLOAD_SOURCE fails with this context. */
export class VariableError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SecretReference {
  secretId: string;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
}

/** `secret-id:json-key:version-stage:version-id`; the secret id may be a full ARN, colons included. */
export function parseSecretReference(reference: string): SecretReference {
  const parts = reference.split(':');
  const idParts = reference.startsWith('arn:') ? 7 : 1;
  const [jsonKey, versionStage, versionId] = parts.slice(idParts);
  return {
    secretId: parts.slice(0, idParts).join(':'),
    ...(jsonKey ? { jsonKey } : {}),
    ...(versionStage ? { versionStage } : {}),
    ...(versionId ? { versionId } : {}),
  };
}

export interface ResolvedVariables {
  values: Record<string, string>;
  /** Values to mask in the log. */
  secrets: string[];
}

interface Resolver {
  platform: Platform;
  scope: Scope;
  principal: CallerIdentity;
}

async function parameterValue(r: Resolver, name: string): Promise<string> {
  // The ARN of the parameter itself, without a `:version` or `:label` selector.
  const arn = name.startsWith('arn:')
    ? name.replace(/(:parameter\/[^:]*):.*$/, '$1')
    : `arn:aws:ssm:${r.scope.region}:${r.scope.accountId}:parameter/${name.split(':')[0].replace(/^\//, '')}`;
  try {
    await r.platform.authorize(r.principal, r.scope.region, 'ssm:GetParameters', arn);
    return r.platform.parameter(r.scope, name);
  } catch (err) {
    if (isAwsError(err)) {
      if (err.code === 'ParameterNotFound' || err.code === 'ParameterVersionNotFound') throw new VariableError('Decrypted Variables Error', `parameter does not exist: ${name}`);
      throw new VariableError('Decrypted Variables Error', `${err.code}: ${err.message}`);
    }
    throw err;
  }
}

async function secretValue(r: Resolver, reference: string): Promise<string> {
  const ref = parseSecretReference(reference);
  if (ref.versionStage && ref.versionId) throw new VariableError('Secrets Manager Error', `invalid secrets manager reference ${reference}: give a version stage or a version id, not both`);
  try {
    const secret = r.platform.secret(r.scope, ref.secretId, { versionId: ref.versionId, versionStage: ref.versionStage });
    await r.platform.authorize(r.principal, r.scope.region, 'secretsmanager:GetSecretValue', secret.ARN ?? ref.secretId);
    const text = secret.SecretString ?? (secret.SecretBinary ? Buffer.from(secret.SecretBinary).toString('utf8') : '');
    if (!ref.jsonKey) return text;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new VariableError('Secrets Manager Error', `secret ${ref.secretId} is not a JSON document, so json key ${ref.jsonKey} cannot be read`);
    }
    const value = doc !== null && typeof doc === 'object' && Object.hasOwn(doc, ref.jsonKey) ? (doc as Record<string, unknown>)[ref.jsonKey] : undefined;
    if (value === undefined) throw new VariableError('Secrets Manager Error', `json key ${ref.jsonKey} not found in secret ${ref.secretId}`);
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch (err) {
    if (isAwsError(err)) throw new VariableError('Secrets Manager Error', `${err.code}: ${err.message}`);
    throw err;
  }
}

/**
 * The variables a build's commands see beyond CodeBuild's own, by precedence: StartBuild's
 * override over the project's over the buildspec's `env`. Parameter Store and Secrets Manager
 * values are read as the service role, and listed for masking.
 */
export async function resolveVariables(r: Resolver, buildspec: Buildspec | undefined, environment: EnvironmentVariable[]): Promise<ResolvedVariables> {
  // Without a prototype, a variable named `__proto__` is a variable like any other.
  const values: Record<string, string> = Object.create(null);
  const secrets: string[] = [];
  if (buildspec) {
    Object.assign(values, buildspec.env.variables);
    for (const [name, param] of Object.entries(buildspec.env.parameterStore)) {
      values[name] = await parameterValue(r, param);
      secrets.push(values[name]);
    }
    for (const [name, reference] of Object.entries(buildspec.env.secretsManager)) {
      values[name] = await secretValue(r, reference);
      secrets.push(values[name]);
    }
  }
  for (const v of environment) {
    const name = v.name ?? '';
    const type = v.type ?? 'PLAINTEXT';
    if (type === 'PARAMETER_STORE') {
      values[name] = await parameterValue(r, v.value ?? '');
      secrets.push(values[name]);
    } else if (type === 'SECRETS_MANAGER') {
      values[name] = await secretValue(r, v.value ?? '');
      secrets.push(values[name]);
    } else values[name] = v.value ?? '';
  }
  return { values, secrets };
}

/** Merges the project's variables with StartBuild's override: an override replaces a project variable of the same name. */
export function mergeVariables(project: EnvironmentVariable[] = [], override: EnvironmentVariable[] = []): EnvironmentVariable[] {
  const byName = new Map<string, EnvironmentVariable>();
  for (const v of [...project, ...override]) byName.set(v.name ?? '', { name: v.name, value: v.value ?? '', type: v.type ?? 'PLAINTEXT' });
  return [...byName.values()];
}
