/**
 * CodeDeploy figure (issue 13): CreateDeployment → Succeeded of a trivial revision on three
 * instances, OneAtATime, with three protocol-level agents polling the command service over HTTP
 * (they run no scripts: the figure is the service's own share of a deployment). Run with
 * `npx tsx bench/codedeploy.bench.ts`. Prints figures; asserts nothing.
 */
import { CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { startServer } from '../src/server.js';
import { finished, fleet } from '../test/codedeploy/helpers.js';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent', deployPollSeconds: 20 });
const f = await fleet(server, ['web-1', 'web-2', 'web-3']);
for (const agent of f.agents) agent.start();
const times: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const { deploymentId } = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    const info = await finished(f.cd, deploymentId!);
    times.push(performance.now() - t0);
    if (info.status !== 'Succeeded') throw new Error(`deployment ${deploymentId} ${info.status}`);
  }
  console.log(`CreateDeployment -> Succeeded, 3 instances OneAtATime (7 lifecycle events each): first ${times[0].toFixed(0)} ms (signing key made), median ${median(times.slice(1)).toFixed(0)} ms`);
} finally {
  for (const agent of f.agents) void agent.stop();
  await server.stop();
}
