import type {
  AccessKeyMetadata,
  CreateAccessKeyRequest,
  CreateAccessKeyResponse,
  DeleteAccessKeyRequest,
  GetAccessKeyLastUsedRequest,
  GetAccessKeyLastUsedResponse,
  ListAccessKeysRequest,
  ListAccessKeysResponse,
  UpdateAccessKeyRequest,
} from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.js';
import { operation, type OperationSpec } from '../../core/service.js';
import { rootArn } from './arns.js';
import { accessKeyNotFound, quotaExceeded } from './errors.js';
import { newAccessKeyId, newSecretAccessKey } from './ids.js';
import { paginate } from './pagination.js';
import { impliedUser, userArnOrCaller } from './requests.js';
import type { IamStore, UserRecord } from './store.js';

const KEYS_PER_USER = 2;

interface KeyRow {
  id: string;
  account_id: string;
  user_id: string | null;
  status: string;
  created_at: number;
  last_used_at: number | null;
  last_used_service: string | null;
  last_used_region: string | null;
}

/**
 * Long-term access keys of IAM users and of the account root (a key without a user), two at most
 * each. Left without UserName, an operation acts on the caller's own keys.
 */
export function accessKeyOperations(store: IamStore): Record<string, OperationSpec> {
  const db = store.db;
  const resource = (i: { UserName?: string }, ctx: RequestContext) => userArnOrCaller(store, ctx, i.UserName);

  function keysOf(ctx: RequestContext, user: UserRecord | undefined): KeyRow[] {
    return (
      user
        ? db.prepare('SELECT * FROM iam_access_keys WHERE user_id = ? ORDER BY created_at, id').all(user.id)
        : db.prepare('SELECT * FROM iam_access_keys WHERE account_id = ? AND user_id IS NULL ORDER BY created_at, id').all(ctx.accountId)
    ) as KeyRow[];
  }

  function requireKey(ctx: RequestContext, user: UserRecord | undefined, id: string): KeyRow {
    const key = keysOf(ctx, user).find((k) => k.id === id);
    if (!key) throw accessKeyNotFound(id);
    return key;
  }

  const metadata = (key: KeyRow, user: UserRecord | undefined): AccessKeyMetadata => ({
    UserName: user?.name,
    AccessKeyId: key.id,
    Status: key.status as AccessKeyMetadata['Status'],
    CreateDate: new Date(key.created_at),
  });

  return {
    CreateAccessKey: operation<CreateAccessKeyRequest, CreateAccessKeyResponse>({
      iam: { action: 'iam:CreateAccessKey', resource },
      handler: (input, ctx) => {
        const user = impliedUser(store, ctx, input.UserName);
        if (keysOf(ctx, user).length >= KEYS_PER_USER) throw quotaExceeded('AccessKeysPerUser', KEYS_PER_USER);
        const id = newAccessKeyId();
        const secret = newSecretAccessKey();
        const now = store.now();
        db.prepare("INSERT INTO iam_access_keys (id, account_id, user_id, secret, status, created_at) VALUES (?, ?, ?, ?, 'Active', ?)").run(
          id,
          ctx.accountId,
          user?.id ?? null,
          secret,
          now,
        );
        return { AccessKey: { UserName: user?.name, AccessKeyId: id, Status: 'Active', SecretAccessKey: secret, CreateDate: new Date(now) } as CreateAccessKeyResponse['AccessKey'] };
      },
    }),

    ListAccessKeys: operation<ListAccessKeysRequest, ListAccessKeysResponse>({
      iam: { action: 'iam:ListAccessKeys', resource },
      handler: (input, ctx) => {
        const user = impliedUser(store, ctx, input.UserName);
        const page = paginate(keysOf(ctx, user), input.Marker, input.MaxItems);
        return { AccessKeyMetadata: page.items.map((k) => metadata(k, user)), IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),

    UpdateAccessKey: operation<UpdateAccessKeyRequest, object>({
      iam: { action: 'iam:UpdateAccessKey', resource },
      handler: (input, ctx) => {
        const key = requireKey(ctx, impliedUser(store, ctx, input.UserName), input.AccessKeyId!);
        db.prepare('UPDATE iam_access_keys SET status = ? WHERE id = ?').run(input.Status!, key.id);
        return {};
      },
    }),

    DeleteAccessKey: operation<DeleteAccessKeyRequest, object>({
      iam: { action: 'iam:DeleteAccessKey', resource },
      handler: (input, ctx) => {
        const key = requireKey(ctx, impliedUser(store, ctx, input.UserName), input.AccessKeyId!);
        db.prepare('DELETE FROM iam_access_keys WHERE id = ?').run(key.id);
        return {};
      },
    }),

    GetAccessKeyLastUsed: operation<GetAccessKeyLastUsedRequest, GetAccessKeyLastUsedResponse>({
      iam: {
        action: 'iam:GetAccessKeyLastUsed',
        resource: (i, ctx) => {
          const key = db.prepare('SELECT * FROM iam_access_keys WHERE id = ? AND account_id = ?').get(i.AccessKeyId, ctx.accountId) as KeyRow | undefined;
          const owner = key?.user_id ? store.userById(key.user_id) : undefined;
          return owner?.arn ?? rootArn(ctx.accountId);
        },
      },
      handler: (input, ctx) => {
        const key = db.prepare('SELECT * FROM iam_access_keys WHERE id = ? AND account_id = ?').get(input.AccessKeyId, ctx.accountId) as KeyRow | undefined;
        if (!key) throw accessKeyNotFound(input.AccessKeyId!);
        const owner = key.user_id ? store.userById(key.user_id) : undefined;
        // A key never used reports N/A for its service and region, and no date.
        return {
          UserName: owner?.name,
          AccessKeyLastUsed: {
            LastUsedDate: key.last_used_at === null ? undefined : new Date(key.last_used_at),
            ServiceName: key.last_used_service ?? 'N/A',
            Region: key.last_used_region ?? 'N/A',
          } as GetAccessKeyLastUsedResponse['AccessKeyLastUsed'],
        };
      },
    }),
  };
}
