import type {
  AttachedPermissionsBoundary,
  AttachedPolicy,
  EntityType,
  GetAccountAuthorizationDetailsRequest,
  GetAccountAuthorizationDetailsResponse,
  GroupDetail,
  ManagedPolicyDetail,
  PolicyDetail,
  RoleDetail,
  UserDetail,
} from '@aws-sdk/client-iam';
import { operation, type OperationSpec } from '../../core/service.js';
import { parsePolicyArn } from './arns.js';
import { awsManagedPolicies } from './aws-managed-policies.js';
import { encodeDocument } from './documents.js';
import { paginate } from './pagination.js';
import type { IamStore, ManagedPolicy } from './store.js';
import { policyView, roleView } from './views.js';

type Item = { user: UserDetail } | { group: GroupDetail } | { role: RoleDetail } | { policy: ManagedPolicyDetail };

const ALL: EntityType[] = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'];

/**
 * Every user, group, role and policy of the account with its policies inline, in one paged list.
 * AWS managed policies appear only while something in the account uses them.
 */
export function accountDetailsOperations(store: IamStore): Record<string, OperationSpec> {
  const inline = (ownerId: string): PolicyDetail[] => store.inlinePolicies(ownerId).map((p) => ({ PolicyName: p.name, PolicyDocument: encodeDocument(p.document) }));
  const attached = (entityId: string): AttachedPolicy[] =>
    store.attachedPolicyArns(entityId).map((arn) => ({ PolicyName: parsePolicyArn(arn)!.name, PolicyArn: arn }));
  const boundary = (arn: string | null): AttachedPermissionsBoundary | undefined =>
    arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined;

  function policyDetail(accountId: string, policy: ManagedPolicy): ManagedPolicyDetail {
    const { Tags: _tags, ...view } = policyView(store, accountId, policy, true);
    return {
      ...view,
      PolicyVersionList: store.policyVersions(policy).map((v) => ({
        Document: encodeDocument(v.document),
        VersionId: v.versionId,
        IsDefaultVersion: v.isDefault,
        CreateDate: new Date(v.createdAt),
      })),
    };
  }

  return {
    GetAccountAuthorizationDetails: operation<GetAccountAuthorizationDetailsRequest, GetAccountAuthorizationDetailsResponse>({
      iam: { action: 'iam:GetAccountAuthorizationDetails', resource: () => '*' },
      handler: (input, ctx) => {
        const filter = new Set(input.Filter && input.Filter.length > 0 ? input.Filter : ALL);
        const account = ctx.accountId;
        const items: Item[] = [];
        if (filter.has('User')) {
          for (const u of store.users(account)) {
            const tags = store.tags(u.id);
            items.push({
              user: {
                Path: u.path,
                UserName: u.name,
                UserId: u.id,
                Arn: u.arn,
                CreateDate: new Date(u.createdAt),
                UserPolicyList: inline(u.id),
                GroupList: store.groupsOfUser(u.id).map((g) => g.name),
                AttachedManagedPolicies: attached(u.id),
                PermissionsBoundary: boundary(u.permissionsBoundary),
                Tags: tags.length > 0 ? tags : undefined,
              },
            });
          }
        }
        if (filter.has('Group')) {
          for (const g of store.groups(account)) {
            items.push({
              group: {
                Path: g.path,
                GroupName: g.name,
                GroupId: g.id,
                Arn: g.arn,
                CreateDate: new Date(g.createdAt),
                GroupPolicyList: inline(g.id),
                AttachedManagedPolicies: attached(g.id),
              },
            });
          }
        }
        if (filter.has('Role')) {
          for (const r of store.roles(account)) {
            const view = roleView(store, r, true);
            items.push({
              role: {
                Path: view.Path,
                RoleName: view.RoleName,
                RoleId: view.RoleId,
                Arn: view.Arn,
                CreateDate: view.CreateDate,
                AssumeRolePolicyDocument: view.AssumeRolePolicyDocument,
                InstanceProfileList: [],
                RolePolicyList: inline(r.id),
                AttachedManagedPolicies: attached(r.id),
                PermissionsBoundary: view.PermissionsBoundary,
                Tags: view.Tags,
                RoleLastUsed: view.RoleLastUsed,
              },
            });
          }
        }
        if (filter.has('LocalManagedPolicy')) {
          for (const p of store.localPolicies(account)) items.push({ policy: policyDetail(account, p) });
        }
        if (filter.has('AWSManagedPolicy')) {
          for (const aws of awsManagedPolicies()) {
            if (store.attachmentCount(account, aws.arn) + store.boundaryUsageCount(account, aws.arn) === 0) continue;
            items.push({ policy: policyDetail(account, store.findPolicy(account, aws.arn)!) });
          }
        }
        const page = paginate(items, input.Marker, input.MaxItems);
        return {
          UserDetailList: page.items.flatMap((i) => ('user' in i ? [i.user] : [])),
          GroupDetailList: page.items.flatMap((i) => ('group' in i ? [i.group] : [])),
          RoleDetailList: page.items.flatMap((i) => ('role' in i ? [i.role] : [])),
          Policies: page.items.flatMap((i) => ('policy' in i ? [i.policy] : [])),
          IsTruncated: page.IsTruncated,
          Marker: page.Marker,
        };
      },
    }),
  };
}
