import type { PutParameterRequest, PutParameterResult } from '@aws-sdk/client-ssm';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import {
  invalidAllowedPattern,
  invalidKeyId,
  parameterAlreadyExists,
  parameterLimitExceeded,
  parameterMaxVersionLimitExceeded,
  parameterPatternMismatch,
  validation,
} from './errors.js';
import { requestedArn } from './iam.js';
import { checkNewName } from './names.js';
import type { ParameterRecord, ParameterType, VersionRecord } from './parameter-store.js';
import type { Parameters } from './parameters.js';
import { compileAllowedPattern } from './patterns.js';
import { parsePolicies } from './policies.js';
import { checkTags } from './tag-rules.js';
import { TIER_LIMITS, chooseTier } from './tiers.js';

const DEFAULT_KEY = 'alias/aws/ssm';
const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
const MAX_VERSIONS = 100;
/** A key ID, key ARN, alias name, alias ARN or multi-Region key ID, as KMS accepts them. */
const KMS_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})|alias\/[a-zA-Z0-9/_-]+)|alias\/[a-zA-Z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** PutParameter: creates a parameter, or with Overwrite adds a version that keeps what the request leaves out. */
export function putParameter(params: Parameters, input: PutParameterRequest, ctx: RequestContext): PutParameterResult {
  const name = input.Name!;
  const value = input.Value!;
  if (value === '') throw validation("1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.");
  if (input.Overwrite && input.Tags && input.Tags.length > 0) {
    throw validation(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  checkNewName(name, ctx);
  const existing = params.find(ctx, name);
  if (existing && !input.Overwrite) throw parameterAlreadyExists();
  const type = (input.Type ?? existing?.type) as ParameterType | undefined;
  if (!type) throw validation('A parameter type is required when you create a parameter.');
  if (input.KeyId !== undefined && type !== 'SecureString') throw validation('KeyId is required for SecureString type parameter only.');
  const keyId = type === 'SecureString' ? input.KeyId ?? (existing?.type === 'SecureString' ? existing.keyId : null) ?? DEFAULT_KEY : null;
  if (keyId !== null && !KMS_KEY.test(keyId)) throw invalidKeyId();

  const dataType = input.DataType ?? existing?.dataType ?? 'text';
  if (!DATA_TYPES.includes(dataType)) throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  if (dataType === 'aws:ec2:image' && !/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(value)) {
    throw validation(`Parameter value, ${value}, is not a valid image ID for data type aws:ec2:image.`);
  }

  const allowedPattern = input.AllowedPattern ?? existing?.allowedPattern ?? null;
  if (allowedPattern !== null) {
    const re = compileAllowedPattern(allowedPattern);
    if (!re) throw invalidAllowedPattern();
    if (!re.test(value)) throw parameterPatternMismatch(allowedPattern);
  }
  const policies = input.Policies !== undefined ? parsePolicies(input.Policies) : existing?.policies ? parsePolicies(existing.policies) : null;
  const tier = chooseTier(input.Tier, existing?.tier, value.length, policies !== null);
  const tags = checkTags([], input.Tags ?? []);

  const now = params.now();
  if (policies?.expiresAt != null && policies.expiresAt <= now) {
    throw validation('The Expiration policy timestamp must be later than the current date and time.');
  }
  const next = (existing?.version ?? 0) + 1;
  const version: VersionRecord = {
    version: next,
    type,
    keyId,
    value: params.encode(ctx, name, next, type, value),
    description: input.Description ?? existing?.description ?? null,
    allowedPattern,
    tier,
    policies: policies?.text ?? null,
    dataType,
    modifiedAt: now,
    modifiedBy: ctx.principalArn,
  };

  params.store.transaction(() => {
    if (existing) {
      dropOldestVersion(params, existing);
    } else if (params.store.count(ctx.accountId, ctx.region, tier) >= TIER_LIMITS[tier]) {
      throw parameterLimitExceeded();
    }
    const id = params.store.putVersion({ ...ctx, name }, existing?.id, version, policies?.expiresAt ?? null);
    if (tags.length > 0) params.store.putTags(id, tags);
  });
  return { Version: version.version, Tier: tier };
}

/** A parameter keeps its last 100 versions; the oldest goes, unless a label holds it. */
function dropOldestVersion(params: Parameters, p: ParameterRecord): void {
  const versions = params.store.versions(p.id);
  if (versions.length < MAX_VERSIONS) return;
  const oldest = versions[0].version;
  if (params.store.labels(p.id).has(oldest)) throw parameterMaxVersionLimitExceeded(p.name, oldest);
  params.store.deleteVersion(p.id, oldest);
}

export function putOperations(params: Parameters): Record<string, OperationSpec> {
  return {
    PutParameter: operation<PutParameterRequest, PutParameterResult>({
      iam: {
        action: 'ssm:PutParameter',
        resource: (i, ctx) => requestedArn(ctx, i.Name),
        conditionKeys: (i) => ({
          'ssm:Overwrite': String(Boolean(i.Overwrite)),
          ...(i.Tags?.length ? { 'aws:TagKeys': i.Tags.map((t) => t.Key ?? '') } : {}),
          ...Object.fromEntries((i.Tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])),
        }),
      },
      handler: (input, ctx) => putParameter(params, input, ctx),
    }),
  };
}
