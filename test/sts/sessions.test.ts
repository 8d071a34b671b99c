import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/core/store/db.js';
import { StsSessions, type NewSession } from '../../src/sts/sessions.js';
import { ACCOUNT } from './helpers.js';

let db: Db;
let now = new Date('2026-01-01T00:00:00Z');
let sessions: StsSessions;

beforeAll(() => {
  db = openDatabase(undefined);
  sessions = new StsSessions(db, { now: () => now });
});
afterAll(() => db.close());

const roleSession: NewSession = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
  secret: 's'.repeat(40),
  token: 'token-1',
  kind: 'AssumeRole',
  accountId: ACCOUNT,
  caller: {
    type: 'role-session',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/build-1`,
    accountId: ACCOUNT,
    userId: 'AROAEXAMPLEEXAMPLE001:build-1',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/ci/deployer`,
    sessionName: 'build-1',
  },
  roleArn: `arn:aws:iam::${ACCOUNT}:role/ci/deployer`,
  sourceArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  sessionPolicies: { policy: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}', policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
  tags: [{ Key: 'Team', Value: 'red' }],
  transitiveTagKeys: ['Team'],
  sourceIdentity: 'alice',
  issuedAt: now,
  expiresAt: new Date(now.getTime() + 900_000),
};

describe('the sessions STS keeps, as enforcement reads them', () => {
  it('sessionFor gives back everything about a session', () => {
    sessions.insert(roleSession);
    expect(sessions.sessionFor(roleSession.accessKeyId)).toEqual({
      ...roleSession,
      caller: { ...roleSession.caller, accessKeyId: roleSession.accessKeyId },
    });
    expect(sessions.sessionFor('ASIANEVERISSUED0000')).toBeUndefined();
  });

  it('knows when a session has expired', () => {
    const session = sessions.sessionFor(roleSession.accessKeyId)!;
    expect(sessions.expired(session)).toBe(false);
    now = new Date(roleSession.expiresAt.getTime());
    expect(sessions.expired(session)).toBe(true);
  });

  it('a GetSessionToken session names the user it acts as', () => {
    const userArn = `arn:aws:iam::${ACCOUNT}:user/alice`;
    sessions.insert({
      ...roleSession,
      accessKeyId: 'ASIAEXAMPLEEXAMPLE02',
      kind: 'GetSessionToken',
      caller: { type: 'user', arn: userArn, accountId: ACCOUNT, userId: 'AIDAEXAMPLEEXAMPLE001', userName: 'alice' },
      roleArn: undefined,
      userArn,
      sessionPolicies: { policyArns: [] },
      tags: [],
      transitiveTagKeys: [],
      sourceIdentity: undefined,
    });
    const session = sessions.sessionFor('ASIAEXAMPLEEXAMPLE02')!;
    expect(session).toMatchObject({ kind: 'GetSessionToken', userArn, caller: { type: 'user', userName: 'alice', accessKeyId: 'ASIAEXAMPLEEXAMPLE02' } });
    expect(session.roleArn).toBeUndefined();
  });
});
