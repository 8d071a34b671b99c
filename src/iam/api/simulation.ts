import type {
  EvaluationResult as SimulationResult,
  GetContextKeysForCustomPolicyRequest,
  GetContextKeysForPolicyResponse,
  GetContextKeysForPrincipalPolicyRequest,
  SimulateCustomPolicyRequest,
  SimulatePolicyResponse,
  SimulatePrincipalPolicyRequest,
  Tag,
} from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.js';
import { operation, type OperationSpec } from '../../core/service.js';
import { evaluate, parsePolicy, PolicyParseError, type ContextValue, type PolicyInput, type PolicyKind, type Principal } from '../policy/index.js';
import { rootArn } from './arns.js';
import { groupNotFound, malformedPolicyDocument, roleNotFound, userNotFound } from './errors.js';
import { paginate } from './pagination.js';
import { IamDirectory } from './principal-policies.js';
import {
  callerMustBeUser,
  checkActionNames,
  checkResourceHandlingOption,
  oneBoundaryOnly,
  readCallerArn,
  readContextEntries,
  readResourceArns,
  readResourceOwner,
  readSourceArn,
  resourceAccount,
  type EntityArn,
} from './simulation-inputs.js';
import { policyContextKeys } from './simulation-keys.js';
import { SimulatedPolicy, simulationResult } from './simulation-results.js';
import type { IamStore } from './store.js';

/**
 * The IAM policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy run the same
 * evaluator that authorizes every request over a set of actions and resources, and
 * GetContextKeysFor*Policy list the context keys those policies read.
 */

/** The policies a simulation evaluates, each with the name IAM reports it under. */
interface PolicySet {
  identity: SimulatedPolicy[];
  boundary?: SimulatedPolicy;
  resource?: SimulatedPolicy;
}

/** Who is simulated as calling, and what their identity puts into the request context. */
interface Subject {
  principal: Principal;
  context: Map<string, { name: string; value: ContextValue }>;
}

interface Entity {
  arn: EntityArn;
  sourceArn: string;
  /** Users and roles call as themselves; a group calls as no one. */
  subject?: Subject;
  policies: SimulatedPolicy[];
  boundary?: SimulatedPolicy;
}

