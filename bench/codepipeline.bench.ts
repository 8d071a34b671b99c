/**
 * CodePipeline figure (issue 17): from `git push` returning to the execution it started reaching
 * Succeeded, for a trivial Source (CodeCommit) → Build (CodeBuild in Docker, one echo) → Deploy
 * (S3, extract) pipeline, polled every 50 ms through GetPipelineExecution. Goal here: ≤ 5 s.
 * Run with `npx tsx bench/codepipeline.bench.ts`. Prints figures; asserts nothing.
 */
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { CreatePipelineCommand, GetPipelineExecutionCommand, ListActionExecutionsCommand, ListPipelineExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { codebuild, dockerTestImage, pushRepository } from '../test/codebuild/helpers.js';
import { codeCommitSource, declaration, pipelines, prepareAccount, s3, s3Deploy } from '../test/codepipeline/helpers.js';
import { commitFile, gitOk, tempDir } from '../test/helpers/git.js';
import { testServer } from '../test/helpers/server.js';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const docker = await dockerTestImage();
if ('skip' in docker) throw new Error(`needs Docker: ${docker.skip}`);
const server = await testServer({ buildExecutor: 'docker', buildNetworkMode: 'host', buildImageMap: `aws/codebuild/*=${docker.image}` });
const work = tempDir('codepipeline-bench-');
try {
  await prepareAccount(server);
  await s3(server).send(new CreateBucketCommand({ Bucket: 'site' }));
  const repo = await pushRepository(server, 'bench', { 'index.html': 'v0' }, work.path);
  await codebuild(server).send(
    new CreateProjectCommand({
      name: 'bench',
      source: { type: 'CODEPIPELINE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo built\nartifacts:\n  files:\n    - index.html\n' },
      artifacts: { type: 'CODEPIPELINE' },
      environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
      serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
    }),
  );
  const client = pipelines(server);
  await client.send(
    new CreatePipelineCommand({
      pipeline: declaration('bench', [
        { name: 'Source', actions: [codeCommitSource('bench')] },
        {
          name: 'Build',
          actions: [
            {
              name: 'Build',
              actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
              configuration: { ProjectName: 'bench' },
              inputArtifacts: [{ name: 'SourceOutput' }],
              outputArtifacts: [{ name: 'Built' }],
            },
          ],
        },
        { name: 'Deploy', actions: [s3Deploy('site', 'bench', 'Built')] },
      ]),
    }),
  );
  const settle = async (id: string) => {
    for (;;) {
      const { pipelineExecution } = await client.send(new GetPipelineExecutionCommand({ pipelineName: 'bench', pipelineExecutionId: id }));
      if (pipelineExecution!.status !== 'InProgress') return pipelineExecution!.status;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const latest = async () => (await client.send(new ListPipelineExecutionsCommand({ pipelineName: 'bench' }))).pipelineExecutionSummaries!;
  await settle((await latest())[0].pipelineExecutionId!);

  const dir = join(work.path, 'clone');
  mkdirSync(dir);
  await gitOk(dir, ['clone', '-q', repo.url, '.']);
  const figures: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const before = (await latest()).length;
    await commitFile(dir, 'index.html', `v${run}`);
    await gitOk(dir, ['push', '-q', 'origin', 'HEAD:main']);
    const pushed = performance.now();
    let list = await latest();
    while (list.length === before) {
      await new Promise((r) => setTimeout(r, 20));
      list = await latest();
    }
    const status = await settle(list[0].pipelineExecutionId!);
    if (status !== 'Succeeded') throw new Error(`run ${run} ended ${status}`);
    figures.push(performance.now() - pushed);
    if (run === RUNS) {
      const start = list[0].startTime!.getTime();
      const { actionExecutionDetails } = await client.send(new ListActionExecutionsCommand({ pipelineName: 'bench', filter: { pipelineExecutionId: list[0].pipelineExecutionId } }));
      const parts = actionExecutionDetails!.reverse().map((a) => `${a.actionName} ${((a.startTime!.getTime() - start) / 1000).toFixed(2)}–${((a.lastUpdateTime!.getTime() - start) / 1000).toFixed(2)} s`);
      console.log(`last run, from the execution's start: ${parts.join(', ')}`);
    }
  }
  console.log(`push → Succeeded (Source → Build → Deploy S3), ${RUNS} runs: median ${(median(figures) / 1000).toFixed(2)} s, min ${(Math.min(...figures) / 1000).toFixed(2)} s, max ${(Math.max(...figures) / 1000).toFixed(2)} s`);
} finally {
  await server.stop();
  work.remove();
}
