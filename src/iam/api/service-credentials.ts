import type {
  CreateServiceSpecificCredentialRequest,
  CreateServiceSpecificCredentialResponse,
  DeleteServiceSpecificCredentialRequest,
  ListServiceSpecificCredentialsRequest,
  ListServiceSpecificCredentialsResponse,
  ResetServiceSpecificCredentialRequest,
  ResetServiceSpecificCredentialResponse,
  ServiceSpecificCredential,
  ServiceSpecificCredentialMetadata,
  UpdateServiceSpecificCredentialRequest,
} from '@aws-sdk/client-iam';
import type { RequestContext } from '../../core/context.js';
import { operation, type OperationSpec } from '../../core/service.js';
import { arnOf, impliedUser, userArnOrCaller } from './requests.js';
import { quotaExceeded, serviceCredentialNotFound, serviceNotSupported } from './errors.js';
import { entityId, newServicePassword } from './ids.js';
import { paginate } from './pagination.js';
import type { IamStore, UserRecord } from './store.js';

/** The one service codesuite issues credentials for: HTTPS Git to CodeCommit. */
export const SUPPORTED_SERVICES = ['codecommit.amazonaws.com'];
const PER_USER_PER_SERVICE = 2;

interface CredentialRow {
  id: string;
  account_id: string;
  user_id: string;
  service_name: string;
  service_user_name: string;
  password: string;
  status: string;
  created_at: number;
}

/**
 * Service-specific credentials (HTTPS Git credentials), IAM users only. The user name is
 * `<user>-at-<account>` for a user's first credential and `<user>+1-at-<account>`, `+2`… for the
 * next, as IAM's own examples show; it never changes afterwards, even when the user is renamed.
 */
