import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { randomIds, systemClock } from '../../src/core/clock.js';
import type { RequestContext } from '../../src/core/context.js';
import { AwsError } from '../../src/core/errors.js';
import { EventBus } from '../../src/core/events.js';
import type { ServiceDefinition } from '../../src/core/service.js';
import { openDatabase, type Db } from '../../src/core/store/db.js';
import { createIam } from '../../src/iam/service.js';
import { ACCOUNT } from './helpers.js';

/**
 * Until IAM enforcement resolves access keys every HTTP caller is the account root, so the
 * behaviour for IAM-user and role callers is checked on the handlers with a chosen principal.
 */
let db: Db;
let iam: ServiceDefinition;

const ctx = (principalArn: string): RequestContext => ({
  requestId: 'test',
  accountId: ACCOUNT,
  region: 'us-east-1',
  principalArn,
  caller: { arn: principalArn, accountId: ACCOUNT, userId: ACCOUNT, type: principalArn.endsWith(':root') ? 'root' : principalArn.includes(':user/') ? 'user' : 'role-session' },
  endpoint: 'http://127.0.0.1',
  sourceIp: '127.0.0.1',
});
const root = ctx(`arn:aws:iam::${ACCOUNT}:root`);
const alice = ctx(`arn:aws:iam::${ACCOUNT}:user/dev/alice`);
const session = ctx(`arn:aws:sts::${ACCOUNT}:assumed-role/builder/session-1`);

const call = async (operation: string, input: object, caller: RequestContext) => iam.operations[operation].handler(input, caller);
const failure = async (operation: string, input: object, caller: RequestContext) => {
  try {
    await call(operation, input, caller);
  } catch (err) {
    if (err instanceof AwsError) return { code: err.code, message: err.message, status: err.statusCode };
    throw err;
  }
  throw new Error(`${operation} succeeded`);
};

beforeAll(async () => {
  db = openDatabase(undefined);
  iam = createIam({
    config: parseConfig({}),
    db,
    filesDir: '/nonexistent',
    events: new EventBus(() => undefined),
    clock: systemClock,
    ids: randomIds,
    logger: pino({ level: 'silent' }),
  });
  await call('CreateUser', { UserName: 'alice', Path: '/dev/' }, root);
});
afterAll(() => db.close());

describe('operations that default to the caller', () => {
  it('GetUser without a name describes the calling IAM user', async () => {
    const out = (await call('GetUser', {}, alice)) as { User: { UserName: string; Arn: string } };
    expect(out.User).toMatchObject({ UserName: 'alice', Arn: `arn:aws:iam::${ACCOUNT}:user/dev/alice` });
  });

  it('a role session must name the user', async () => {
    const expected = { code: 'ValidationError', message: 'Must specify userName when calling with non-User credentials', status: 400 };
    expect(await failure('GetUser', {}, session)).toEqual(expected);
    expect(await failure('ListAccessKeys', {}, session)).toEqual(expected);
  });

  it('access key operations act on the calling user\'s keys', async () => {
    const created = (await call('CreateAccessKey', {}, alice)) as { AccessKey: { UserName: string; AccessKeyId: string } };
    expect(created.AccessKey.UserName).toBe('alice');
    const listed = (await call('ListAccessKeys', { UserName: 'alice' }, root)) as { AccessKeyMetadata: { AccessKeyId: string }[] };
    expect(listed.AccessKeyMetadata.map((k) => k.AccessKeyId)).toEqual([created.AccessKey.AccessKeyId]);
    await call('DeleteAccessKey', { AccessKeyId: created.AccessKey.AccessKeyId }, alice);
    expect(((await call('ListAccessKeys', {}, alice)) as { AccessKeyMetadata: unknown[] }).AccessKeyMetadata).toEqual([]);
  });

  it('declares each operation\'s IAM action and the resource ARN with the entity\'s real path', () => {
    expect(iam.operations.GetUser.iam.action).toBe('iam:GetUser');
    expect(iam.operations.GetUser.iam.resource({ UserName: 'alice' }, root)).toBe(`arn:aws:iam::${ACCOUNT}:user/dev/alice`);
    expect(iam.operations.CreateRole.iam.resource({ RoleName: 'r', Path: '/ci/' }, root)).toBe(`arn:aws:iam::${ACCOUNT}:role/ci/r`);
    expect(iam.operations.AttachUserPolicy.iam.conditionKeys!({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, root)).toEqual({
      'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    expect(iam.operations.ListUsers.iam.resource({}, root)).toBe('*');
    for (const [name, spec] of Object.entries(iam.operations)) expect(spec.iam.action).toBe(`iam:${name}`);
  });
});
