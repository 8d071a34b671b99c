/**
 * CodeDeploy agent figures (issue 13): the agent's own share of a deployment. One agent runs the
 * seven in-place commands of a trivial zip bundle (one echo per hook), released one at a time by
 * the test-side command service as the real service does; the figure is from the first command
 * sent to the last completion, so it holds poll, spec, acknowledgement, download, unpack,
 * install, hooks and completion. The service's own scheduling is not in it.
 * Run with `npx tsx bench/agent.bench.ts`. Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent } from '../agent/index.js';
import { ACCESS_KEY, FakeCommandService } from '../test/agent/helpers/command-service.js';

const RUNS = 7;
const HOST = 'arn:aws:iam::123456789012:user/AWS/CodeDeploy/bench';
const EVENTS = ['ApplicationStop', 'DownloadBundle', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const service = new FakeCommandService();
await service.start();
const work = await mkdtemp(join(tmpdir(), 'agent-bench-'));
const src = join(work, 'src');
await mkdir(join(src, 'scripts'), { recursive: true });
await writeFile(join(src, 'scripts/hook.sh'), '#!/bin/sh\necho "$LIFECYCLE_EVENT"\n');
await chmod(join(src, 'scripts/hook.sh'), 0o755);
await writeFile(join(src, 'index.html'), 'hello');
const hooks = ['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'].map((e) => `  ${e}:\n    - location: scripts/hook.sh\n`).join('');
await writeFile(join(src, 'appspec.yml'), `version: 0.0\nos: linux\nfiles:\n  - source: index.html\n    destination: ${work}/www\nhooks:\n${hooks}`);
execFileSync('zip', ['-qr', join(work, 'b.zip'), '.'], { cwd: src });
const etag = service.putObject('bundles', 'b.zip', await readFile(join(work, 'b.zip')));
await writeFile(join(work, 'onprem.yml'), `region: us-east-1\niam_user_arn: ${HOST}\naws_access_key_id: ${ACCESS_KEY.accessKeyId}\naws_secret_access_key: ${ACCESS_KEY.secretAccessKey}\n`);
await writeFile(join(work, 'agent.yml'), `:root_dir: ${work}/root\n:wait_between_runs: 1\n:max_revisions: 2\n:deploy_control_endpoint: ${service.url}\n:s3_endpoint_override: ${service.url}\n:on_premises_config_file: ${work}/onprem.yml\n`);
const agent = await startAgent({ configFile: join(work, 'agent.yml'), log: () => undefined });

const lifecycle: number[] = [];
const perCommand: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const executionId = `CodeDeploy/us-east-1/Prod/arn:aws:sds:us-east-1:123456789012:deployment/d-BENCH${run}`;
  service.specs.set(executionId, {
    format: 'PKCS7/JSON',
    json: JSON.stringify({ DeploymentId: `d-BENCH${run}`, DeploymentGroupId: 'g-bench', DeploymentGroupName: 'bench', ApplicationName: 'bench', Revision: { RevisionType: 'S3', S3Revision: { Bucket: 'bundles', Key: 'b.zip', BundleType: 'zip', ETag: etag } } }),
  });
  const started = performance.now();
  for (const event of EVENTS) {
    const t = performance.now();
    const done = await service.send(HOST, event, executionId).completed;
    if (done.status !== 'Succeeded') throw new Error(`${event} failed: ${done.diagnostics.message}`);
    perCommand.push(performance.now() - t);
    if (process.env.BENCH_DETAIL) console.log(event, (performance.now() - t).toFixed(1));
  }
  lifecycle.push(performance.now() - started);
}
await agent.stop();
await service.stop();
await rm(work, { recursive: true, force: true });
console.log(`agent lifecycle, 7 commands, trivial zip bundle: median ${median(lifecycle).toFixed(0)} ms over ${RUNS} deployments (min ${Math.min(...lifecycle).toFixed(0)} ms)`);
console.log(`one command, poll to completion: median ${median(perCommand).toFixed(1)} ms`);
