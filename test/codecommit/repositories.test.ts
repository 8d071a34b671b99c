import {
  BatchGetRepositoriesCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  GetRepositoryCommand,
  ListRepositoriesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRepositoryDescriptionCommand,
  UpdateRepositoryEncryptionKeyCommand,
  UpdateRepositoryNameCommand,
} from '@aws-sdk/client-codecommit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

describe('CodeCommit repositories', () => {
  it('creates a repository shaped as AWS returns it', async () => {
    const cc = codecommit(server);
    const before = Date.now();
    const { repositoryMetadata: m } = await cc.send(
      new CreateRepositoryCommand({ repositoryName: 'shape', repositoryDescription: 'a demo', tags: { team: 'core' } }),
    );
    expect(m?.repositoryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(m?.Arn).toBe('arn:aws:codecommit:us-east-1:000000000000:shape');
    expect(m?.accountId).toBe('000000000000');
    expect(m?.repositoryName).toBe('shape');
    expect(m?.repositoryDescription).toBe('a demo');
    expect(m?.cloneUrlHttp).toBe(`${server.endpoint}/v1/repos/shape`);
    expect(m?.cloneUrlSsh).toMatch(/^ssh:\/\/.+\/v1\/repos\/shape$/);
    expect(m?.creationDate).toBeInstanceOf(Date);
    expect(m!.creationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(m?.lastModifiedDate?.getTime()).toBe(m?.creationDate?.getTime());
    expect(m?.defaultBranch).toBeUndefined();
    const got = await cc.send(new GetRepositoryCommand({ repositoryName: 'shape' }));
    expect(got.repositoryMetadata).toEqual(m);
    const tags = await cc.send(new ListTagsForResourceCommand({ resourceArn: m!.Arn }));
    expect(tags.tags).toEqual({ team: 'core' });
  });

  it('refuses a duplicate, an invalid and a missing name with CodeCommit’s own exceptions', async () => {
    const cc = codecommit(server);
    await cc.send(new CreateRepositoryCommand({ repositoryName: 'dup' }));
    expect(await awsError(cc.send(new CreateRepositoryCommand({ repositoryName: 'dup' })))).toMatchObject({
      name: 'RepositoryNameExistsException',
      message: 'Repository named dup already exists',
      status: 400,
    });
    expect((await awsError(cc.send(new CreateRepositoryCommand({ repositoryName: 'bad name' })))).name).toBe('InvalidRepositoryNameException');
    expect((await awsError(cc.send(new CreateRepositoryCommand({ repositoryName: 'x'.repeat(101) })))).name).toBe('InvalidRepositoryNameException');
    expect((await awsError(cc.send(new CreateRepositoryCommand({ repositoryName: 'ends.git' })))).name).toBe('InvalidRepositoryNameException');
    expect((await awsError(cc.send(new CreateRepositoryCommand({} as never)))).name).toBe('RepositoryNameRequiredException');
    expect(
      (await awsError(cc.send(new CreateRepositoryCommand({ repositoryName: 'longdesc', repositoryDescription: 'd'.repeat(1001) })))).name,
    ).toBe('InvalidRepositoryDescriptionException');
    expect((await awsError(cc.send(new CreateRepositoryCommand({ repositoryName: 'systag', tags: { 'aws:x': 'y' } })))).name).toBe(
      'InvalidSystemTagUsageException',
    );
    // Nothing was created by the refused calls.
    expect((await awsError(cc.send(new GetRepositoryCommand({ repositoryName: 'longdesc' })))).name).toBe('RepositoryDoesNotExistException');
    expect((await awsError(cc.send(new GetRepositoryCommand({ repositoryName: 'systag' })))).name).toBe('RepositoryDoesNotExistException');
  });

  it('reports a missing repository by name', async () => {
    const err = await awsError(codecommit(server).send(new GetRepositoryCommand({ repositoryName: 'nowhere' })));
    expect(err).toMatchObject({ name: 'RepositoryDoesNotExistException', message: 'nowhere does not exist', status: 400 });
  });

  it('batch-gets repositories and lists the ones not found', async () => {
    const cc = codecommit(server);
    await cc.send(new CreateRepositoryCommand({ repositoryName: 'batch-a' }));
    const out = await cc.send(new BatchGetRepositoriesCommand({ repositoryNames: ['batch-a', 'batch-missing'] }));
    expect(out.repositories?.map((r) => r.repositoryName)).toEqual(['batch-a']);
    expect(out.repositoriesNotFound).toEqual(['batch-missing']);
    const tooMany = Array.from({ length: 101 }, (_, i) => `r${i}`);
    expect((await awsError(cc.send(new BatchGetRepositoriesCommand({ repositoryNames: tooMany })))).name).toBe(
      'MaximumRepositoryNamesExceededException',
    );
    expect((await awsError(cc.send(new BatchGetRepositoriesCommand({} as never)))).name).toBe('RepositoryNamesRequiredException');
  });

  it('deletes a repository once, then answers without an id', async () => {
    const cc = codecommit(server);
    const { repositoryMetadata } = await cc.send(new CreateRepositoryCommand({ repositoryName: 'doomed' }));
    expect((await cc.send(new DeleteRepositoryCommand({ repositoryName: 'doomed' }))).repositoryId).toBe(repositoryMetadata?.repositoryId);
    expect((await cc.send(new DeleteRepositoryCommand({ repositoryName: 'doomed' }))).repositoryId).toBeUndefined();
    expect((await awsError(cc.send(new GetRepositoryCommand({ repositoryName: 'doomed' })))).name).toBe('RepositoryDoesNotExistException');
  });

  it('renames, describes and re-keys a repository', async () => {
    const cc = codecommit(server);
    const created = await cc.send(new CreateRepositoryCommand({ repositoryName: 'old-name' }));
    await cc.send(new CreateRepositoryCommand({ repositoryName: 'taken' }));
    expect((await awsError(cc.send(new UpdateRepositoryNameCommand({ oldName: 'old-name', newName: 'taken' })))).name).toBe(
      'RepositoryNameExistsException',
    );
    expect((await awsError(cc.send(new UpdateRepositoryNameCommand({ oldName: 'absent', newName: 'x' })))).name).toBe(
      'RepositoryDoesNotExistException',
    );
    await cc.send(new UpdateRepositoryNameCommand({ oldName: 'old-name', newName: 'new-name' }));
    const renamed = (await cc.send(new GetRepositoryCommand({ repositoryName: 'new-name' }))).repositoryMetadata!;
    expect(renamed.repositoryId).toBe(created.repositoryMetadata?.repositoryId);
    expect(renamed.Arn).toBe('arn:aws:codecommit:us-east-1:000000000000:new-name');
    expect((await awsError(cc.send(new GetRepositoryCommand({ repositoryName: 'old-name' })))).name).toBe('RepositoryDoesNotExistException');

    await cc.send(new UpdateRepositoryDescriptionCommand({ repositoryName: 'new-name', repositoryDescription: 'described' }));
    expect((await cc.send(new GetRepositoryCommand({ repositoryName: 'new-name' }))).repositoryMetadata?.repositoryDescription).toBe('described');

    const keyArn = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const rekeyed = await cc.send(new UpdateRepositoryEncryptionKeyCommand({ repositoryName: 'new-name', kmsKeyId: keyArn }));
    expect(rekeyed).toMatchObject({ repositoryId: renamed.repositoryId, kmsKeyId: keyArn, originalKmsKeyId: 'alias/aws/codecommit' });
    expect((await awsError(cc.send(new UpdateRepositoryEncryptionKeyCommand({ repositoryName: 'new-name', kmsKeyId: 'not a key' })))).name).toBe(
      'EncryptionKeyInvalidIdException',
    );
  });

  it('lists repositories sorted and ordered, and rejects bad list arguments', async () => {
    const cc = codecommit(server, 'ap-south-1');
    for (const name of ['charlie', 'alpha', 'bravo']) await cc.send(new CreateRepositoryCommand({ repositoryName: name }));
    const names = async (input: object) => (await cc.send(new ListRepositoriesCommand(input))).repositories?.map((r) => r.repositoryName);
    expect(await names({})).toEqual(['alpha', 'bravo', 'charlie']);
    expect(await names({ order: 'descending' })).toEqual(['charlie', 'bravo', 'alpha']);
    expect(await names({ sortBy: 'lastModifiedDate' })).toEqual(['charlie', 'alpha', 'bravo']);
    expect((await awsError(cc.send(new ListRepositoriesCommand({ sortBy: 'size' as never })))).name).toBe('InvalidSortByException');
    expect((await awsError(cc.send(new ListRepositoriesCommand({ order: 'up' as never })))).name).toBe('InvalidOrderException');
    expect((await awsError(cc.send(new ListRepositoriesCommand({ nextToken: 'garbage!' })))).name).toBe('InvalidContinuationTokenException');
  });

  it('keeps each region a separate namespace', async () => {
    const east = codecommit(server, 'us-east-1');
    const west = codecommit(server, 'eu-west-1');
    await east.send(new CreateRepositoryCommand({ repositoryName: 'regional' }));
    expect((await awsError(west.send(new GetRepositoryCommand({ repositoryName: 'regional' })))).name).toBe('RepositoryDoesNotExistException');
    const { repositoryMetadata } = await west.send(new CreateRepositoryCommand({ repositoryName: 'regional' }));
    expect(repositoryMetadata?.Arn).toBe('arn:aws:codecommit:eu-west-1:000000000000:regional');
    expect(repositoryMetadata?.cloneUrlHttp).toBe(`${server.endpoint}/eu-west-1/v1/repos/regional`);
  });

  it('tags and untags a repository by ARN', async () => {
    const cc = codecommit(server);
    const arn = (await cc.send(new CreateRepositoryCommand({ repositoryName: 'tagged' }))).repositoryMetadata!.Arn!;
    await cc.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1', b: '2' } }));
    await cc.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    expect((await cc.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ b: '2' });
    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect((await awsError(cc.send(new TagResourceCommand({ resourceArn: arn, tags: tooMany })))).name).toBe('TooManyTagsException');
    expect((await awsError(cc.send(new TagResourceCommand({ resourceArn: 'arn:nope', tags: { a: 'b' } })))).name).toBe('InvalidResourceArnException');
    expect(
      (await awsError(cc.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:codecommit:us-east-1:000000000000:ghost' })))).name,
    ).toBe('RepositoryDoesNotExistException');
    expect((await awsError(cc.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [] })))).name).toBe('TagKeysListRequiredException');
  });
});

describe('account id', () => {
  it('is settable and shows in ARNs', async () => {
    const other = await testServer({ accountId: '123456789012' });
    try {
      const { repositoryMetadata } = await codecommit(other).send(new CreateRepositoryCommand({ repositoryName: 'acct' }));
      expect(repositoryMetadata).toMatchObject({ accountId: '123456789012', Arn: 'arn:aws:codecommit:us-east-1:123456789012:acct' });
    } finally {
      await other.stop();
    }
  });
});