export function simulationOperations(store: IamStore): Record<string, OperationSpec> {
  const directory = new IamDirectory(store.db);

  /** The stored policies of a user (its groups' included), group or role, and the identity it calls with. */
  function loadEntity(sourceArn: string, ctx: RequestContext): Entity {
    const arn = readSourceArn(sourceArn, ctx.accountId);
    if (arn.kind === 'group') {
      const group = store.findGroup(arn.accountId, arn.name);
      if (!group || group.arn !== sourceArn) throw groupNotFound(arn.name);
      return { arn, sourceArn, policies: entityPolicies(store, group.id, arn.accountId) };
    }
    const found = directory.principalPolicies(sourceArn);
    if (!found) throw arn.kind === 'user' ? userNotFound(arn.name) : roleNotFound(arn.name);
    const policies = found.identityPolicies.map((p) => new SimulatedPolicy(p.name, p.document));
    const boundaryName = found.permissionsBoundary && found.permissionsBoundary.arn.slice(found.permissionsBoundary.arn.lastIndexOf('/') + 1);
    return {
      arn,
      sourceArn,
      policies,
      boundary: found.permissionsBoundary && new SimulatedPolicy(boundaryName!, found.permissionsBoundary.document),
      subject: identitySubject(found.type, found.arn, found.accountId, found.id, found.name, found.tags),
    };
  }

  /** CallerArn: an IAM user, possibly of no existing user (IAM does not look it up); its values come from the user when there is one. */
  function callerSubject(callerArn: string): Subject {
    const arn = readCallerArn(callerArn);
    const user = store.findUser(arn.accountId, arn.name);
    if (user && user.arn === callerArn) return identitySubject('user', user.arn, user.accountId, user.id, user.name, store.tags(user.id));
    return identitySubject('user', callerArn, arn.accountId, undefined, arn.name, []);
  }

  function simulate(input: SimulateCustomPolicyRequest, ctx: RequestContext, entity?: Entity): SimulatePolicyResponse {
    const caller = input.CallerArn !== undefined ? callerSubject(input.CallerArn) : entity?.subject;
    if (input.ResourcePolicy !== undefined && caller?.principal.type !== 'user') throw callerMustBeUser();
    checkActionNames(input.ActionNames ?? []);
    const resources = readResourceArns(input.ResourceArns);
    const ownerAccount = input.ResourceOwner !== undefined ? readResourceOwner(input.ResourceOwner) : (caller?.principal.accountId ?? ctx.accountId);
    checkResourceHandlingOption(input.ResourceHandlingOption);
    const policies = simulationPolicies(input, entity);
    const subject = caller ?? anonymousSubject(entity?.sourceArn ?? rootArn(ctx.accountId), entity?.arn.accountId ?? ctx.accountId);

    const context = new Map(subject.context);
    for (const [key, entry] of readContextEntries(input.ContextEntries)) context.set(key, entry);
    const missing = missingKeys(policies, context);

    const byId = new Map<string, SimulatedPolicy>();
    const inputOf = (policy: SimulatedPolicy): PolicyInput => {
      const id = String(byId.size);
      byId.set(id, policy);
      return { id, document: policy.text };
    };
    const identityPolicies = policies.identity.map(inputOf);
    const permissionsBoundary = policies.boundary && inputOf(policies.boundary);
    const resourcePolicy = policies.resource && inputOf(policies.resource);
    const contextValues = Object.fromEntries([...context.values()].map((e) => [e.name, e.value]));

    const results: SimulationResult[] = [];
    for (const action of input.ActionNames ?? []) {
      for (const resource of resources) {
        const account = resourceAccount(resource) ?? ownerAccount;
        const evaluation = evaluate({
          action,
          resource,
          context: contextValues,
          principal: subject.principal,
          identityPolicies,
          resourcePolicy,
          permissionsBoundary,
          resourceAccount: account,
        });
        results.push(
          simulationResult({
            action,
            resource,
            evaluation,
            policies: byId,
            missing,
            crossAccount: account !== subject.principal.accountId,
            hasBoundary: permissionsBoundary !== undefined,
          }),
        );
      }
    }
    const page = paginate(results, input.Marker, input.MaxItems);
    return { EvaluationResults: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  }

  return {
    SimulatePrincipalPolicy: operation<SimulatePrincipalPolicyRequest, SimulatePolicyResponse>({
      iam: { action: 'iam:SimulatePrincipalPolicy', resource: (i) => i.PolicySourceArn ?? '*' },
      handler: (input, ctx) => simulate(input as SimulateCustomPolicyRequest, ctx, loadEntity(input.PolicySourceArn!, ctx)),
    }),

    SimulateCustomPolicy: operation<SimulateCustomPolicyRequest, SimulatePolicyResponse>({
      iam: { action: 'iam:SimulateCustomPolicy', resource: () => '*' },
      handler: (input, ctx) => simulate(input, ctx),
    }),

    GetContextKeysForPrincipalPolicy: operation<GetContextKeysForPrincipalPolicyRequest, GetContextKeysForPolicyResponse>({
      iam: { action: 'iam:GetContextKeysForPrincipalPolicy', resource: (i) => i.PolicySourceArn ?? '*' },
      handler: (input, ctx) => {
        const entity = loadEntity(input.PolicySourceArn!, ctx);
        const extra = inputPolicies(input.PolicyInputList, 'PolicyInputList');
        return { ContextKeyNames: contextKeyNames([...entity.policies, ...extra, ...(entity.boundary ? [entity.boundary] : [])]) };
      },
    }),

    GetContextKeysForCustomPolicy: operation<GetContextKeysForCustomPolicyRequest, GetContextKeysForPolicyResponse>({
      iam: { action: 'iam:GetContextKeysForCustomPolicy', resource: () => '*' },
      handler: (input) => ({ ContextKeyNames: contextKeyNames(inputPolicies(input.PolicyInputList, 'PolicyInputList')) }),
    }),
  };
}

/**
 * The policies of a simulation: the entity's stored ones, then PolicyInputList; the boundary
 * given in the request replaces the stored one; the resource policy when one is given.
 */
function simulationPolicies(input: SimulateCustomPolicyRequest, entity: Entity | undefined): PolicySet {
  const boundaries = inputPolicies(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList');
  if (boundaries.length > 1) throw oneBoundaryOnly();
  return {
    identity: [...(entity?.policies ?? []), ...inputPolicies(input.PolicyInputList, 'PolicyInputList')],
    boundary: boundaries[0] ?? entity?.boundary,
    resource: input.ResourcePolicy === undefined ? undefined : checked(new SimulatedPolicy('ResourcePolicy', input.ResourcePolicy), 'resource'),
  };
}

/** Request documents, named `<Parameter>.<n>` from 1 as IAM names them, each refused with IAM's text when malformed. */
function inputPolicies(texts: string[] | undefined, parameter: string): SimulatedPolicy[] {
  return (texts ?? []).map((text, i) => checked(new SimulatedPolicy(`${parameter}.${i + 1}`, text), 'identity'));
}

function checked(policy: SimulatedPolicy, kind: PolicyKind): SimulatedPolicy {
  try {
    parsePolicy(policy.text, { kind });
  } catch (err) {
    if (err instanceof PolicyParseError) throw malformedPolicyDocument(err.message);
    throw err;
  }
  return policy;
}

/** A group's inline and attached policies. */
function entityPolicies(store: IamStore, entityId: string, accountId: string): SimulatedPolicy[] {
  const policies = store.inlinePolicies(entityId).map((p) => new SimulatedPolicy(p.name, p.document));
  for (const arn of store.attachedPolicyArns(entityId)) {
    const policy = store.findPolicy(accountId, arn);
    if (policy) policies.push(new SimulatedPolicy(policy.name, store.defaultDocument(policy)));
  }
  return policies;
}

/**
 * The global keys a request by this identity carries, so policy variables and conditions on the
 * principal resolve as they would for a real call (iam.md §4 and §6). ContextEntries override them.
 */
function identitySubject(type: 'user' | 'role', arn: string, accountId: string, id: string | undefined, name: string, tags: Tag[]): Subject {
  const context = new Map<string, { name: string; value: ContextValue }>();
  const put = (key: string, value: string) => context.set(key.toLowerCase(), { name: key, value });
  if (type === 'user') put('aws:username', name);
  if (id) put('aws:userid', id);
  put('aws:PrincipalArn', arn);
  put('aws:PrincipalAccount', accountId);
  put('aws:PrincipalType', type === 'user' ? 'User' : 'AssumedRole');
  for (const tag of tags) put(`aws:PrincipalTag/${tag.Key}`, tag.Value ?? '');
  return { principal: { type, arn, accountId, userId: id }, context };
}

/**
 * A group, or custom policies without CallerArn, have no principal, yet the evaluator needs one:
 * a non-root identity of the account under the group's (or the account's) ARN. No resource policy
 * is evaluated against it, since a resource policy requires CallerArn then.
 */
function anonymousSubject(arn: string, accountId: string): Subject {
  return { principal: { type: 'user', arn, accountId }, context: new Map() };
}

/** Every key the simulated policies reference that the request context leaves without a value. */
function missingKeys(policies: PolicySet, context: Map<string, { value: ContextValue }>): string[] {
  const keys = new Map<string, string>();
  for (const policy of [...policies.identity, ...(policies.boundary ? [policies.boundary] : []), ...(policies.resource ? [policies.resource] : [])]) {
    policyContextKeys(policy.text, keys);
  }
  return [...keys].filter(([lower]) => !hasValue(context.get(lower)?.value)).map(([, key]) => key);
}

function hasValue(value: ContextValue | undefined): boolean {
  return value !== undefined && !(Array.isArray(value) && value.length === 0);
}

function contextKeyNames(policies: SimulatedPolicy[]): string[] {
  const keys = new Map<string, string>();
  for (const policy of policies) policyContextKeys(policy.text, keys);
  return [...keys.values()];
}
