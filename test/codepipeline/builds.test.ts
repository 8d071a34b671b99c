import { CreateProjectCommand, UpdateProjectCommand, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CreatePipelineCommand, ListActionExecutionsCommand, RetryStageExecutionCommand } from '@aws-sdk/client-codepipeline';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { codebuild, dockerTestImage, pushRepository } from '../codebuild/helpers.js';
import { tempDir } from '../helpers/git.js';
import { testServer } from '../helpers/server.js';
import { codeCommitSource, declaration, executionIds, pipelines, prepareAccount, s3, s3Deploy, stageStates, waitForStatus } from './helpers.js';

const docker = await dockerTestImage();
const skip = 'skip' in docker ? docker.skip : undefined;

const buildAction = (name: string, project: string, runOrder = 1, extra: Record<string, unknown> = {}) => ({
  name,
  runOrder,
  actionTypeId: { category: 'Build' as const, owner: 'AWS' as const, provider: 'CodeBuild', version: '1' },
  configuration: { ProjectName: project },
  inputArtifacts: [{ name: 'SourceOutput' }],
  ...extra,
});

describe.skipIf(skip !== undefined)(`CodePipeline with CodeBuild in Docker${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: RunningServer;
  let cb: CodeBuildClient;
  const work = tempDir('codepipeline-builds-');

  beforeAll(async () => {
    server = await testServer({ buildExecutor: 'docker', buildNetworkMode: 'host', buildImageMap: `aws/codebuild/*=${'image' in docker ? docker.image : ''}` });
    cb = codebuild(server);
    await prepareAccount(server);
    await s3(server).send(new CreateBucketCommand({ Bucket: 'site' }));
  });
  afterAll(async () => {
    await server?.stop();
    work.remove();
  });

  const project = (name: string, buildspec: string) =>
    cb.send(
      new CreateProjectCommand({
        name,
        source: { type: 'CODEPIPELINE', buildspec },
        artifacts: { type: 'CODEPIPELINE' },
        environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
      }),
    );

  it('builds the source, runs two parallel tests then a later group, exports variables, and deploys the build output', async () => {
    await pushRepository(server, 'app', { 'src/name.txt': 'codesuite' }, work.path);
    await project(
      'compile',
      [
        'version: 0.2',
        'env:',
        '  exported-variables:',
        '    - RELEASE',
        'phases:',
        '  build:',
        '    commands:',
        '      - export RELEASE=r-$(cat src/name.txt)',
        '      - mkdir -p out && echo "hello $(cat src/name.txt) $MODE" > out/index.html',
        'artifacts:',
        '  base-directory: out',
        '  files:',
        '    - "**/*"',
      ].join('\n'),
    );
    await project('check', 'version: 0.2\nphases:\n  build:\n    commands:\n      - grep -q hello index.html\n');
    await pipelines(server).send(
      new CreatePipelineCommand({
        pipeline: declaration('app', [
          { name: 'Source', actions: [codeCommitSource('app')] },
          {
            name: 'Build',
            actions: [
              buildAction('Compile', 'compile', 1, {
                namespace: 'BuildVariables',
                outputArtifacts: [{ name: 'Site' }],
                configuration: { ProjectName: 'compile', EnvironmentVariables: '[{"name":"MODE","value":"#{SourceVariables.BranchName}","type":"PLAINTEXT"}]' },
              }),
            ],
          },
          {
            name: 'Test',
            actions: [
              { ...buildAction('CheckA', 'check', 1), actionTypeId: { category: 'Test', owner: 'AWS', provider: 'CodeBuild', version: '1' }, inputArtifacts: [{ name: 'Site' }] },
              { ...buildAction('CheckB', 'check', 1), actionTypeId: { category: 'Test', owner: 'AWS', provider: 'CodeBuild', version: '1' }, inputArtifacts: [{ name: 'Site' }] },
              { ...buildAction('CheckC', 'check', 2), actionTypeId: { category: 'Test', owner: 'AWS', provider: 'CodeBuild', version: '1' }, inputArtifacts: [{ name: 'Site' }] },
            ],
          },
          { name: 'Deploy', actions: [s3Deploy('site', 'app/#{BuildVariables.RELEASE}', 'Site')] },
        ]),
      }),
    );
    const [e] = await executionIds(pipelines(server), 'app');
    const done = await waitForStatus(pipelines(server), 'app', e.pipelineExecutionId!, ['Succeeded', 'Failed'], 120_000);
    expect(done.status).toBe('Succeeded');
    const page = await s3(server).send(new GetObjectCommand({ Bucket: 'site', Key: 'app/r-codesuite/index.html' }));
    expect(await page.Body!.transformToString()).toBe('hello codesuite main\n');

    const actions = (await pipelines(server).send(new ListActionExecutionsCommand({ pipelineName: 'app', filter: { pipelineExecutionId: e.pipelineExecutionId } }))).actionExecutionDetails!;
    const at = (name: string) => actions.find((a) => a.actionName === name)!;
    expect(at('Compile').output!.outputVariables).toEqual({ RELEASE: 'r-codesuite' });
    expect(at('Compile').output!.executionResult!.externalExecutionId).toMatch(/^compile:/);
    // The parallel pair both started before the later group did.
    const started = (n: string) => at(n).startTime!.getTime();
    expect(Math.max(started('CheckA'), started('CheckB'))).toBeLessThanOrEqual(started('CheckC'));
    expect(at('CheckC').startTime!.getTime()).toBeGreaterThanOrEqual(Math.max(at('CheckA').lastUpdateTime!.getTime(), at('CheckB').lastUpdateTime!.getTime()));
  });

  it('fails the stage on a failing build, and RetryStageExecution after a fix succeeds in the same execution', async () => {
    await pushRepository(server, 'flaky', { 'a.txt': 'a' }, work.path);
    await project('flaky', 'version: 0.2\nphases:\n  build:\n    commands:\n      - exit 3\n');
    await pipelines(server).send(
      new CreatePipelineCommand({ pipeline: declaration('flaky', [{ name: 'Source', actions: [codeCommitSource('flaky')] }, { name: 'Build', actions: [buildAction('Build', 'flaky')] }]) }),
    );
    const [e] = await executionIds(pipelines(server), 'flaky');
    const failed = await waitForStatus(pipelines(server), 'flaky', e.pipelineExecutionId!, ['Succeeded', 'Failed'], 120_000);
    expect(failed.status).toBe('Failed');
    const state = (await stageStates(pipelines(server), 'flaky'))[1];
    expect(state.actionStates![0].latestExecution).toMatchObject({ status: 'Failed', errorDetails: { message: 'Build terminated with state: FAILED' } });

    await cb.send(new UpdateProjectCommand({ name: 'flaky', source: { type: 'CODEPIPELINE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - test -f a.txt\n' } }));
    await pipelines(server).send(new RetryStageExecutionCommand({ pipelineName: 'flaky', stageName: 'Build', pipelineExecutionId: e.pipelineExecutionId, retryMode: 'FAILED_ACTIONS' }));
    const retried = await waitForStatus(pipelines(server), 'flaky', e.pipelineExecutionId!, ['Succeeded', 'Failed'], 120_000);
    expect(retried.status).toBe('Succeeded');
  });
});
