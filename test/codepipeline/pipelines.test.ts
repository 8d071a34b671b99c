import {
  CreatePipelineCommand,
  DeletePipelineCommand,
  GetPipelineCommand,
  ListPipelinesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePipelineCommand,
  type PipelineDeclaration,
} from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsCli, awsCliFailure, defaultAwsCli } from '../helpers/aws-cli.js';
import { awsError, testServer } from '../helpers/server.js';
import { approval, codeCommitSource, declaration, pipelines, prepareAccount, ROLE_ARN, s3Deploy } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
  await prepareAccount(server);
});
afterAll(() => server.stop());

const valid = (name: string, extra: Partial<PipelineDeclaration> = {}) =>
  declaration(name, [{ name: 'Source', actions: [codeCommitSource('repo')] }, { name: 'Deploy', actions: [s3Deploy('site', 'out')] }], extra);

async function structureError(pipeline: PipelineDeclaration) {
  return awsError(pipelines(server).send(new CreatePipelineCommand({ pipeline })));
}

describe('CodePipeline pipelines', () => {
  it('creates, reads, updates (version bump), lists and deletes a pipeline', async () => {
    const client = pipelines(server);
    const created = await client.send(new CreatePipelineCommand({ pipeline: valid('crud'), tags: [{ key: 'team', value: 'a' }] }));
    expect(created.pipeline).toMatchObject({ name: 'crud', version: 1, pipelineType: 'V1', executionMode: 'SUPERSEDED', roleArn: ROLE_ARN });
    expect(created.tags).toEqual([{ key: 'team', value: 'a' }]);
    expect(created.pipeline!.stages![1].actions![0].runOrder).toBe(1);

    const got = await client.send(new GetPipelineCommand({ name: 'crud' }));
    expect(got.metadata!.pipelineArn).toBe('arn:aws:codepipeline:us-east-1:000000000000:crud');
    expect(got.metadata!.created).toBeInstanceOf(Date);

    const changed = { ...got.pipeline!, stages: [got.pipeline!.stages![0], { name: 'Approval', actions: [approval()] }, got.pipeline!.stages![1]] };
    const updated = await client.send(new UpdatePipelineCommand({ pipeline: changed }));
    expect(updated.pipeline!.version).toBe(2);
    expect((await client.send(new GetPipelineCommand({ name: 'crud' }))).pipeline!.stages!.map((s) => s.name)).toEqual(['Source', 'Approval', 'Deploy']);

    expect((await client.send(new ListPipelinesCommand({}))).pipelines!.map((p) => [p.name, p.version])).toContainEqual(['crud', 2]);

    const arn = got.metadata!.pipelineArn!;
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'env', value: 'prod' }] }));
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: 'env', value: 'prod' }]);

    await client.send(new DeletePipelineCommand({ name: 'crud' }));
    expect(await awsError(client.send(new GetPipelineCommand({ name: 'crud' })))).toMatchObject({
      name: 'PipelineNotFoundException',
      message: "Account '000000000000' does not have a pipeline with name 'crud'",
    });
  });

  it('refuses a name in use', async () => {
    await pipelines(server).send(new CreatePipelineCommand({ pipeline: valid('twice') }));
    expect(await structureError(valid('twice'))).toMatchObject({ name: 'PipelineNameInUseException' });
  });

  it("answers structure errors with AWS's exception types and texts", async () => {
    const source = { name: 'Source', actions: [codeCommitSource('repo')] };
    expect(await structureError(declaration('one', [source]))).toMatchObject({
      name: 'InvalidStructureException',
      message: 'Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline',
    });
    expect(await structureError(declaration('noinput', [source, { name: 'Deploy', actions: [{ ...s3Deploy('b', 'k'), inputArtifacts: [] }] }]))).toMatchObject({
      name: 'InvalidActionDeclarationException',
      message: 'Action DeployToS3 declares 0 input artifacts which is less than the minimum count (1)',
    });
    const twoSources = { name: 'Source', actions: [codeCommitSource('repo'), codeCommitSource('other', { name: 'Other', namespace: 'Other' })] };
    expect(await structureError(declaration('dup', [twoSources, { name: 'Deploy', actions: [s3Deploy('b', 'k')] }]))).toMatchObject({
      name: 'InvalidActionDeclarationException',
      message: 'Output Artifact Bundle name must be unique within the pipeline. SourceOutput has been used more than once.',
    });
    const sameNamespace = { name: 'Source', actions: [codeCommitSource('repo'), codeCommitSource('other', { name: 'Other', outputArtifacts: [{ name: 'O2' }] })] };
    expect(await structureError(declaration('ns', [sameNamespace, { name: 'Deploy', actions: [s3Deploy('b', 'k')] }]))).toMatchObject({
      name: 'InvalidActionDeclarationException',
      message:
        'Namespaces must be unique across the pipeline definition. The following occur more than once in the pipeline. StageName=[Source], ActionName=[Source], Namespace=[SourceVariables], StageName=[Source], ActionName=[Other], Namespace=[SourceVariables]',
    });
    const unknown = { name: 'Source', actions: [{ ...codeCommitSource('repo'), actionTypeId: { category: 'Source' as const, owner: 'Custom' as const, provider: 'X', version: '1' } }] };
    expect(await structureError(declaration('unknown', [unknown, { name: 'Deploy', actions: [s3Deploy('b', 'k')] }]))).toMatchObject({
      name: 'InvalidActionDeclarationException',
      message: "ActionType (Category: 'Source', Provider: 'X', Owner: 'Custom', Version: '1') in action 'Source' is not available in region 'US_EAST_1'",
    });
    expect(await structureError(declaration('cmds', [source, { name: 'Deploy', actions: [{ ...s3Deploy('b', 'k'), commands: ['ls'] }] }]))).toMatchObject({
      name: 'InvalidActionDeclarationException',
      message: 'The following action cannot contain a commands field: DeployToS3. To use the commands field, use a compute action.',
    });
    expect(await structureError(declaration('late', [source, { name: 'Deploy', actions: [s3Deploy('b', 'k', 'Missing')] }]))).toMatchObject({
      name: 'InvalidActionDeclarationException',
    });
    expect(await structureError(declaration('misplaced', [{ name: 'Build', actions: [s3Deploy('b', 'k')] }, source]))).toMatchObject({ name: 'InvalidStructureException' });
    expect(await structureError(valid('norole', { roleArn: 'arn:aws:iam::000000000000:role/missing' }))).toMatchObject({
      name: 'InvalidStructureException',
      message: 'CodePipeline is not authorized to perform AssumeRole on role arn:aws:iam::000000000000:role/missing',
    });
    expect(await structureError(valid('queued', { executionMode: 'QUEUED' }))).toMatchObject({ name: 'ValidationException' });
    const badConfig = { name: 'Source', actions: [codeCommitSource('repo', { configuration: { RepositoryName: 'repo' } })] };
    expect(await structureError(declaration('cfg', [badConfig, { name: 'Deploy', actions: [s3Deploy('b', 'k')] }]))).toMatchObject({
      name: 'InvalidActionDeclarationException',
      message: "Action configuration for action 'Source' is missing required configuration 'BranchName'",
    });
  });
});

describe.skipIf(!defaultAwsCli)('CodePipeline through the AWS CLI', () => {
  it('creates a pipeline, lists it, reads its state and names a missing pipeline as AWS does', async () => {
    const cli = defaultAwsCli!;
    const endpoint = ['--endpoint-url', server.endpoint];
    const created = await awsCli(cli, ['codepipeline', 'create-pipeline', '--pipeline', JSON.stringify(valid('cli')), ...endpoint]);
    expect(created.pipeline).toMatchObject({ name: 'cli', version: 1 });
    const listed = await awsCli(cli, ['codepipeline', 'list-pipelines', ...endpoint]);
    expect(listed.pipelines.map((p: { name: string }) => p.name)).toContain('cli');
    const state = await awsCli(cli, ['codepipeline', 'get-pipeline-state', '--name', 'cli', ...endpoint]);
    expect(state.stageStates.map((s: { stageName: string }) => s.stageName)).toEqual(['Source', 'Deploy']);
    const failure = await awsCliFailure(cli, ['codepipeline', 'get-pipeline', '--name', 'nope', ...endpoint]);
    expect(failure).toContain('PipelineNotFoundException');
    expect(failure).toContain("Account '000000000000' does not have a pipeline with name 'nope'");
  });
});
