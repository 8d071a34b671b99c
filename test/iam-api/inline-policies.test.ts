import {
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  type IAMClient,
  ListGroupPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { allowAll, awsError, decode, iamClient, iamServer, trustService } from './helpers.js';

let server: RunningServer;
let iam: IAMClient;

beforeAll(async () => {
  server = await iamServer();
  iam = iamClient(server);
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'builder', AssumeRolePolicyDocument: trustService() }));
});
afterAll(() => server.stop());

describe('inline policies', () => {
  it('returns the document exactly as written, URL-encoded per RFC 3986', async () => {
    const document = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadAll", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}
  ]
}`;
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'read', PolicyDocument: document }));
    const got = await iam.send(new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'read' }));
    expect(got.UserName).toBe('alice');
    expect(got.PolicyName).toBe('read');
    // `*` is reserved in RFC 3986, so it travels as %2A; whitespace and newlines are kept.
    expect(got.PolicyDocument).toContain('%22s3%3AGet%2A%22');
    expect(got.PolicyDocument).toContain('%0A%20%20%22Version%22');
    expect(decode(got.PolicyDocument)).toBe(document);
  });

  it('puts, lists, replaces and deletes policies of users, groups and roles', async () => {
    const cases = [
      {
        put: (name: string, doc: string) => new PutUserPolicyCommand({ UserName: 'alice', PolicyName: name, PolicyDocument: doc }),
        get: (name: string) => new GetUserPolicyCommand({ UserName: 'alice', PolicyName: name }),
        list: () => new ListUserPoliciesCommand({ UserName: 'alice' }),
        del: (name: string) => new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: name }),
        missing: 'The user policy with name gone cannot be found.',
      },
      {
        put: (name: string, doc: string) => new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: name, PolicyDocument: doc }),
        get: (name: string) => new GetGroupPolicyCommand({ GroupName: 'devs', PolicyName: name }),
        list: () => new ListGroupPoliciesCommand({ GroupName: 'devs' }),
        del: (name: string) => new DeleteGroupPolicyCommand({ GroupName: 'devs', PolicyName: name }),
        missing: 'The group policy with name gone cannot be found.',
      },
      {
        put: (name: string, doc: string) => new PutRolePolicyCommand({ RoleName: 'builder', PolicyName: name, PolicyDocument: doc }),
        get: (name: string) => new GetRolePolicyCommand({ RoleName: 'builder', PolicyName: name }),
        list: () => new ListRolePoliciesCommand({ RoleName: 'builder' }),
        del: (name: string) => new DeleteRolePolicyCommand({ RoleName: 'builder', PolicyName: name }),
        missing: 'The role policy with name gone cannot be found.',
      },
    ];
    for (const c of cases) {
      await iam.send(c.put('one', allowAll('s3:GetObject')) as never);
      await iam.send(c.put('two', allowAll('s3:PutObject')) as never);
      await iam.send(c.put('one', allowAll('codecommit:GitPull')) as never);
      const listed = (await iam.send(c.list() as never)) as { PolicyNames: string[] };
      expect(listed.PolicyNames).toEqual(expect.arrayContaining(['one', 'two']));
      const got = (await iam.send(c.get('one') as never)) as { PolicyDocument: string };
      expect(decode(got.PolicyDocument)).toBe(allowAll('codecommit:GitPull'));
      await iam.send(c.del('two') as never);
      expect(((await iam.send(c.list() as never)) as { PolicyNames: string[] }).PolicyNames).not.toContain('two');
      const err = await awsError(iam.send(c.get('gone') as never));
      expect(err).toMatchObject({ name: 'NoSuchEntityException', message: c.missing, status: 404 });
      expect((await awsError(iam.send(c.del('gone') as never))).message).toBe(c.missing);
    }
  });

  it('rejects malformed documents with MalformedPolicyDocument (HTTP 400) and IAM\'s texts', async () => {
    const put = (doc: string) => awsError(iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'bad', PolicyDocument: doc })));
    const cases: [string, string][] = [
      ['{"Version":"2012-10-17","Statement":', 'Syntax errors in policy.'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}', 'Policy statement must contain resources.'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}', 'Policy statement must contain actions.'],
      [
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}',
        'Policy document should not specify a principal.',
      ],
    ];
    for (const [doc, message] of cases) {
      expect(await put(doc)).toMatchObject({ name: 'MalformedPolicyDocumentException', code: 'MalformedPolicyDocument', message, status: 400 });
    }
    const missing = await awsError(iam.send(new PutUserPolicyCommand({ UserName: 'nobody', PolicyName: 'p', PolicyDocument: allowAll() })));
    expect(missing.message).toBe('The user with name nobody cannot be found.');
  });

  it('enforces the aggregate inline policy size of a user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'big' }));
    const actions = Array.from({ length: 200 }, (_, i) => `s3:Action${i}`);
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
    const err = await awsError(iam.send(new PutUserPolicyCommand({ UserName: 'big', PolicyName: 'huge', PolicyDocument: doc })));
    expect(err).toMatchObject({ name: 'LimitExceededException', message: 'Maximum policy size of 2048 bytes exceeded for user big', status: 409 });
  });
});
