/**
 * CodeBuild figures (issue 8): StartBuild → first command output (seen through GetLogEvents)
 * and StartBuild → build complete for a trivial buildspec, next to a plain `docker run` of the
 * same commands in the same image; and 10 builds started at once. Uses the Docker executor when
 * an engine answers (with the tests' busybox image), the local executor otherwise.
 * Run with `npx tsx bench/codebuild.bench.ts`. Prints figures; asserts nothing.
 */
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, CodeBuildClient, CreateProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { execFileSync } from 'node:child_process';
import { startServer } from '../src/server.js';
import { dockerTestImage } from '../test/codebuild/helpers.js';

const RUNS = 5;
const CONCURRENT = 10;
const COMMANDS = ['echo first-output', 'echo done'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const docker = await dockerTestImage();
const executor = 'image' in docker ? 'docker' : 'local';
const image = 'image' in docker ? docker.image : 'aws/codebuild/standard:7.0';
if ('skip' in docker) console.log(`Docker unavailable (${docker.skip}): measuring the local executor`);

const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent', buildExecutor: executor, buildNetworkMode: 'host' });
const cb = new CodeBuildClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });

await cb.send(
  new CreateProjectCommand({
    name: 'bench',
    source: { type: 'NO_SOURCE', buildspec: `version: 0.2\nphases:\n  build:\n    commands:\n${COMMANDS.map((c) => `      - ${c}\n`).join('')}` },
    artifacts: { type: 'NO_ARTIFACTS' },
    environment: { type: 'LINUX_CONTAINER', image, computeType: 'BUILD_GENERAL1_SMALL' },
    serviceRole: 'arn:aws:iam::000000000000:role/bench',
  }),
);

async function complete(id: string): Promise<void> {
  for (;;) {
    const { builds } = await cb.send(new BatchGetBuildsCommand({ ids: [id] }));
    if (builds![0].buildComplete) {
      if (builds![0].buildStatus !== 'SUCCEEDED') throw new Error(`build ${id} ended ${builds![0].buildStatus}`);
      return;
    }
    await sleep(10);
  }
}

async function oneBuild(): Promise<{ firstOutputMs: number; totalMs: number }> {
  const started = performance.now();
  const { build } = await cb.send(new StartBuildCommand({ projectName: 'bench' }));
  let firstOutputMs = 0;
  while (!firstOutputMs) {
    try {
      const out = await logs.send(new GetLogEventsCommand({ logGroupName: build!.logs!.groupName!, logStreamName: build!.logs!.streamName!, startFromHead: true }));
      if (out.events?.some((e) => e.message === 'first-output')) firstOutputMs = performance.now() - started;
    } catch {
      // The stream does not exist until PROVISIONING writes to it.
    }
    if (!firstOutputMs) await sleep(5);
  }
  await complete(build!.id!);
  return { firstOutputMs, totalMs: performance.now() - started };
}

await oneBuild(); // warm-up: loads dockerode, first container of the image
const runs: { firstOutputMs: number; totalMs: number }[] = [];
for (let i = 0; i < RUNS; i++) runs.push(await oneBuild());
const firstOutput = median(runs.map((r) => r.firstOutputMs));
const total = median(runs.map((r) => r.totalMs));

let plain: number | undefined;
if (executor === 'docker') {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    execFileSync('docker', ['run', '--rm', '--network', 'host', image, 'sh', '-c', COMMANDS.join('; ')], { stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  plain = median(times);
}

const concurrentStart = performance.now();
const ids = await Promise.all(Array.from({ length: CONCURRENT }, async () => (await cb.send(new StartBuildCommand({ projectName: 'bench' }))).build!.id!));
await Promise.all(ids.map(complete));
const concurrentMs = performance.now() - concurrentStart;

await server.stop();

const f = (ms: number) => `${ms.toFixed(0)} ms`;
console.log(`CodeBuild (${executor} executor, median of ${RUNS})`);
console.log(`  StartBuild -> first command output: ${f(firstOutput)}`);
console.log(`  StartBuild -> build complete:       ${f(total)}`);
if (plain !== undefined) {
  console.log(`  plain docker run of the same commands: ${f(plain)} (build / docker run = ${(total / plain).toFixed(1)}x)`);
}
console.log(`  ${CONCURRENT} builds started at once, all complete: ${f(concurrentMs)} (${f(concurrentMs / CONCURRENT)} per build)`);
