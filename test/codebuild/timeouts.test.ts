import { BatchGetBuildsCommand, CreateProjectCommand, StartBuildCommand, StopBuildCommand, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';
import { codebuild, phaseSummary, ROLE, waitForBuild } from './helpers.js';

let server: RunningServer;
let cb: CodeBuildClient;
/** The server's clock runs `offset` ahead of the real one: moving it is how minutes pass in a test. */
let offset = 0;

beforeAll(async () => {
  server = await testServer({ buildExecutor: 'local', clock: { now: () => new Date(Date.now() + offset) } });
  cb = codebuild(server);
});
afterAll(async () => {
  await server.stop();
});

const create = (name: string, extra: Record<string, unknown>) =>
  cb.send(
    new CreateProjectCommand({
      name,
      source: { type: 'NO_SOURCE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 30\n  post_build:\n    commands:\n      - echo post\n' },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
      serviceRole: ROLE,
      ...extra,
    }),
  );

async function untilPhase(id: string, phase: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { builds } = await cb.send(new BatchGetBuildsCommand({ ids: [id] }));
    if (builds![0].currentPhase === phase) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`build ${id} never reached ${phase}`);
}

describe('CodeBuild timeouts', () => {
  it('ends a build TIMED_OUT after timeoutInMinutes, its commands killed', async () => {
    await create('slow', { timeoutInMinutes: 5 });
    const { build } = await cb.send(new StartBuildCommand({ projectName: 'slow' }));
    await untilPhase(build!.id!, 'BUILD');
    offset += 6 * 60_000;
    const done = await waitForBuild(cb, build!.id!, 10_000);
    expect(done.buildStatus).toBe('TIMED_OUT');
    expect(phaseSummary(done).slice(-3)).toEqual(['BUILD:TIMED_OUT', 'FINALIZING:SUCCEEDED', 'COMPLETED:-']);
    expect(done.phases!.find((p) => p.phaseType === 'BUILD')!.contexts).toEqual([{ statusCode: 'BUILD_TIMED_OUT', message: 'Build has timed out. ' }]);
  });

  it('ends a queued build TIMED_OUT after queuedTimeoutInMinutes', async () => {
    await create('busy', { concurrentBuildLimit: 1, queuedTimeoutInMinutes: 5 });
    const first = (await cb.send(new StartBuildCommand({ projectName: 'busy' }))).build!;
    await untilPhase(first.id!, 'BUILD');
    const second = (await cb.send(new StartBuildCommand({ projectName: 'busy' }))).build!;
    await untilPhase(second.id!, 'QUEUED');
    offset += 6 * 60_000;
    const done = await waitForBuild(cb, second.id!, 15_000);
    expect(done.buildStatus).toBe('TIMED_OUT');
    expect(phaseSummary(done)).toEqual(['SUBMITTED:SUCCEEDED', 'QUEUED:TIMED_OUT', 'COMPLETED:-']);
    await cb.send(new StopBuildCommand({ id: first.id! }));
    expect((await waitForBuild(cb, first.id!)).buildStatus).toBe('STOPPED');
  });
});
