import type { ConnectionAuthResponseParameters, ConnectionHttpParameters, CreateConnectionAuthRequestParameters } from '@aws-sdk/client-eventbridge';
import type { Db } from '../core/store/db.js';
import type { Scope } from './arns.js';
import { checkLoopbackEndpoint, HttpFailure, sendLoopback } from './http-target.js';

export interface ConnectionRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  uuid: string;
  description: string | null;
  authorization_type: string;
  auth_parameters: string;
  state: string;
  state_reason: string | null;
  oauth_token: string | null;
  oauth_expires_at: number | null;
  created_at: number;
  updated_at: number;
  authorized_at: number | null;
}

export interface ApiDestinationRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  uuid: string;
  description: string | null;
  connection_arn: string;
  endpoint: string;
  http_method: string;
  rate_limit: number | null;
  created_at: number;
  updated_at: number;
}

/** Connection credentials stay in codesuite's own table (AWS keeps them in a Secrets Manager secret). */
export class ConnectionsStore {
  constructor(readonly db: Db) {}

  find(scope: Scope, name: string): ConnectionRow | undefined {
    return this.db.prepare('SELECT * FROM events_connections WHERE account_id = ? AND region = ? AND name = ?').get(scope.accountId, scope.region, name) as
      | ConnectionRow
      | undefined;
  }

  list(scope: Scope): ConnectionRow[] {
    return this.db.prepare('SELECT * FROM events_connections WHERE account_id = ? AND region = ? ORDER BY name').all(scope.accountId, scope.region) as ConnectionRow[];
  }

  insert(row: Omit<ConnectionRow, 'id'>): ConnectionRow {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO events_connections (account_id, region, name, uuid, description, authorization_type, auth_parameters, state, state_reason,
             oauth_token, oauth_expires_at, created_at, updated_at, authorized_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          row.account_id,
          row.region,
          row.name,
          row.uuid,
          row.description,
          row.authorization_type,
          row.auth_parameters,
          row.state,
          row.state_reason,
          row.oauth_token,
          row.oauth_expires_at,
          row.created_at,
          row.updated_at,
          row.authorized_at,
        ).lastInsertRowid,
    );
    return { ...row, id };
  }

  update(row: ConnectionRow): void {
    this.db
      .prepare(
        `UPDATE events_connections SET description = ?, authorization_type = ?, auth_parameters = ?, state = ?, state_reason = ?, oauth_token = ?,
           oauth_expires_at = ?, updated_at = ?, authorized_at = ? WHERE id = ?`,
      )
      .run(
        row.description,
        row.authorization_type,
        row.auth_parameters,
        row.state,
        row.state_reason,
        row.oauth_token,
        row.oauth_expires_at,
        row.updated_at,
        row.authorized_at,
        row.id,
      );
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM events_connections WHERE id = ?').run(id);
  }

  byArn(arn: string): ConnectionRow | undefined {
    const m = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):connection\/([^/]+)\/([^/]+)$/.exec(arn);
    if (!m) return undefined;
    const row = this.find({ region: m[1], accountId: m[2] }, m[3]);
    return row && row.uuid === m[4] ? row : undefined;
  }

  findDestination(scope: Scope, name: string): ApiDestinationRow | undefined {
    return this.db.prepare('SELECT * FROM events_api_destinations WHERE account_id = ? AND region = ? AND name = ?').get(scope.accountId, scope.region, name) as
      | ApiDestinationRow
      | undefined;
  }

  listDestinations(scope: Scope): ApiDestinationRow[] {
    return this.db.prepare('SELECT * FROM events_api_destinations WHERE account_id = ? AND region = ? ORDER BY name').all(scope.accountId, scope.region) as ApiDestinationRow[];
  }

  destinationByArn(arn: string): ApiDestinationRow | undefined {
    const m = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):api-destination\/([^/]+)\/([^/]+)$/.exec(arn);
    if (!m) return undefined;
    const row = this.findDestination({ region: m[1], accountId: m[2] }, m[3]);
    return row && row.uuid === m[4] ? row : undefined;
  }

  insertDestination(row: Omit<ApiDestinationRow, 'id'>): ApiDestinationRow {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO events_api_destinations (account_id, region, name, uuid, description, connection_arn, endpoint, http_method, rate_limit, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(row.account_id, row.region, row.name, row.uuid, row.description, row.connection_arn, row.endpoint, row.http_method, row.rate_limit, row.created_at, row.updated_at)
        .lastInsertRowid,
    );
    return { ...row, id };
  }

  updateDestination(row: ApiDestinationRow): void {
    this.db
      .prepare('UPDATE events_api_destinations SET description = ?, connection_arn = ?, endpoint = ?, http_method = ?, rate_limit = ?, updated_at = ? WHERE id = ?')
      .run(row.description, row.connection_arn, row.endpoint, row.http_method, row.rate_limit, row.updated_at, row.id);
  }

  deleteDestination(id: number): void {
    this.db.prepare('DELETE FROM events_api_destinations WHERE id = ?').run(id);
  }
}

