import type { AttachedPolicy, ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse, PolicyGroup, PolicyRole, PolicyUser } from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.js';
import { operation, type OperationSpec } from '../../core/service.js';
import { parsePolicyArn } from './arns.js';
import { invalidArn, policyNotAttachable, policyNotFound, quotaExceeded } from './errors.js';
import { paginate } from './pagination.js';
import { arnOf, boundaryConditionKey } from './requests.js';
import type { IamStore } from './store.js';

type OwnerKind = 'user' | 'group' | 'role';

/** IAM's default quota of managed policies attached to one user, group or role. */
const ATTACHED_PER_ENTITY = 10;

interface Owner {
  id: string;
  name: string;
  permissionsBoundary?: string | null;
}

/** Attach/Detach{User,Group,Role}Policy, ListAttached{User,Group,Role}Policies and ListEntitiesForPolicy. */
export function attachmentOperations(store: IamStore): Record<string, OperationSpec> {
  return { ...forOwner(store, 'user'), ...forOwner(store, 'group'), ...forOwner(store, 'role'), ...entitiesForPolicy(store) };
}

function forOwner(store: IamStore, kind: OwnerKind): Record<string, OperationSpec> {
  const db = store.db;
  const Kind = kind === 'user' ? 'User' : kind === 'group' ? 'Group' : 'Role';
  type Input = Record<string, string | number | undefined>;
  const ownerName = (i: Input) => i[`${Kind}Name`] as string | undefined;
  const requireOwner = (ctx: RequestContext, name: string): Owner =>
    kind === 'user' ? store.requireUser(ctx.accountId, name) : kind === 'group' ? store.requireGroup(ctx.accountId, name) : store.requireRole(ctx.accountId, name);
  const resource = (i: Input, ctx: RequestContext) => arnOf(store, ctx, kind, ownerName(i));
  const conditionKeys = (i: Input, ctx: RequestContext) => {
    const keys: Record<string, string> = i.PolicyArn === undefined ? {} : { 'iam:PolicyARN': i.PolicyArn as string };
    const name = ownerName(i);
    if (kind === 'group' || name === undefined) return keys;
    const owner = kind === 'user' ? store.findUser(ctx.accountId, name) : store.findRole(ctx.accountId, name);
    return { ...keys, ...boundaryConditionKey(owner?.permissionsBoundary) };
  };

  return {
    [`Attach${Kind}Policy`]: operation<Input, object>({
      iam: { action: `iam:Attach${Kind}Policy`, resource, conditionKeys },
      handler: (input, ctx) => {
        const owner = requireOwner(ctx, ownerName(input)!);
        const arn = input.PolicyArn as string;
        if (!parsePolicyArn(arn)) throw invalidArn(arn);
        if (!store.findPolicy(ctx.accountId, arn)) throw policyNotAttachable(arn);
        const attached = store.attachedPolicyArns(owner.id);
        if (attached.includes(arn)) return {};
        if (attached.length >= ATTACHED_PER_ENTITY) throw quotaExceeded(`PoliciesPer${Kind}`, ATTACHED_PER_ENTITY);
        db.prepare('INSERT INTO iam_attachments (entity_id, policy_arn) VALUES (?, ?)').run(owner.id, arn);
        return {};
      },
    }),

    [`Detach${Kind}Policy`]: operation<Input, object>({
      iam: { action: `iam:Detach${Kind}Policy`, resource, conditionKeys },
      handler: (input, ctx) => {
        const owner = requireOwner(ctx, ownerName(input)!);
        const arn = input.PolicyArn as string;
        if (!parsePolicyArn(arn)) throw invalidArn(arn);
        const removed = db.prepare('DELETE FROM iam_attachments WHERE entity_id = ? AND policy_arn = ?').run(owner.id, arn);
        if (removed.changes === 0) throw policyNotFound(arn);
        return {};
      },
    }),

    [`ListAttached${Kind}Policies`]: operation<Input, object>({
      iam: { action: `iam:ListAttached${Kind}Policies`, resource },
      handler: (input, ctx) => {
        const owner = requireOwner(ctx, ownerName(input)!);
        const prefix = (input.PathPrefix as string | undefined) ?? '/';
        const attached: AttachedPolicy[] = store
          .attachedPolicyArns(owner.id)
          .map((arn) => ({ arn, parts: parsePolicyArn(arn)! }))
          .filter(({ parts }) => parts.path.startsWith(prefix))
          .map(({ arn, parts }) => ({ PolicyName: parts.name, PolicyArn: arn }));
        const page = paginate(attached, input.Marker as string | undefined, input.MaxItems as number | undefined);
        return { AttachedPolicies: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),
  };
}

type Entity = { group: PolicyGroup } | { user: PolicyUser } | { role: PolicyRole };

function entitiesForPolicy(store: IamStore): Record<string, OperationSpec> {
  return {
    ListEntitiesForPolicy: operation<ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse>({
      iam: { action: 'iam:ListEntitiesForPolicy', resource: (i) => i.PolicyArn ?? '*' },
      handler: (input, ctx) => {
        const policy = store.requirePolicy(ctx.accountId, input.PolicyArn!);
        const filter = input.EntityFilter;
        const scopeMatches =
          (filter !== 'LocalManagedPolicy' || policy.scope === 'Local') && (filter !== 'AWSManagedPolicy' || policy.scope === 'AWS');
        const wants = (kind: 'User' | 'Group' | 'Role') => scopeMatches && (filter === undefined || filter === kind || filter.endsWith('ManagedPolicy'));
        const prefix = input.PathPrefix ?? '/';
        const usage = input.PolicyUsageFilter;

        const attachedIds = new Set(usage === 'PermissionsBoundary' ? [] : store.entitiesWithPolicy(ctx.accountId, policy.arn));
        const boundaryIds = new Set(
          usage === 'PermissionsPolicy'
            ? []
            : [...store.boundaryUsers(ctx.accountId, policy.arn), ...store.boundaryRoles(ctx.accountId, policy.arn)].map((e) => e.id),
        );
        const uses = (id: string) => attachedIds.has(id) || boundaryIds.has(id);

        const entities: Entity[] = [
          ...(wants('Group') ? store.groups(ctx.accountId).filter((g) => uses(g.id) && g.path.startsWith(prefix)) : []).map((g) => ({
            group: { GroupName: g.name, GroupId: g.id },
          })),
          ...(wants('User') ? store.users(ctx.accountId).filter((u) => uses(u.id) && u.path.startsWith(prefix)) : []).map((u) => ({
            user: { UserName: u.name, UserId: u.id },
          })),
          ...(wants('Role') ? store.roles(ctx.accountId).filter((r) => uses(r.id) && r.path.startsWith(prefix)) : []).map((r) => ({
            role: { RoleName: r.name, RoleId: r.id },
          })),
        ];
        const page = paginate(entities, input.Marker, input.MaxItems);
        return {
          PolicyGroups: page.items.flatMap((e) => ('group' in e ? [e.group] : [])),
          PolicyUsers: page.items.flatMap((e) => ('user' in e ? [e.user] : [])),
          PolicyRoles: page.items.flatMap((e) => ('role' in e ? [e.role] : [])),
          IsTruncated: page.IsTruncated,
          Marker: page.Marker,
        };
      },
    }),
  };
}
