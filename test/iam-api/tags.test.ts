import {
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  GetUserCommand,
  type IAMClient,
  ListPolicyTagsCommand,
  ListRoleTagsCommand,
  ListUserTagsCommand,
  TagPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UntagUserCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { allowAll, awsError, iamClient, iamServer, trustService } from './helpers.js';

let server: RunningServer;
let iam: IAMClient;

beforeAll(async () => {
  server = await iamServer();
  iam = iamClient(server);
});
afterAll(() => server.stop());

describe('tags', () => {
  it('tags users at creation and later; keys ignore case', async () => {
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'platform' }] }));
    expect(User!.Tags).toEqual([{ Key: 'team', Value: 'platform' }]);
    await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'cost-center', Value: '42' }, { Key: 'Team', Value: 'infra' }] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'alice' }))).Tags).toEqual(
      expect.arrayContaining([
        { Key: 'cost-center', Value: '42' },
        { Key: 'Team', Value: 'infra' },
      ]),
    );
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'alice' }))).Tags).toHaveLength(2);
    await iam.send(new UntagUserCommand({ UserName: 'alice', TagKeys: ['TEAM'] }));
    expect((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User!.Tags).toEqual([{ Key: 'cost-center', Value: '42' }]);

    const dup = await awsError(iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })));
    expect(dup).toMatchObject({ name: 'InvalidInputException', message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' });
    expect((await awsError(iam.send(new ListUserTagsCommand({ UserName: 'nobody' })))).name).toBe('NoSuchEntityException');
  });

  it('tags roles and customer managed policies, not AWS managed ones', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trustService(), Tags: [{ Key: 'env', Value: 'dev' }] }));
    await iam.send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'owner', Value: 'ci' }] }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role!.Tags).toHaveLength(2);
    await iam.send(new UntagRoleCommand({ RoleName: 'r', TagKeys: ['env'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'r' }))).Tags).toEqual([{ Key: 'owner', Value: 'ci' }]);

    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'tagged', PolicyDocument: allowAll(), Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(Policy!.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    await iam.send(new TagPolicyCommand({ PolicyArn: Policy!.Arn, Tags: [{ Key: 'k2', Value: 'v2' }] }));
    await iam.send(new UntagPolicyCommand({ PolicyArn: Policy!.Arn, TagKeys: ['k'] }));
    const page = await iam.send(new ListPolicyTagsCommand({ PolicyArn: Policy!.Arn, MaxItems: 1 }));
    expect(page).toMatchObject({ Tags: [{ Key: 'k2', Value: 'v2' }], IsTruncated: false });

    const aws = await awsError(iam.send(new TagPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', Tags: [{ Key: 'k', Value: 'v' }] })));
    expect(aws).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect((await iam.send(new ListPolicyTagsCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }))).Tags).toEqual([]);
  });

  it('limits an entity to 50 tags', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'many' }));
    const tags = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));
    await iam.send(new TagUserCommand({ UserName: 'many', Tags: tags(0, 50) }));
    const err = await awsError(iam.send(new TagUserCommand({ UserName: 'many', Tags: tags(50, 1) })));
    expect(err).toMatchObject({ name: 'LimitExceededException', status: 409 });
  });
});
