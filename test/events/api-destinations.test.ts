import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  UpdateApiDestinationCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { FakeClock } from '../logs/helpers.js';
import { eventsClient, listing, schedulerOf } from './helpers.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: RunningServer;
let eb: EventBridgeClient;
let hook: Server;
let hookUrl: string;
const received: Received[] = [];
/** Status codes the hook answers with, in turn; 200 once they run out. */
const statuses: number[] = [];
const clock = new FakeClock(Date.UTC(2026, 7, 1, 9, 0, 0));

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/oauth/token') {
        const ok = req.headers.authorization === `Basic ${Buffer.from('client-1:s3cret').toString('base64')}` && body.includes('grant_type=client_credentials');
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { access_token: 'token-abc', expires_in: 3600 } : { error: 'invalid_client' }));
        return;
      }
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : `status ${status}`);
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  server = await testServer({ clock });
  eb = eventsClient(server);
});
afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => hook.close(resolve));
});

async function fire(source: string, detail: object): Promise<void> {
  await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'Hook', Detail: JSON.stringify(detail) }] }));
  // The HTTP request is real: let the delivery finish.
  await schedulerOf(server).tick();
}

describe('connections', () => {
  it('creates API-key and basic connections ready to use, and never shows their secrets', async () => {
    const created = await eb.send(
      new CreateConnectionCommand({
        Name: 'key-conn',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'top-secret' },
          InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-env', Value: 'lab', IsValueSecret: false }] },
        },
      }),
    );
    expect(created.ConnectionArn).toMatch(/^arn:aws:events:us-east-1:000000000000:connection\/key-conn\/[0-9a-f-]{36}$/);
    expect(created.ConnectionState).toBe('AUTHORIZED');
    const described = await eb.send(new DescribeConnectionCommand({ Name: 'key-conn' }));
    expect(described).toMatchObject({
      Name: 'key-conn',
      AuthorizationType: 'API_KEY',
      ConnectionState: 'AUTHORIZED',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-env', Value: 'lab', IsValueSecret: false }] } },
      SecretArn: expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection\/key-conn\//),
    });
    expect(JSON.stringify(described)).not.toContain('top-secret');
    await eb.send(new CreateConnectionCommand({ Name: 'basic-conn', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    expect((await eb.send(new ListConnectionsCommand({ NamePrefix: 'basic' }))).Connections?.map((c) => c.Name)).toEqual(['basic-conn']);
    expect(await awsError(eb.send(new CreateConnectionCommand({ Name: 'basic-conn', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
    expect(await awsError(eb.send(new CreateConnectionCommand({ Name: 'mismatch', AuthorizationType: 'BASIC', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } })))).toMatchObject({
      name: 'ValidationException',
    });
    expect(await awsError(eb.send(new DescribeConnectionCommand({ Name: 'ghost' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses endpoints that are not on this machine', async () => {
    const { ConnectionArn } = await eb.send(new DescribeConnectionCommand({ Name: 'key-conn' }));
    for (const endpoint of ['https://example.com/hook', 'http://10.0.0.5/hook', 'http://169.254.169.254/latest']) {
      expect(await awsError(eb.send(new CreateApiDestinationCommand({ Name: 'out', ConnectionArn, InvocationEndpoint: endpoint, HttpMethod: 'POST' })))).toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining("codesuite only sends HTTP requests to this machine's loopback addresses"),
      });
    }
    expect(
      await awsError(
        eb.send(
          new CreateConnectionCommand({
            Name: 'oauth-out',
            AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
            AuthParameters: { OAuthParameters: { ClientParameters: { ClientID: 'c', ClientSecret: 's' }, AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST' } },
          }),
        ),
      ),
    ).toMatchObject({ name: 'ValidationException' });
  });
});

describe('API destinations as targets', () => {
  it('sends the event over HTTP with the connection auth, path and query parameters', async () => {
    const { ConnectionArn } = await eb.send(new DescribeConnectionCommand({ Name: 'key-conn' }));
    const created = await eb.send(
      new CreateApiDestinationCommand({ Name: 'hook', ConnectionArn, InvocationEndpoint: `${hookUrl}/hooks/*`, HttpMethod: 'POST', InvocationRateLimitPerSecond: 10 }),
    );
    expect(created).toMatchObject({ ApiDestinationState: 'ACTIVE', ApiDestinationArn: expect.stringMatching(/:api-destination\/hook\//) });
    expect(await eb.send(new DescribeApiDestinationCommand({ Name: 'hook' }))).toMatchObject({ ConnectionArn, HttpMethod: 'POST', InvocationRateLimitPerSecond: 10 });
    await eb.send(new PutRuleCommand({ Name: 'to-hook', EventPattern: JSON.stringify({ source: ['hook.app'] }) }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'to-hook',
        Targets: [
          {
            Id: 'hook',
            Arn: created.ApiDestinationArn,
            RoleArn: 'arn:aws:iam::000000000000:role/events',
            InputPath: '$.detail',
            HttpParameters: { PathParameterValues: ['deploy'], QueryStringParameters: { stage: 'test' }, HeaderParameters: { 'x-from': 'rule' } },
          },
        ],
      }),
    );
    await fire('hook.app', { version: 7 });
    const request = received.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/deploy?stage=test', body: '{"version":7}' });
    expect(request.headers).toMatchObject({ 'x-api-key': 'top-secret', 'x-env': 'lab', 'x-from': 'rule', 'content-type': 'application/json; charset=utf-8' });
  });

  it('retries on 5xx and 429, stops on other 4xx', async () => {
    statuses.push(503, 429);
    await fire('hook.app', { version: 8 });
    clock.advance(1000);
    await schedulerOf(server).tick();
    clock.advance(2000);
    await schedulerOf(server).tick();
    let [event] = await listing(server, '?source=hook.app&limit=1');
    expect(event.attempts.map((a) => a.outcome)).toEqual(['RETRYING', 'RETRYING', 'SUCCEEDED']);
    expect(event.attempts[0].detail).toContain('answered HTTP 503: status 503');
    statuses.push(400);
    await fire('hook.app', { version: 9 });
    [event] = await listing(server, '?source=hook.app&limit=1');
    expect(event.attempts.map((a) => a.outcome)).toEqual(['FAILED']);
  });

  it('gets an OAuth token from a loopback token endpoint and sends it as a bearer', async () => {
    const { ConnectionArn, ConnectionState } = await eb.send(
      new CreateConnectionCommand({
        Name: 'oauth-conn',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: { ClientParameters: { ClientID: 'client-1', ClientSecret: 's3cret' }, AuthorizationEndpoint: `${hookUrl}/oauth/token`, HttpMethod: 'POST' },
        },
      }),
    );
    expect(ConnectionState).toBe('AUTHORIZING');
    await schedulerOf(server).tick();
    expect((await eb.send(new DescribeConnectionCommand({ Name: 'oauth-conn' }))).ConnectionState).toBe('AUTHORIZED');
    const { ApiDestinationArn } = await eb.send(new CreateApiDestinationCommand({ Name: 'oauth-hook', ConnectionArn, InvocationEndpoint: `${hookUrl}/secure`, HttpMethod: 'PUT' }));
    await eb.send(new PutRuleCommand({ Name: 'to-oauth', EventPattern: JSON.stringify({ source: ['oauth.app'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-oauth', Targets: [{ Id: 'h', Arn: ApiDestinationArn }] }));
    await fire('oauth.app', { x: 1 });
    expect(received.at(-1)).toMatchObject({ method: 'PUT', url: '/secure', headers: expect.objectContaining({ authorization: 'Bearer token-abc' }) });

    const bad = await eb.send(
      new CreateConnectionCommand({
        Name: 'oauth-bad',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: { OAuthParameters: { ClientParameters: { ClientID: 'client-1', ClientSecret: 'wrong' }, AuthorizationEndpoint: `${hookUrl}/oauth/token`, HttpMethod: 'POST' } },
      }),
    );
    expect(bad.ConnectionState).toBe('AUTHORIZING');
    await schedulerOf(server).tick();
    expect(await eb.send(new DescribeConnectionCommand({ Name: 'oauth-bad' }))).toMatchObject({
      ConnectionState: 'DEAUTHORIZED',
      StateReason: 'Failed to authorize: authorization endpoint answered HTTP 401',
    });
  });

  it('updates, lists, deauthorizes and deletes', async () => {
    await eb.send(new UpdateApiDestinationCommand({ Name: 'hook', HttpMethod: 'PATCH' }));
    expect((await eb.send(new ListApiDestinationsCommand({ NamePrefix: 'hook' }))).ApiDestinations?.map((d) => d.HttpMethod)).toEqual(['PATCH']);
    expect(await awsError(eb.send(new UpdateApiDestinationCommand({ Name: 'hook', InvocationEndpoint: 'https://example.org/' })))).toMatchObject({ name: 'ValidationException' });
    const deauthorized = await eb.send(new DeauthorizeConnectionCommand({ Name: 'key-conn' }));
    expect(deauthorized.ConnectionState).toBe('DEAUTHORIZED');
    await fire('hook.app', { version: 10 });
    const [event] = await listing(server, '?source=hook.app&limit=1');
    expect(event.attempts[0]).toMatchObject({ outcome: 'RETRYING', detail: expect.stringContaining('Connection key-conn is DEAUTHORIZED') });
    await eb.send(new DeleteApiDestinationCommand({ Name: 'oauth-hook' }));
    expect(await awsError(eb.send(new DescribeApiDestinationCommand({ Name: 'oauth-hook' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await eb.send(new DeleteConnectionCommand({ Name: 'oauth-bad' }))).ConnectionState).toBe('DELETING');
  });
});
