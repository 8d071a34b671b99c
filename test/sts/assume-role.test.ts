import { CreateAccessKeyCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ACCOUNT, awsError, createRole, iam, sts, stsServer, temporary, trustPolicy, userWithKeys, type AwsCredentialIdentity } from './helpers.js';

let server: RunningServer;
let alice: Awaited<ReturnType<typeof userWithKeys>>;
let deployer: { arn: string; id: string };

beforeAll(async () => {
  server = await stsServer();
  alice = await userWithKeys(server, 'alice', '/dev/');
  deployer = await createRole(server, 'deployer', trustPolicy({ AWS: alice.arn }), { path: '/ci/' });
});
afterAll(() => server.stop());

const assume = (credentials: AwsCredentialIdentity, input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) =>
  sts(server, credentials).send(new AssumeRoleCommand({ RoleArn: deployer.arn, RoleSessionName: 'build-1', ...input }));


const denied = (caller: string, role: string, action = 'sts:AssumeRole') => ({
  name: 'AccessDenied',
  message: `User: ${caller} is not authorized to perform: ${action} on resource: ${role}`,
  status: 403,
});

describe('AssumeRole', () => {
  it('hands a user the trust policy names credentials of a role session', async () => {
    const before = Date.now();
    const out = await assume(alice);
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials!.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials!.SessionToken!.length).toBeGreaterThan(200);
    const expires = out.Credentials!.Expiration!.getTime();
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3600_000);
    // The assumed-role ARN names the role without its path.
    expect(out.AssumedRoleUser).toEqual({ AssumedRoleId: `${deployer.id}:build-1`, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/build-1` });
    expect(out.PackedPolicySize).toBeUndefined();

    expect(await sts(server, temporary(out.Credentials)).send(new GetCallerIdentityCommand({}))).toMatchObject({
      UserId: `${deployer.id}:build-1`,
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/build-1`,
    });
  });

  it('records the role\'s last use for GetRole', async () => {
    await assume(alice);
    const { Role } = await iam(server).send(new GetRoleCommand({ RoleName: 'deployer' }));
    expect(Role!.RoleLastUsed).toMatchObject({ Region: 'us-east-1' });
    expect(Role!.RoleLastUsed!.LastUsedDate).toBeInstanceOf(Date);
  });

  it('denies a caller the trust policy does not name, and a role that does not exist', async () => {
    const mallory = await userWithKeys(server, 'mallory');
    expect(await awsError(assume(mallory))).toEqual(denied(mallory.arn, deployer.arn));
    const missing = `arn:aws:iam::${ACCOUNT}:role/nobody`;
    expect(await awsError(assume(alice, { RoleArn: missing }))).toEqual(denied(alice.arn, missing));
    // The path is part of the role's ARN.
    const withoutPath = `arn:aws:iam::${ACCOUNT}:role/deployer`;
    expect(await awsError(assume(alice, { RoleArn: withoutPath }))).toEqual(denied(alice.arn, withoutPath));
  });

  it('never lets the account root assume a role, whatever the trust policy says', async () => {
    const open = await createRole(server, 'account-trust', trustPolicy({ AWS: `arn:aws:iam::${ACCOUNT}:root` }));
    const expected = { name: 'AccessDenied', message: 'Roles may not be assumed by root accounts.', status: 403 };
    expect(await awsError(assume({ accessKeyId: 'test', secretAccessKey: 'test' }, { RoleArn: open.arn }))).toEqual(expected);
    const { AccessKey } = await iam(server).send(new CreateAccessKeyCommand({}));
    expect(await awsError(assume({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }, { RoleArn: open.arn }))).toEqual(
      expected,
    );
  });

  it('needs an identity policy as well when the trust policy names only the account', async () => {
    const role = await createRole(server, 'account-trusted', trustPolicy({ AWS: ACCOUNT }));
    const carol = await userWithKeys(server, 'carol');
    expect(await awsError(assume(carol, { RoleArn: role.arn }))).toEqual(denied(carol.arn, role.arn));
    const dave = await userWithKeys(server, 'dave', '/', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role.arn }] });
    expect((await assume(dave, { RoleArn: role.arn })).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/account-trusted/build-1`);
  });

  it('an explicit deny in the caller\'s identity policies wins over the trust policy', async () => {
    const erin = await userWithKeys(server, 'erin', '/', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sts:*', Resource: '*' }] });
    const role = await createRole(server, 'trusts-erin', trustPolicy({ AWS: erin.arn }));
    expect(await awsError(assume(erin, { RoleArn: role.arn }))).toEqual(denied(erin.arn, role.arn));
  });

  it('puts ExternalId in the trust policy\'s sts:ExternalId condition key', async () => {
    const role = await createRole(server, 'third-party', trustPolicy({ AWS: alice.arn }, { Condition: { StringEquals: { 'sts:ExternalId': 'Unicorn-42' } } }));
    expect(await awsError(assume(alice, { RoleArn: role.arn }))).toEqual(denied(alice.arn, role.arn));
    expect(await awsError(assume(alice, { RoleArn: role.arn, ExternalId: 'unicorn-42' }))).toEqual(denied(alice.arn, role.arn));
    expect((await assume(alice, { RoleArn: role.arn, ExternalId: 'Unicorn-42' })).Credentials!.AccessKeyId).toMatch(/^ASIA/);
  });

  it('bounds DurationSeconds by 900 and the role\'s MaxSessionDuration', async () => {
    const tooShort = await awsError(assume(alice, { DurationSeconds: 899 }));
    expect(tooShort).toMatchObject({ name: 'ValidationError', status: 400 });
    // AWS writes `Value '899' at 'durationSeconds'`; the shared model validator's spelling of the member and the value may differ.
    expect(tooShort.message).toMatch(/^1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900$/);
    expect(await awsError(assume(alice, { DurationSeconds: 3601 }))).toEqual({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      status: 400,
    });
    const long = await createRole(server, 'long-builds', trustPolicy({ AWS: alice.arn }), { maxSessionDuration: 4 * 3600 });
    const out = await assume(alice, { RoleArn: long.arn, DurationSeconds: 4 * 3600 });
    expect(out.Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now() + 4 * 3600_000 - 60_000);
    const short = await assume(alice, { DurationSeconds: 900 });
    expect(short.Credentials!.Expiration!.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
  });

  it('limits a role session that assumes a role (role chaining) to one hour', async () => {
    const chained = await createRole(server, 'chained', trustPolicy({ AWS: deployer.arn }), { maxSessionDuration: 4 * 3600 });
    const first = temporary((await assume(alice)).Credentials);
    expect(await awsError(assume(first, { RoleArn: chained.arn, DurationSeconds: 3601 }))).toEqual({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      status: 400,
    });
    const second = await assume(first, { RoleArn: chained.arn, RoleSessionName: 'hop-2' });
    expect(await sts(server, temporary(second.Credentials)).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/chained/hop-2`,
    });
  });

  it('validates the role ARN and the session name as AWS does', async () => {
    expect(await awsError(assume(alice, { RoleArn: 'nothing-valid-in-here' }))).toEqual({
      name: 'ValidationError',
      message: 'nothing-valid-in-here is invalid',
      status: 400,
    });
    expect(await awsError(assume(alice, { RoleArn: 'arn:a:a::aaaaaaaaaa:' }))).toMatchObject({ message: 'arn:a:a::aaaaaaaaaa: is invalid' });
    // AWS names the member `roleSessionName`; the shared model validator may spell it as the model does.
    const badName = await awsError(assume(alice, { RoleSessionName: 'Session1:2' }));
    expect(badName).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(badName.message).toBe(
      "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    const longName = await awsError(assume(alice, { RoleSessionName: 's'.repeat(65) }));
    expect(longName.message).toBe(
      `1 validation error detected: Value '${'s'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  });

  it('checks a session policy, keeps it, and reports its packed size', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] });
    const out = await assume(alice, { Policy: policy, PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    expect(out.PackedPolicySize).toBeLessThan(100);
    expect(await awsError(assume(alice, { Policy: '{"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}' }))).toEqual({
      name: 'MalformedPolicyDocumentException',
      code: 'MalformedPolicyDocument',
      message: 'Policy statement must contain resources.',
      status: 400,
    });
    const huge = JSON.stringify({
      Version: '2012-10-17',
      Statement: Array.from({ length: 18 }, (_, i) => ({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: `arn:aws:s3:::bucket-${createHash('sha1').update(`b${i}`).digest('hex').slice(0, 12)}/${createHash('sha1').update(`p${i}`).digest('hex').slice(0, 12)}/*`,
      })),
    });
    const tooLarge = await awsError(assume(alice, { Policy: huge }));
    expect(tooLarge).toMatchObject({ name: 'PackedPolicyTooLargeException', code: 'PackedPolicyTooLarge', status: 400 });
    expect(tooLarge.message).toMatch(/^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/);
  });

  it('needs sts:TagSession in the trust policy to pass session tags, and checks tag keys', async () => {
    const tags = [{ Key: 'Project', Value: 'Unicorn' }];
    expect(await awsError(assume(alice, { Tags: tags }))).toEqual(denied(alice.arn, deployer.arn, 'sts:TagSession'));
    const tagging = await createRole(
      server,
      'tagging',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] }),
    );
    const out = await assume(alice, { RoleArn: tagging.arn, Tags: tags, TransitiveTagKeys: ['project'] });
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    expect(await awsError(assume(alice, { RoleArn: tagging.arn, Tags: tags, TransitiveTagKeys: ['Team'] }))).toEqual({
      name: 'InvalidParameterValue',
      message: 'The specified transitive tag key must be included in the requested tags.',
      status: 400,
    });
    expect(await awsError(assume(alice, { RoleArn: tagging.arn, Tags: [...tags, { Key: 'PROJECT', Value: 'x' }] }))).toEqual({
      name: 'InvalidParameterValue',
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      status: 400,
    });
  });

  it('passes transitive tags down a chain and refuses to override them', async () => {
    const trust = (principal: string) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] });
    const first = await createRole(server, 'chain-1', trust(alice.arn));
    const second = await createRole(server, 'chain-2', trust(first.arn));
    const keys = temporary((await assume(alice, { RoleArn: first.arn, Tags: [{ Key: 'Team', Value: 'red' }], TransitiveTagKeys: ['Team'] })).Credentials);
    expect(await awsError(assume(keys, { RoleArn: second.arn, Tags: [{ Key: 'team', Value: 'blue' }] }))).toEqual({
      name: 'InvalidParameterValue',
      message: "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
      status: 400,
    });
    expect((await assume(keys, { RoleArn: second.arn, Tags: [{ Key: 'Stage', Value: 'beta' }] })).AssumedRoleUser!.Arn).toContain('assumed-role/chain-2/');
  });

  it('an identity policy of the calling role session counts for role chaining', async () => {
    const target = await createRole(server, 'chain-target', trustPolicy({ AWS: ACCOUNT }));
    const first = temporary((await assume(alice)).Credentials);
    expect(await awsError(assume(first, { RoleArn: target.arn }))).toEqual(
      denied(`arn:aws:sts::${ACCOUNT}:assumed-role/deployer/build-1`, target.arn),
    );
    await iam(server).send(
      new PutRolePolicyCommand({
        RoleName: 'deployer',
        PolicyName: 'hop',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: target.arn }] }),
      }),
    );
    expect((await assume(first, { RoleArn: target.arn })).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/chain-target/build-1`);
  });

  it('needs sts:SetSourceIdentity to set a source identity, which then passes down a chain', async () => {
    expect(await awsError(assume(alice, { SourceIdentity: 'alice' }))).toEqual(denied(alice.arn, deployer.arn, 'sts:SetSourceIdentity'));
    const trust = (principal: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: principal }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Condition: { StringLike: { 'sts:SourceIdentity': 'ali*' } } },
        ],
      });
    const audited = await createRole(server, 'audited', trust(alice.arn));
    const next = await createRole(server, 'audited-next', trust(audited.arn));
    expect(await awsError(assume(alice, { RoleArn: audited.arn }))).toEqual(denied(alice.arn, audited.arn));
    const out = await assume(alice, { RoleArn: audited.arn, SourceIdentity: 'alice' });
    expect(out.SourceIdentity).toBe('alice');
    const chained = await assume(temporary(out.Credentials), { RoleArn: next.arn, RoleSessionName: 'hop' });
    expect(chained.SourceIdentity).toBe('alice');
  });

  it('refuses an MFA code: codesuite has no MFA devices', async () => {
    expect(await awsError(assume(alice, { SerialNumber: 'arn:aws:iam::000000000000:mfa/alice', TokenCode: '123456' }))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
  });
});