/** DescribeConnection's view of the auth parameters: everything but the secrets. */
export function publicAuthParameters(type: string, params: CreateConnectionAuthRequestParameters): ConnectionAuthResponseParameters {
  const hideSecrets = (p: ConnectionHttpParameters | undefined): ConnectionHttpParameters | undefined =>
    p && {
      HeaderParameters: p.HeaderParameters?.map((h) => ({ Key: h.Key, IsValueSecret: h.IsValueSecret ?? false, ...(h.IsValueSecret ? {} : { Value: h.Value }) })),
      QueryStringParameters: p.QueryStringParameters?.map((q) => ({ Key: q.Key, IsValueSecret: q.IsValueSecret ?? false, ...(q.IsValueSecret ? {} : { Value: q.Value }) })),
      BodyParameters: p.BodyParameters?.map((b) => ({ Key: b.Key, IsValueSecret: b.IsValueSecret ?? false, ...(b.IsValueSecret ? {} : { Value: b.Value }) })),
    };
  return {
    ...(type === 'BASIC' ? { BasicAuthParameters: { Username: params.BasicAuthParameters?.Username } } : {}),
    ...(type === 'API_KEY' ? { ApiKeyAuthParameters: { ApiKeyName: params.ApiKeyAuthParameters?.ApiKeyName } } : {}),
    ...(type === 'OAUTH_CLIENT_CREDENTIALS'
      ? {
          OAuthParameters: {
            ClientParameters: { ClientID: params.OAuthParameters?.ClientParameters?.ClientID },
            AuthorizationEndpoint: params.OAuthParameters?.AuthorizationEndpoint,
            HttpMethod: params.OAuthParameters?.HttpMethod,
            OAuthHttpParameters: hideSecrets(params.OAuthParameters?.OAuthHttpParameters),
          },
        }
      : {}),
    ...(params.InvocationHttpParameters ? { InvocationHttpParameters: hideSecrets(params.InvocationHttpParameters) } : {}),
  };
}

/** Gets an OAuth access token with the client-credentials grant from the (loopback) authorization endpoint. */
export async function fetchOAuthToken(params: CreateConnectionAuthRequestParameters): Promise<{ token: string; expiresIn: number | undefined }> {
  const oauth = params.OAuthParameters!;
  const url = checkLoopbackEndpoint('AuthorizationEndpoint', oauth.AuthorizationEndpoint!);
  const extra = oauth.OAuthHttpParameters;
  for (const q of extra?.QueryStringParameters ?? []) url.searchParams.append(q.Key!, q.Value ?? '');
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  for (const b of extra?.BodyParameters ?? []) form.append(b.Key!, b.Value ?? '');
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${oauth.ClientParameters!.ClientID}:${oauth.ClientParameters!.ClientSecret}`).toString('base64')}`,
    accept: 'application/json',
  };
  for (const h of extra?.HeaderParameters ?? []) headers[h.Key!.toLowerCase()] = h.Value ?? '';
  let body: string | undefined;
  if (oauth.HttpMethod === 'GET') {
    form.forEach((v, k) => url.searchParams.append(k, v));
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = form.toString();
  }
  const result = await sendLoopback(oauth.HttpMethod ?? 'POST', url, headers, body);
  if (result.status < 200 || result.status >= 300) throw new HttpFailure(`authorization endpoint answered HTTP ${result.status}`);
  let parsed: { access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(result.body) as typeof parsed;
  } catch {
    throw new HttpFailure('authorization endpoint did not answer with JSON');
  }
  if (typeof parsed.access_token !== 'string') throw new HttpFailure('authorization endpoint answer has no access_token');
  return { token: parsed.access_token, expiresIn: typeof parsed.expires_in === 'number' ? parsed.expires_in : undefined };
}
