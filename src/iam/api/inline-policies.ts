import type { RequestContext } from '../../core/context.js';
import { operation, type OperationSpec } from '../../core/service.js';
import { checkDocument, encodeDocument, policySize } from './documents.js';
import { inlinePolicyNotFound, limitExceeded } from './errors.js';
import { paginate } from './pagination.js';
import { arnOf, boundaryConditionKey } from './requests.js';
import type { IamStore } from './store.js';

type OwnerKind = 'user' | 'group' | 'role';

/** IAM's quota on the summed size of one entity's inline policies, whitespace not counted. */
const AGGREGATE_SIZE: Record<OwnerKind, number> = { user: 2048, group: 5120, role: 10240 };

interface Owner {
  id: string;
  name: string;
  permissionsBoundary?: string | null;
}

/** Put/Get/List/Delete{User,Group,Role}Policy: documents embedded in one entity, by name. */
export function inlinePolicyOperations(store: IamStore): Record<string, OperationSpec> {
  const db = store.db;
  return { ...forOwner(store, db, 'user'), ...forOwner(store, db, 'group'), ...forOwner(store, db, 'role') };
}

function forOwner(store: IamStore, db: IamStore['db'], kind: OwnerKind): Record<string, OperationSpec> {
  const Kind = kind === 'user' ? 'User' : kind === 'group' ? 'Group' : 'Role';
  const nameMember = `${Kind}Name`;
  type Input = Record<string, string | number | undefined>;

  const ownerName = (i: Input) => i[nameMember] as string | undefined;
  const requireOwner = (ctx: RequestContext, name: string): Owner =>
    kind === 'user' ? store.requireUser(ctx.accountId, name) : kind === 'group' ? store.requireGroup(ctx.accountId, name) : store.requireRole(ctx.accountId, name);
  const resource = (i: Input, ctx: RequestContext) => arnOf(store, ctx, kind, ownerName(i));
  const boundaryKey = (i: Input, ctx: RequestContext) => {
    const name = ownerName(i);
    if (kind === 'group' || name === undefined) return {};
    const owner = kind === 'user' ? store.findUser(ctx.accountId, name) : store.findRole(ctx.accountId, name);
    return boundaryConditionKey(owner?.permissionsBoundary);
  };
  const find = (owner: Owner, policyName: string) =>
    db.prepare('SELECT name, document FROM iam_inline_policies WHERE owner_id = ? AND name = ? COLLATE NOCASE').get(owner.id, policyName) as
      | { name: string; document: string }
      | undefined;

  return {
    [`Put${Kind}Policy`]: operation<Input, object>({
      iam: { action: `iam:Put${Kind}Policy`, resource, conditionKeys: kind === 'group' ? undefined : boundaryKey },
      handler: (input, ctx) => {
        const owner = requireOwner(ctx, ownerName(input)!);
        const policyName = input.PolicyName as string;
        const document = input.PolicyDocument as string;
        checkDocument(document, 'inline');
        const others = store.inlinePolicies(owner.id).filter((p) => p.name.toLowerCase() !== policyName.toLowerCase());
        const total = others.reduce((sum, p) => sum + policySize(p.document), policySize(document));
        if (total > AGGREGATE_SIZE[kind]) throw limitExceeded(`Maximum policy size of ${AGGREGATE_SIZE[kind]} bytes exceeded for ${kind} ${owner.name}`);
        db.transaction(() => {
          db.prepare('DELETE FROM iam_inline_policies WHERE owner_id = ? AND name = ? COLLATE NOCASE').run(owner.id, policyName);
          db.prepare('INSERT INTO iam_inline_policies (owner_id, name, document) VALUES (?, ?, ?)').run(owner.id, policyName, document);
        })();
        return {};
      },
    }),

    [`Get${Kind}Policy`]: operation<Input, object>({
      iam: { action: `iam:Get${Kind}Policy`, resource },
      handler: (input, ctx) => {
        const owner = requireOwner(ctx, ownerName(input)!);
        const policy = find(owner, input.PolicyName as string);
        if (!policy) throw inlinePolicyNotFound(kind, input.PolicyName as string);
        return { [nameMember]: owner.name, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
      },
    }),

    [`List${Kind}Policies`]: operation<Input, object>({
      iam: { action: `iam:List${Kind}Policies`, resource },
      handler: (input, ctx) => {
        const owner = requireOwner(ctx, ownerName(input)!);
        const page = paginate(
          store.inlinePolicies(owner.id).map((p) => p.name),
          input.Marker as string | undefined,
          input.MaxItems as number | undefined,
        );
        return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),

    [`Delete${Kind}Policy`]: operation<Input, object>({
      iam: { action: `iam:Delete${Kind}Policy`, resource, conditionKeys: kind === 'group' ? undefined : boundaryKey },
      handler: (input, ctx) => {
        const owner = requireOwner(ctx, ownerName(input)!);
        const removed = db.prepare('DELETE FROM iam_inline_policies WHERE owner_id = ? AND name = ? COLLATE NOCASE').run(owner.id, input.PolicyName as string);
        if (removed.changes === 0) throw inlinePolicyNotFound(kind, input.PolicyName as string);
        return {};
      },
    }),
  };
}
