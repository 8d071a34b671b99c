import { CreateRepositoryCommand, GetRepositoryCommand, ListRepositoriesCommand } from '@aws-sdk/client-codecommit';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Sha256 } from '../helpers/sha256.js';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { git, gitOk, tempDir } from '../helpers/git.js';
import { awsError, testServer } from '../helpers/server.js';
import { codecommitAs, iamAs, rootKeys, type Keys } from './helpers.js';

let server: RunningServer;
const work = tempDir();
let bob: Keys;

beforeAll(async () => {
  server = await testServer({ enforceIam: true });
  await codecommitAs(server, rootKeys).send(new CreateRepositoryCommand({ repositoryName: 'guarded' }));
  const iam = iamAs(server, rootKeys);
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'bob',
      PolicyName: 'read-and-assume',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['codecommit:Get*', 'codecommit:List*', 'codecommit:GitPull'], Resource: '*' },
          { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
        ],
      }),
    }),
  );
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
  bob = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

describe('authentication with --enforce-iam', () => {
  it('refuses a wrong secret, an unknown key and an unsigned request with the codes of each protocol', async () => {
    const wrong = await awsError(codecommitAs(server, { ...bob, secretAccessKey: 'not-the-secret' }).send(new ListRepositoriesCommand({})));
    expect(wrong).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
    expect(wrong.message).toContain('The request signature we calculated does not match the signature you provided');
    const unknown = await awsError(codecommitAs(server, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' }).send(new ListRepositoriesCommand({})));
    expect(unknown).toMatchObject({ name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', status: 403 });
    const queryUnknown = await awsError(iamAs(server, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' }).send(new GetUserCommand({})));
    expect(queryUnknown).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    const unsigned = await fetch(`${server.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeCommit_20150413.ListRepositories' },
      body: '{}',
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  });

  it('refuses a request whose body was changed after signing', async () => {
    const signer = new SignatureV4({ credentials: bob, region: 'us-east-1', service: 'codecommit', sha256: Sha256 });
    const url = new URL(server.endpoint);
    const body = JSON.stringify({ repositoryName: 'guarded' });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'CodeCommit_20150413.GetRepository',
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      },
      body,
    });
    const send = (payload: string) => fetch(`${server.endpoint}/`, { method: 'POST', headers: signed.headers, body: payload });
    expect((await send(body)).status).toBe(200);
    const tampered = await send(JSON.stringify({ repositoryName: 'guarded', extra: 'tampered' }));
    expect(tampered.status).toBe(403);
    expect((await tampered.json()).__type).toBe('InvalidSignatureException');
  });

  it('refuses an anonymous clone', async () => {
    const anonymous = await git(work.path, ['clone', `${server.endpoint}/v1/repos/guarded`, join(work.path, 'anonymous')]);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toMatch(/could not read Username|Authentication failed/);
  });

  it('limits an assumed role by the role’s policies and by the session policy', async () => {
    const iam = iamAs(server, rootKeys);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'reader',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/bob' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'reader',
        PolicyName: 'codecommit-read',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['codecommit:GetRepository', 'codecommit:ListRepositories'], Resource: '*' }] }),
      }),
    );
    const sts = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: bob, maxAttempts: 1 });
    const assume = async (Policy?: string) => {
      const c = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/reader', RoleSessionName: 's1', Policy }))).Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    };
    const session = await assume();
    const me = await new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: session }).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:sts::000000000000:assumed-role/reader/s1');
    const asRole = codecommitAs(server, session);
    expect((await asRole.send(new GetRepositoryCommand({ repositoryName: 'guarded' }))).repositoryMetadata?.repositoryName).toBe('guarded');
    const create = await awsError(asRole.send(new CreateRepositoryCommand({ repositoryName: 'not-allowed' })));
    expect(create.name).toBe('AccessDeniedException');
    expect(create.message).toContain('User: arn:aws:sts::000000000000:assumed-role/reader/s1 is not authorized to perform: codecommit:CreateRepository');

    const narrowed = codecommitAs(
      server,
      await assume(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'codecommit:ListRepositories', Resource: '*' }] })),
    );
    expect((await narrowed.send(new ListRepositoriesCommand({}))).repositories).toBeDefined();
    const outside = await awsError(narrowed.send(new GetRepositoryCommand({ repositoryName: 'guarded' })));
    expect(outside.name).toBe('AccessDeniedException');
    expect(outside.message).toContain('because no session policy allows the codecommit:GetRepository action');
    const forged = await awsError(codecommitAs(server, { ...session, sessionToken: 'forged' }).send(new ListRepositoriesCommand({})));
    expect(forged.name).toBe('UnrecognizedClientException');
  });

  const awsCli = spawnSync('which', ['aws'], { encoding: 'utf8' }).stdout.trim();
  it.skipIf(!awsCli)('clones with the AWS CLI credential helper', async () => {
    const dir = join(work.path, 'helper-clone');
    const run = promisify(execFile);
    const env = {
      PATH: process.env.PATH!,
      HOME: work.path,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      AWS_ACCESS_KEY_ID: bob.accessKeyId,
      AWS_SECRET_ACCESS_KEY: bob.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    await run(
      'git',
      ['-c', `credential.helper=!${awsCli} codecommit credential-helper --ignore-host-check $@`, '-c', 'credential.UseHttpPath=true', 'clone', '-q', `${server.endpoint}/v1/repos/guarded`, dir],
      { env },
    );
    expect((await gitOk(dir, ['rev-parse', '--is-inside-work-tree'])).trim()).toBe('true');
  });
});

describe('--iam-soft-mode', () => {
  it('decides and logs a denial but lets the request through', async () => {
    const soft = await testServer({ enforceIam: true, iamSoftMode: true });
    try {
      const iam = iamAs(soft, rootKeys);
      await iam.send(new CreateUserCommand({ UserName: 'carol' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }))).AccessKey!;
      const carol = codecommitAs(soft, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      expect((await carol.send(new ListRepositoriesCommand({}))).repositories).toEqual([]);
      // Authentication is not softened: a bad signature is still refused.
      const wrong = await awsError(codecommitAs(soft, { accessKeyId: key.AccessKeyId!, secretAccessKey: 'nope' }).send(new ListRepositoriesCommand({})));
      expect(wrong.name).toBe('InvalidSignatureException');
    } finally {
      await soft.stop();
    }
  });
});