export function serviceCredentialOperations(store: IamStore): Record<string, OperationSpec> {
  const db = store.db;
  const serviceKey = (i: { ServiceSpecificCredentialId?: string }): Record<string, string> => {
    const row = db.prepare('SELECT service_name FROM iam_service_credentials WHERE id = ?').pluck().get(i.ServiceSpecificCredentialId ?? '') as
      | string
      | undefined;
    return row ? { 'iam:ServiceSpecificCredentialServiceName': row } : {};
  };
  const resource = (i: { UserName?: string }, ctx: RequestContext) => userArnOrCaller(store, ctx, i.UserName);

  function serviceUserName(user: UserRecord): string {
    const taken = db.prepare('SELECT 1 FROM iam_service_credentials WHERE service_user_name = ?');
    for (let n = 0; ; n++) {
      const candidate = `${user.name}${n === 0 ? '' : `+${n}`}-at-${user.accountId}`;
      if (!taken.get(candidate)) return candidate;
    }
  }

  function requireCredential(ctx: RequestContext, userName: string | undefined, id: string): { row: CredentialRow; user: UserRecord } {
    const user = impliedUser(store, ctx, userName);
    const row = user && (db.prepare('SELECT * FROM iam_service_credentials WHERE id = ? AND user_id = ?').get(id, user.id) as CredentialRow | undefined);
    if (!user || !row) throw serviceCredentialNotFound(id);
    return { row, user };
  }

  const metadata = (row: CredentialRow, user: UserRecord): ServiceSpecificCredentialMetadata => ({
    UserName: user.name,
    Status: row.status as ServiceSpecificCredentialMetadata['Status'],
    ServiceUserName: row.service_user_name,
    CreateDate: new Date(row.created_at),
    ServiceSpecificCredentialId: row.id,
    ServiceName: row.service_name,
  });

  const withPassword = (row: CredentialRow, user: UserRecord): ServiceSpecificCredential => ({
    CreateDate: new Date(row.created_at),
    ServiceName: row.service_name,
    ServiceUserName: row.service_user_name,
    ServicePassword: row.password,
    ServiceSpecificCredentialId: row.id,
    UserName: user.name,
    Status: row.status as ServiceSpecificCredential['Status'],
  });

  const byId = (id: string) => db.prepare('SELECT * FROM iam_service_credentials WHERE id = ?').get(id) as CredentialRow;

  return {
    CreateServiceSpecificCredential: operation<CreateServiceSpecificCredentialRequest, CreateServiceSpecificCredentialResponse>({
      iam: {
        action: 'iam:CreateServiceSpecificCredential',
        resource: (i, ctx) => arnOf(store, ctx, 'user', i.UserName),
        conditionKeys: (i): Record<string, string> => (i.ServiceName ? { 'iam:ServiceSpecificCredentialServiceName': i.ServiceName } : {}),
      },
      handler: (input, ctx) => {
        const user = store.requireUser(ctx.accountId, input.UserName!);
        if (!SUPPORTED_SERVICES.includes(input.ServiceName!)) throw serviceNotSupported(input.ServiceName!);
        const existing = db.prepare('SELECT COUNT(*) FROM iam_service_credentials WHERE user_id = ? AND service_name = ?').pluck().get(user.id, input.ServiceName) as number;
        if (existing >= PER_USER_PER_SERVICE) throw quotaExceeded('ServiceSpecificCredentialsPerUserPerService', PER_USER_PER_SERVICE);
        const id = entityId('ACCA');
        db.prepare(
          `INSERT INTO iam_service_credentials (id, account_id, user_id, service_name, service_user_name, password, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'Active', ?)`,
        ).run(id, ctx.accountId, user.id, input.ServiceName, serviceUserName(user), newServicePassword(), store.now());
        return { ServiceSpecificCredential: withPassword(byId(id), user) };
      },
    }),

    ListServiceSpecificCredentials: operation<ListServiceSpecificCredentialsRequest, ListServiceSpecificCredentialsResponse>({
      iam: { action: 'iam:ListServiceSpecificCredentials', resource: (i, ctx) => (i.AllUsers ? '*' : resource(i, ctx)) },
      handler: (input, ctx) => {
        if (input.ServiceName !== undefined && !SUPPORTED_SERVICES.includes(input.ServiceName)) throw serviceNotSupported(input.ServiceName);
        const users = input.AllUsers ? store.users(ctx.accountId) : [impliedUser(store, ctx, input.UserName)].filter((u): u is UserRecord => u !== undefined);
        const credentials = users.flatMap((user) =>
          (db.prepare('SELECT * FROM iam_service_credentials WHERE user_id = ? ORDER BY created_at, id').all(user.id) as CredentialRow[])
            .filter((row) => input.ServiceName === undefined || row.service_name === input.ServiceName)
            .map((row) => metadata(row, user)),
        );
        const page = paginate(credentials, input.Marker, input.MaxItems);
        return { ServiceSpecificCredentials: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
      },
    }),

    ResetServiceSpecificCredential: operation<ResetServiceSpecificCredentialRequest, ResetServiceSpecificCredentialResponse>({
      iam: { action: 'iam:ResetServiceSpecificCredential', resource, conditionKeys: serviceKey },
      handler: (input, ctx) => {
        const { row, user } = requireCredential(ctx, input.UserName, input.ServiceSpecificCredentialId!);
        db.prepare('UPDATE iam_service_credentials SET password = ? WHERE id = ?').run(newServicePassword(), row.id);
        return { ServiceSpecificCredential: withPassword(byId(row.id), user) };
      },
    }),

    UpdateServiceSpecificCredential: operation<UpdateServiceSpecificCredentialRequest, object>({
      iam: { action: 'iam:UpdateServiceSpecificCredential', resource, conditionKeys: serviceKey },
      handler: (input, ctx) => {
        const { row } = requireCredential(ctx, input.UserName, input.ServiceSpecificCredentialId!);
        db.prepare('UPDATE iam_service_credentials SET status = ? WHERE id = ?').run(input.Status!, row.id);
        return {};
      },
    }),

    DeleteServiceSpecificCredential: operation<DeleteServiceSpecificCredentialRequest, object>({
      iam: { action: 'iam:DeleteServiceSpecificCredential', resource, conditionKeys: serviceKey },
      handler: (input, ctx) => {
        const { row } = requireCredential(ctx, input.UserName, input.ServiceSpecificCredentialId!);
        db.prepare('DELETE FROM iam_service_credentials WHERE id = ?').run(row.id);
        return {};
      },
    }),
  };
}
