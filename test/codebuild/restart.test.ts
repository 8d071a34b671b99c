import { BatchGetBuildsCommand, CreateProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { tempDir } from '../helpers/git.js';
import { testServer } from '../helpers/server.js';
import { codebuild, dockerTestImage, phaseSummary, ROLE, waitForBuild } from './helpers.js';

const docker = await dockerTestImage();
const executor = 'image' in docker ? 'docker' : 'local';
const image = 'image' in docker ? docker.image : 'aws/codebuild/standard:7.0';

async function containersOf(buildId: string): Promise<number> {
  if (executor !== 'docker') return 0;
  const Docker = (await import('dockerode')).default;
  const list = await new Docker().listContainers({ all: true, filters: { label: [`codesuite.codebuild.build-id=${buildId}`] } });
  return list.length;
}

describe(`CodeBuild across a restart (${executor} executor)`, () => {
  const data = tempDir();
  let server: RunningServer | undefined;
  const start = async () => (server = await testServer({ inMemory: false, dataDir: data.path, buildExecutor: executor, buildNetworkMode: 'host' }));
  afterAll(async () => {
    await server?.stop();
    data.remove();
  });

  it('never leaves a build IN_PROGRESS: running builds end FAILED with the reason, queued ones run after the restart', async () => {
    let s = await start();
    let cb = codebuild(s);
    await cb.send(
      new CreateProjectCommand({
        name: 'long',
        source: { type: 'NO_SOURCE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo long\n      - sleep 30\n' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image, computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: ROLE,
        concurrentBuildLimit: 1,
      }),
    );
    const running = (await cb.send(new StartBuildCommand({ projectName: 'long' }))).build!;
    const queued = (await cb.send(new StartBuildCommand({ projectName: 'long', buildspecOverride: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo quick\n' }))).build!;
    for (let i = 0; i < 300; i++) {
      const { builds } = await cb.send(new BatchGetBuildsCommand({ ids: [running.id!] }));
      if (builds![0].currentPhase === 'BUILD') break;
      await new Promise((r) => setTimeout(r, 100));
    }

    // A clean stop ends what runs, and removes its container.
    await s.stop();
    s = await start();
    cb = codebuild(s);
    const stopped = (await cb.send(new BatchGetBuildsCommand({ ids: [running.id!] }))).builds![0];
    expect(stopped).toMatchObject({ buildStatus: 'FAILED', buildComplete: true });
    expect(stopped.phases!.find((p) => p.phaseType === 'BUILD')!.contexts).toEqual([{ statusCode: 'CODESUITE_STOPPED', message: 'codesuite stopped while the build was running.' }]);
    expect(await containersOf(running.id!)).toBe(0);

    // The queued build was not lost: it runs now.
    const resumed = await waitForBuild(cb, queued.id!);
    expect(resumed.buildStatus).toBe('SUCCEEDED');

    // A crash (the process gone without ending its builds) is simulated by putting a build back in BUILD.
    await s.stop();
    const db = new Database(join(data.path, 'codesuite.db'));
    const doc = JSON.parse(db.prepare('SELECT doc FROM codebuild_builds WHERE id = ?').pluck().get(running.id) as string);
    doc.phases = doc.phases.filter((p: { phaseType: string }) => !['FINALIZING', 'COMPLETED'].includes(p.phaseType));
    const build = doc.phases.find((p: { phaseType: string }) => p.phaseType === 'BUILD');
    delete build.endTime;
    delete build.phaseStatus;
    delete build.contexts;
    Object.assign(doc, { currentPhase: 'BUILD', buildStatus: 'IN_PROGRESS', buildComplete: false });
    delete doc.endTime;
    db.prepare("UPDATE codebuild_builds SET doc = ?, complete = 0, current_phase = 'BUILD' WHERE id = ?").run(JSON.stringify(doc), running.id);
    db.close();

    s = await start();
    cb = codebuild(s);
    const after = (await cb.send(new BatchGetBuildsCommand({ ids: [running.id!] }))).builds![0];
    expect(after).toMatchObject({ buildStatus: 'FAILED', buildComplete: true, currentPhase: 'COMPLETED' });
    expect(phaseSummary(after).slice(-3)).toEqual(['BUILD:FAILED', 'FINALIZING:SUCCEEDED', 'COMPLETED:-']);
    expect(after.phases!.find((p) => p.phaseType === 'BUILD')!.contexts![0]).toEqual({
      statusCode: 'CODESUITE_RESTARTED',
      message: 'codesuite restarted while the build was in BUILD; the build container is gone.',
    });
  });
});
