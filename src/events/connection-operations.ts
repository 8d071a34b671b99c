import type {
  ApiDestination,
  Connection,
  CreateApiDestinationRequest,
  CreateApiDestinationResponse,
  CreateConnectionAuthRequestParameters,
  CreateConnectionRequest,
  CreateConnectionResponse,
  DeauthorizeConnectionRequest,
  DeauthorizeConnectionResponse,
  DeleteApiDestinationRequest,
  DeleteConnectionRequest,
  DeleteConnectionResponse,
  DescribeApiDestinationRequest,
  DescribeApiDestinationResponse,
  DescribeConnectionRequest,
  DescribeConnectionResponse,
  ListApiDestinationsRequest,
  ListApiDestinationsResponse,
  ListConnectionsRequest,
  ListConnectionsResponse,
  UpdateApiDestinationRequest,
  UpdateApiDestinationResponse,
  UpdateConnectionRequest,
  UpdateConnectionResponse,
} from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../core/context.js';
import { operation, type OperationSpec } from '../core/service.js';
import { apiDestinationArn, connectionArn } from './arns.js';
import { scopeOf, type Bridge } from './bridge.js';
import { fetchOAuthToken, publicAuthParameters, type ApiDestinationRow, type ConnectionRow, type ConnectionsStore } from './connections.js';
import {
  apiDestinationExists,
  apiDestinationNotFound,
  connectionExists,
  connectionNotFound,
  validation,
} from './errors.js';
import { checkLoopbackEndpoint } from './http-target.js';
import { page } from './pagination.js';

export const AUTHORIZE_JOB = 'events.authorize';

const AUTH_MEMBER: Record<string, keyof CreateConnectionAuthRequestParameters> = {
  BASIC: 'BasicAuthParameters',
  API_KEY: 'ApiKeyAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
};

function checkAuth(type: string, params: CreateConnectionAuthRequestParameters): void {
  const member = AUTH_MEMBER[type];
  if (!params[member]) throw validation(`Parameter(s) ${member} must be specified for AuthorizationType ${type}.`);
  for (const [otherType, other] of Object.entries(AUTH_MEMBER)) {
    if (otherType !== type && params[other]) throw validation(`Parameter(s) ${other} cannot be specified for AuthorizationType ${type}.`);
  }
  if (type === 'OAUTH_CLIENT_CREDENTIALS') checkLoopbackEndpoint('AuthorizationEndpoint', params.OAuthParameters!.AuthorizationEndpoint!);
}

/** The secret's ARN AWS would report; codesuite keeps the credentials in its own table instead. */
const secretArn = (row: ConnectionRow) =>
  `arn:aws:secretsmanager:${row.region}:${row.account_id}:secret:events!connection/${row.name}/${row.uuid}-${row.uuid.replace(/-/g, '').slice(0, 6)}`;

