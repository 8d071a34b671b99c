import type { AssumeRoleRequest, AssumeRoleResponse } from '@aws-sdk/client-sts';
import type { Clock } from '../core/clock.js';
import type { CallerIdentity } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { parsePolicyArn } from '../iam/api/arns.js';
import { parsePolicy, PolicyParseError } from '../iam/policy/index.js';
import { globalContext, mayActOnRole } from './authorization.js';
import { callerSession } from './caller-session.js';
import { expiration, newTemporaryCredentials } from './credentials.js';
import {
  durationOverChainLimit,
  durationOverRoleMax,
  invalidArn,
  malformedPolicyDocument,
  mfaFailed,
  notAuthorized,
  rootCannotAssumeRoles,
  sourceIdentityChanged,
} from './errors.js';
import type { IamView } from './iam-view.js';
import { packedPolicySize, sessionTags } from './session-tags.js';
import type { StsSessions } from './sessions.js';

const DEFAULT_DURATION = 3600;
/** Role chaining (and any call made with temporary credentials) caps a role session at one hour. */
const CHAINED_MAX_DURATION = 3600;

/** The condition keys AssumeRole supplies to the trust policy and, later, to enforcement. */
function requestKeys(input: AssumeRoleRequest): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = { 'sts:RoleSessionName': input.RoleSessionName ?? '' };
  if (input.ExternalId !== undefined) keys['sts:ExternalId'] = input.ExternalId;
  if (input.SourceIdentity !== undefined) keys['sts:SourceIdentity'] = input.SourceIdentity;
  if (input.TransitiveTagKeys?.length) keys['sts:TransitiveTagKeys'] = input.TransitiveTagKeys;
  if (input.Tags?.length) {
    keys['aws:TagKeys'] = input.Tags.map((t) => t.Key ?? '');
    for (const tag of input.Tags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value ?? '';
  }
  return keys;
}

/** STS checks only that the role ARN has an ARN's six parts; a well-formed ARN naming no role is denied. */
function checkArn(arn: string): void {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1] || !parts[2] || !parts.slice(5).join(':')) throw invalidArn(arn);
}

function checkSessionPolicies(policy: string | undefined, policyArns: string[]): void {
  if (policy !== undefined) {
    try {
      parsePolicy(policy, { kind: 'identity' });
    } catch (err) {
      if (err instanceof PolicyParseError) throw malformedPolicyDocument(err.message);
      throw err;
    }
  }
  for (const arn of policyArns) if (!parsePolicyArn(arn)) throw invalidArn(arn);
}

export function assumeRoleOperation(sessions: StsSessions, iam: IamView, clock: Clock): OperationSpec<AssumeRoleRequest, AssumeRoleResponse> {
  return operation<AssumeRoleRequest, AssumeRoleResponse>({
    iam: { action: 'sts:AssumeRole', decidedBy: 'in-handler', resource: (i) => i.RoleArn!, conditionKeys: requestKeys },
    handler: (input, ctx) => {
      const fromSession = callerSession(sessions, ctx);
      const caller = ctx.caller;
      const roleArn = input.RoleArn!;
      const sessionName = input.RoleSessionName!;
      checkArn(roleArn);
      const tags = sessionTags(input.Tags, input.TransitiveTagKeys, fromSession);
      const policyArns = (input.PolicyArns ?? []).map((p) => p.arn ?? '');
      checkSessionPolicies(input.Policy, policyArns);
      const packedSize = packedPolicySize(input.Policy, policyArns, tags.tags);

      if (caller.type === 'root') throw rootCannotAssumeRoles();
      const role = iam.roleByArn(roleArn);
      if (!role) throw notAuthorized(caller.arn, 'sts:AssumeRole', roleArn);
      if (input.SerialNumber !== undefined || input.TokenCode !== undefined) throw mfaFailed();

      // A source identity, once set, stays with every session chained from it (IAM UG, source identity).
      const inheritedSource = fromSession?.sourceIdentity;
      if (inheritedSource !== undefined && input.SourceIdentity !== undefined && input.SourceIdentity !== inheritedSource) throw sourceIdentityChanged();
      const sourceIdentity = input.SourceIdentity ?? inheritedSource;

      const now = clock.now();
      const policies = iam.principalPolicies(caller.arn);
      const context = { ...globalContext(caller, policies, fromSession, ctx, now), ...requestKeys({ ...input, SourceIdentity: sourceIdentity }) };
      const allowed = (action: string) => mayActOnRole(iam, action, role, caller, policies, fromSession, context);
      if (!allowed('sts:AssumeRole')) throw notAuthorized(caller.arn, 'sts:AssumeRole', roleArn);
      // Passing session tags and setting a source identity (an inherited one too) are permissions of their own (IAM UG, session tags; source identity).
      if (input.Tags?.length && !allowed('sts:TagSession')) throw notAuthorized(caller.arn, 'sts:TagSession', roleArn);
      if (sourceIdentity !== undefined && !allowed('sts:SetSourceIdentity')) throw notAuthorized(caller.arn, 'sts:SetSourceIdentity', roleArn);

      const duration = input.DurationSeconds ?? DEFAULT_DURATION;
      if (fromSession && duration > CHAINED_MAX_DURATION) throw durationOverChainLimit();
      if (duration > role.maxSessionDuration) throw durationOverRoleMax();

      const credentials = newTemporaryCredentials();
      const identity: Omit<CallerIdentity, 'accessKeyId'> = {
        type: 'role-session',
        // Assumed-role ARNs carry the role's name without its path.
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
        accountId: role.accountId,
        userId: `${role.id}:${sessionName}`,
        roleArn: role.arn,
        sessionName,
      };
      const session = sessions.insert({
        accessKeyId: credentials.accessKeyId,
        secret: credentials.secretAccessKey,
        token: credentials.sessionToken,
        kind: 'AssumeRole',
        accountId: role.accountId,
        caller: identity,
        roleArn: role.arn,
        sourceArn: caller.arn,
        sessionPolicies: { ...(input.Policy === undefined ? {} : { policy: input.Policy }), policyArns },
        tags: tags.tags,
        transitiveTagKeys: tags.transitiveTagKeys,
        ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
        issuedAt: now,
        expiresAt: expiration(now, duration),
      });
      iam.recordRoleUse(role.arn, ctx.region);
      return {
        Credentials: {
          AccessKeyId: session.accessKeyId,
          SecretAccessKey: session.secret,
          SessionToken: session.token,
          Expiration: session.expiresAt,
        },
        AssumedRoleUser: { AssumedRoleId: identity.userId, Arn: identity.arn },
        PackedPolicySize: packedSize,
        SourceIdentity: sourceIdentity,
      };
    },
  });
}
