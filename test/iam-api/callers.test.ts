import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standaloneDeps } from '../helpers/service-deps.js';
import type { RequestContext } from '../../src/core/context.js';
import type { ServiceDefinition } from '../../src/core/service.js';
import { openDatabase, type Db } from '../../src/core/store/db.js';
import { createIam } from '../../src/iam/service.js';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, awsError, iamClient, iamServer } from './helpers.js';

/**
 * Operations that default to the caller, called over HTTP with the credentials of the caller in
 * question: the root (keys IAM never issued), an IAM user (its own access key), and a role
 * session (credentials from STS AssumeRole).
 */
let server: RunningServer;
let root: IAMClient;
let alice: IAMClient;
let session: IAMClient;

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const client = (credentials: Keys) => new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

beforeAll(async () => {
  server = await iamServer();
  root = iamClient(server);
  await root.send(new CreateUserCommand({ UserName: 'alice', Path: '/dev/' }));
  const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  const aliceKeys = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  alice = client(aliceKeys);
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/dev/alice` }, Action: 'sts:AssumeRole' }] };
  const { Role } = await root.send(new CreateRoleCommand({ RoleName: 'builder', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const sts = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: aliceKeys, maxAttempts: 1 });
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: 'session-1' }));
  session = client({ accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! });
});
afterAll(() => server.stop());

describe('operations that default to the caller', () => {
  it('GetUser without a name describes the calling IAM user', async () => {
    const { User } = await alice.send(new GetUserCommand({}));
    expect(User).toMatchObject({ UserName: 'alice', Arn: `arn:aws:iam::${ACCOUNT}:user/dev/alice` });
  });

  it('a role session must name the user', async () => {
    const expected = { name: 'ValidationError', code: 'ValidationError', message: 'Must specify userName when calling with non-User credentials', status: 400 };
    expect(await awsError(session.send(new GetUserCommand({})))).toEqual(expected);
    expect(await awsError(session.send(new ListAccessKeysCommand({})))).toEqual(expected);
  });

  it("access key operations act on the calling user's keys", async () => {
    const { AccessKey } = await alice.send(new CreateAccessKeyCommand({}));
    expect(AccessKey!.UserName).toBe('alice');
    const listed = await root.send(new ListAccessKeysCommand({ UserName: 'alice' }));
    expect(listed.AccessKeyMetadata!.map((k) => k.AccessKeyId)).toContain(AccessKey!.AccessKeyId);
    await alice.send(new DeleteAccessKeyCommand({ AccessKeyId: AccessKey!.AccessKeyId! }));
    const after = await alice.send(new ListAccessKeysCommand({}));
    expect(after.AccessKeyMetadata!.map((k) => k.AccessKeyId)).not.toContain(AccessKey!.AccessKeyId);
  });
});

describe('IAM declarations', () => {
  let db: Db;
  let iam: ServiceDefinition;
  const rootCtx: RequestContext = {
    requestId: 'test',
    accountId: ACCOUNT,
    region: 'us-east-1',
    principalArn: `arn:aws:iam::${ACCOUNT}:root`,
    caller: { arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, userId: ACCOUNT, type: 'root' },
    endpoint: 'http://127.0.0.1',
    sourceIp: '127.0.0.1',
  };

  beforeAll(async () => {
    db = openDatabase(undefined);
    iam = createIam(standaloneDeps(db, '/nonexistent'));
    await iam.operations.CreateUser.handler({ UserName: 'alice', Path: '/dev/' }, rootCtx);
  });
  afterAll(() => db.close());

  it("declares each operation's IAM action and the resource ARN with the entity's real path", () => {
    expect(iam.operations.GetUser.iam.action).toBe('iam:GetUser');
    expect(iam.operations.GetUser.iam.resource({ UserName: 'alice' }, rootCtx)).toBe(`arn:aws:iam::${ACCOUNT}:user/dev/alice`);
    expect(iam.operations.CreateRole.iam.resource({ RoleName: 'r', Path: '/ci/' }, rootCtx)).toBe(`arn:aws:iam::${ACCOUNT}:role/ci/r`);
    expect(iam.operations.AttachUserPolicy.iam.conditionKeys!({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, rootCtx)).toEqual({
      'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    expect(iam.operations.ListUsers.iam.resource({}, rootCtx)).toBe('*');
    for (const [name, spec] of Object.entries(iam.operations)) expect(spec.iam.action).toBe(`iam:${name}`);
  });
});