export function connectionOperations(bridge: Bridge, connections: ConnectionsStore): Record<string, OperationSpec> {
  const requireConnection = (ctx: RequestContext, name: string) => {
    const row = connections.find(scopeOf(ctx), name);
    if (!row) throw connectionNotFound(name);
    return row;
  };
  const requireDestination = (ctx: RequestContext, name: string) => {
    const row = connections.findDestination(scopeOf(ctx), name);
    if (!row) throw apiDestinationNotFound(name);
    return row;
  };
  const arnOfConnection = (row: ConnectionRow) => connectionArn({ accountId: row.account_id, region: row.region }, row.name, row.uuid);
  const arnOfDestination = (row: ApiDestinationRow) => apiDestinationArn({ accountId: row.account_id, region: row.region }, row.name, row.uuid);
  const times = (row: ConnectionRow) => ({
    CreationTime: new Date(row.created_at),
    LastModifiedTime: new Date(row.updated_at),
    ...(row.authorized_at !== null ? { LastAuthorizedTime: new Date(row.authorized_at) } : {}),
  });
  const summary = (row: ConnectionRow): Connection => ({
    ConnectionArn: arnOfConnection(row),
    Name: row.name,
    ConnectionState: row.state as Connection['ConnectionState'],
    ...(row.state_reason ? { StateReason: row.state_reason } : {}),
    AuthorizationType: row.authorization_type as Connection['AuthorizationType'],
    ...times(row),
  });
  /** Basic and API-key connections are ready at once; OAuth ones ask the token endpoint first. */
  const authorize = (row: ConnectionRow): ConnectionRow => {
    const now = bridge.now();
    if (row.authorization_type === 'OAUTH_CLIENT_CREDENTIALS') {
      row.state = 'AUTHORIZING';
      row.state_reason = null;
      row.oauth_token = null;
      row.oauth_expires_at = null;
      bridge.scheduler.enqueue({ kind: AUTHORIZE_JOB, key: `${AUTHORIZE_JOB}:${arnOfConnection(row)}`, payload: { connectionArn: arnOfConnection(row) } });
    } else {
      row.state = 'AUTHORIZED';
      row.state_reason = null;
      row.authorized_at = now;
    }
    return row;
  };

  bridge.scheduler.register<{ connectionArn: string }>(AUTHORIZE_JOB, async (job) => {
    const row = connections.byArn(job.payload.connectionArn);
    if (!row || row.state !== 'AUTHORIZING') return;
    try {
      const { token, expiresIn } = await fetchOAuthToken(JSON.parse(row.auth_parameters) as CreateConnectionAuthRequestParameters);
      const now = bridge.now();
      Object.assign(row, { state: 'AUTHORIZED', state_reason: null, oauth_token: token, oauth_expires_at: expiresIn ? now + expiresIn * 1000 : null, authorized_at: now });
    } catch (err) {
      Object.assign(row, { state: 'DEAUTHORIZED', state_reason: `Failed to authorize: ${(err as Error).message}` });
    }
    row.updated_at = bridge.now();
    connections.update(row);
  });

  const connectionIam = (action: string) => ({
    action: `events:${action}`,
    resource: (i: { Name?: string }, ctx: RequestContext) => `arn:aws:events:${ctx.region}:${ctx.accountId}:connection/${i.Name ?? '*'}`,
  });
  const destinationIam = (action: string) => ({
    action: `events:${action}`,
    resource: (i: { Name?: string }, ctx: RequestContext) => `arn:aws:events:${ctx.region}:${ctx.accountId}:api-destination/${i.Name ?? '*'}`,
  });

  return {
    CreateConnection: operation<CreateConnectionRequest, CreateConnectionResponse>({
      iam: connectionIam('CreateConnection'),
      handler: (input, ctx) => {
        checkAuth(input.AuthorizationType!, input.AuthParameters!);
        if (connections.find(scopeOf(ctx), input.Name!)) throw connectionExists(input.Name!);
        const now = bridge.now();
        const row = bridge.deps.db.transaction(() =>
          connections.insert(
            authorize({
              id: 0,
              account_id: ctx.accountId,
              region: ctx.region,
              name: input.Name!,
              uuid: bridge.deps.ids.uuid(),
              description: input.Description ?? null,
              authorization_type: input.AuthorizationType!,
              auth_parameters: JSON.stringify(input.AuthParameters),
              state: 'CREATING',
              state_reason: null,
              oauth_token: null,
              oauth_expires_at: null,
              created_at: now,
              updated_at: now,
              authorized_at: null,
            }),
          ),
        )();
        return { ConnectionArn: arnOfConnection(row), ConnectionState: row.state as Connection['ConnectionState'], CreationTime: new Date(now), LastModifiedTime: new Date(now) };
      },
    }),

    DescribeConnection: operation<DescribeConnectionRequest, DescribeConnectionResponse>({
      iam: connectionIam('DescribeConnection'),
      handler: (input, ctx) => {
        const row = requireConnection(ctx, input.Name!);
        return {
          ...summary(row),
          ...(row.description !== null ? { Description: row.description } : {}),
          SecretArn: secretArn(row),
          AuthParameters: publicAuthParameters(row.authorization_type, JSON.parse(row.auth_parameters) as CreateConnectionAuthRequestParameters),
        };
      },
    }),

    ListConnections: operation<ListConnectionsRequest, ListConnectionsResponse>({
      iam: { action: 'events:ListConnections', resource: () => '*' },
      handler: (input, ctx) => {
        let rows = connections.list(scopeOf(ctx));
        if (input.NamePrefix) rows = rows.filter((r) => r.name.startsWith(input.NamePrefix!));
        if (input.ConnectionState) rows = rows.filter((r) => r.state === input.ConnectionState);
        const { items, nextToken } = page(rows, input.NextToken, input.Limit ?? 100);
        return { Connections: items.map(summary), NextToken: nextToken };
      },
    }),

    UpdateConnection: operation<UpdateConnectionRequest, UpdateConnectionResponse>({
      iam: connectionIam('UpdateConnection'),
      handler: (input, ctx) => {
        const row = requireConnection(ctx, input.Name!);
        const current = JSON.parse(row.auth_parameters) as CreateConnectionAuthRequestParameters;
        const type = input.AuthorizationType ?? row.authorization_type;
        const merged: CreateConnectionAuthRequestParameters = { ...(type === row.authorization_type ? current : {}) };
        for (const [key, value] of Object.entries(input.AuthParameters ?? {})) {
          const k = key as keyof CreateConnectionAuthRequestParameters;
          (merged as Record<string, unknown>)[k] = value && typeof value === 'object' && !Array.isArray(value) ? { ...(merged[k] as object), ...value } : value;
        }
        checkAuth(type, merged);
        row.authorization_type = type;
        row.auth_parameters = JSON.stringify(merged);
        if (input.Description !== undefined) row.description = input.Description;
        row.updated_at = bridge.now();
        bridge.deps.db.transaction(() => connections.update(authorize(row)))();
        return { ConnectionArn: arnOfConnection(row), ConnectionState: row.state as Connection['ConnectionState'], ...times(row) };
      },
    }),

    DeauthorizeConnection: operation<DeauthorizeConnectionRequest, DeauthorizeConnectionResponse>({
      iam: connectionIam('DeauthorizeConnection'),
      handler: (input, ctx) => {
        const row = requireConnection(ctx, input.Name!);
        const current = JSON.parse(row.auth_parameters) as CreateConnectionAuthRequestParameters;
        // The credentials go; what to send with every invocation stays.
        row.auth_parameters = JSON.stringify({ InvocationHttpParameters: current.InvocationHttpParameters });
        Object.assign(row, { state: 'DEAUTHORIZED', state_reason: null, oauth_token: null, oauth_expires_at: null, updated_at: bridge.now() });
        connections.update(row);
        return { ConnectionArn: arnOfConnection(row), ConnectionState: 'DEAUTHORIZED', ...times(row) };
      },
    }),

    DeleteConnection: operation<DeleteConnectionRequest, DeleteConnectionResponse>({
      iam: connectionIam('DeleteConnection'),
      handler: (input, ctx) => {
        const row = requireConnection(ctx, input.Name!);
        connections.delete(row.id);
        return { ConnectionArn: arnOfConnection(row), ConnectionState: 'DELETING', ...times(row) };
      },
    }),

    CreateApiDestination: operation<CreateApiDestinationRequest, CreateApiDestinationResponse>({
      iam: destinationIam('CreateApiDestination'),
      handler: (input, ctx) => {
        checkLoopbackEndpoint('InvocationEndpoint', input.InvocationEndpoint!);
        if (!connections.byArn(input.ConnectionArn!)) throw connectionNotFound(input.ConnectionArn!.split('/')[1] ?? input.ConnectionArn!);
        if (connections.findDestination(scopeOf(ctx), input.Name!)) throw apiDestinationExists(input.Name!);
        const now = bridge.now();
        const row = connections.insertDestination({
          account_id: ctx.accountId,
          region: ctx.region,
          name: input.Name!,
          uuid: bridge.deps.ids.uuid(),
          description: input.Description ?? null,
          connection_arn: input.ConnectionArn!,
          endpoint: input.InvocationEndpoint!,
          http_method: input.HttpMethod!,
          rate_limit: input.InvocationRateLimitPerSecond ?? null,
          created_at: now,
          updated_at: now,
        });
        return { ApiDestinationArn: arnOfDestination(row), ApiDestinationState: 'ACTIVE', CreationTime: new Date(now), LastModifiedTime: new Date(now) };
      },
    }),

    DescribeApiDestination: operation<DescribeApiDestinationRequest, DescribeApiDestinationResponse>({
      iam: destinationIam('DescribeApiDestination'),
      handler: (input, ctx) => destinationView(requireDestination(ctx, input.Name!)),
    }),

    ListApiDestinations: operation<ListApiDestinationsRequest, ListApiDestinationsResponse>({
      iam: { action: 'events:ListApiDestinations', resource: () => '*' },
      handler: (input, ctx) => {
        let rows = connections.listDestinations(scopeOf(ctx));
        if (input.NamePrefix) rows = rows.filter((r) => r.name.startsWith(input.NamePrefix!));
        if (input.ConnectionArn) rows = rows.filter((r) => r.connection_arn === input.ConnectionArn);
        const { items, nextToken } = page(rows, input.NextToken, input.Limit ?? 100);
        return { ApiDestinations: items.map(destinationView), NextToken: nextToken };
      },
    }),

    UpdateApiDestination: operation<UpdateApiDestinationRequest, UpdateApiDestinationResponse>({
      iam: destinationIam('UpdateApiDestination'),
      handler: (input, ctx) => {
        const row = requireDestination(ctx, input.Name!);
        if (input.InvocationEndpoint !== undefined) {
          checkLoopbackEndpoint('InvocationEndpoint', input.InvocationEndpoint);
          row.endpoint = input.InvocationEndpoint;
        }
        if (input.ConnectionArn !== undefined) {
          if (!connections.byArn(input.ConnectionArn)) throw connectionNotFound(input.ConnectionArn.split('/')[1] ?? input.ConnectionArn);
          row.connection_arn = input.ConnectionArn;
        }
        if (input.HttpMethod !== undefined) row.http_method = input.HttpMethod;
        if (input.Description !== undefined) row.description = input.Description;
        if (input.InvocationRateLimitPerSecond !== undefined) row.rate_limit = input.InvocationRateLimitPerSecond;
        row.updated_at = bridge.now();
        connections.updateDestination(row);
        return { ApiDestinationArn: arnOfDestination(row), ApiDestinationState: 'ACTIVE', CreationTime: new Date(row.created_at), LastModifiedTime: new Date(row.updated_at) };
      },
    }),

    DeleteApiDestination: operation<DeleteApiDestinationRequest, object>({
      iam: destinationIam('DeleteApiDestination'),
      handler: (input, ctx) => {
        connections.deleteDestination(requireDestination(ctx, input.Name!).id);
        return {};
      },
    }),
  };

  function destinationView(row: ApiDestinationRow): ApiDestination {
    return {
      ApiDestinationArn: arnOfDestination(row),
      Name: row.name,
      ...(row.description !== null ? { Description: row.description } : {}),
      ApiDestinationState: 'ACTIVE',
      ConnectionArn: row.connection_arn,
      InvocationEndpoint: row.endpoint,
      HttpMethod: row.http_method as ApiDestination['HttpMethod'],
      ...(row.rate_limit !== null ? { InvocationRateLimitPerSecond: row.rate_limit } : {}),
      CreationTime: new Date(row.created_at),
      LastModifiedTime: new Date(row.updated_at),
    };
  }
}
