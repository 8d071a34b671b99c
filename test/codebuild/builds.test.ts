import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateProjectCommand, StartBuildCommand, StopBuildCommand, type Build, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../../src/core/archives/zip.js';
import type { RunningServer } from '../../src/server.js';
import { tempDir } from '../helpers/git.js';
import { testServer } from '../helpers/server.js';
import { codebuild, dockerTestImage, logsClient, phaseSummary, pushRepository, ROLE, s3Client, ssmClient, waitForBuild } from './helpers.js';
import { FAILING_BUILD, FAILING_PRE_BUILD, MAIN_FILES } from './scenario.js';

const docker = await dockerTestImage();
if ('skip' in docker) console.warn(`codebuild Docker tests skipped: ${docker.skip}`);

const executors: { executor: 'docker' | 'local'; skip?: string }[] = [
  { executor: 'docker', skip: 'skip' in docker ? docker.skip : undefined },
  { executor: 'local' },
];

const ALL_PHASES = [
  'SUBMITTED:SUCCEEDED',
  'QUEUED:SUCCEEDED',
  'PROVISIONING:SUCCEEDED',
  'DOWNLOAD_SOURCE:SUCCEEDED',
  'INSTALL:SUCCEEDED',
  'PRE_BUILD:SUCCEEDED',
  'BUILD:SUCCEEDED',
  'POST_BUILD:SUCCEEDED',
  'UPLOAD_ARTIFACTS:SUCCEEDED',
  'FINALIZING:SUCCEEDED',
  'COMPLETED:-',
];

for (const { executor, skip } of executors) {
  describe.skipIf(skip !== undefined)(`CodeBuild builds on the ${executor} executor${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let server: RunningServer;
    let cb: CodeBuildClient;
    const work = tempDir();
    const image = 'image' in docker ? docker.image : 'codesuite-test/busybox:1';

    beforeAll(async () => {
      server = await testServer({ buildExecutor: executor, buildNetworkMode: 'host' });
      cb = codebuild(server);
      await ssmClient(server).send(new PutParameterCommand({ Name: '/codebuild-test/secret', Value: 'p4ss-w0rd-value', Type: 'SecureString' }));
      await s3Client(server).send(new CreateBucketCommand({ Bucket: 'build-artifacts' }));
    });
    afterAll(async () => {
      await server?.stop();
      work.remove();
    });

    async function project(name: string, files: Record<string, string>, extra: Record<string, unknown> = {}): Promise<string> {
      const { url } = await pushRepository(server, `${name}-repo`, files, work.path);
      await cb.send(
        new CreateProjectCommand({
          name,
          source: { type: 'CODECOMMIT', location: url },
          artifacts: { type: 'NO_ARTIFACTS' },
          environment: { type: 'LINUX_CONTAINER', image, computeType: 'BUILD_GENERAL1_SMALL' },
          serviceRole: ROLE,
          ...extra,
        }),
      );
      return url;
    }

    async function logText(b: Build): Promise<string> {
      const out = await logsClient(server).send(new GetLogEventsCommand({ logGroupName: b.logs!.groupName!, logStreamName: b.logs!.streamName!, startFromHead: true }));
      return (out.events ?? []).map((e) => e.message).join('\n');
    }

    it('runs a CodeCommit-sourced build through every phase, with variables, secrets, exports, artifacts and live logs', async () => {
      await project('main-build', MAIN_FILES, {
        artifacts: { type: 'S3', location: 'build-artifacts', path: 'out', name: 'bundle.zip', packaging: 'ZIP', namespaceType: 'BUILD_ID' },
      });
      const { build } = await cb.send(new StartBuildCommand({ projectName: 'main-build' }));
      expect(build).toMatchObject({ projectName: 'main-build', buildNumber: 1, buildStatus: 'IN_PROGRESS', buildComplete: false, initiator: 'root' });
      expect(build!.id).toMatch(/^main-build:[0-9a-f-]{36}$/);
      expect(build!.logs).toMatchObject({ groupName: '/aws/codebuild/main-build', streamName: build!.id!.split(':')[1] });

      let sawLiveLog = false;
      const done = await waitForBuild(cb, build!.id!, 60_000, async (b) => {
        if (!b.buildComplete && b.currentPhase === 'BUILD' && !sawLiveLog) sawLiveLog = (await logText(b).catch(() => '')).includes('Entering phase BUILD');
      });
      const log = await logText(done);
      expect(phaseSummary(done), log).toEqual(ALL_PHASES);
      expect(done.buildStatus).toBe('SUCCEEDED');
      expect(sawLiveLog).toBe(true);
      for (const p of done.phases!.slice(0, -1)) expect(p.contexts).toEqual([{ statusCode: '', message: '' }]);
      expect(done.phases!.at(-1)).toEqual({ phaseType: 'COMPLETED', startTime: expect.any(Date) });

      const srcDir = executor === 'docker' ? '/codebuild/output/src' : '/codebuild/output/src';
      expect(log).toContain(`CODEBUILD_SRC_DIR=`);
      expect(log).toContain(srcDir);
      expect(log).toMatch(/pre_build pwd=.*\/out var=carried/);
      expect(log).toContain('the secret is ***');
      expect(log).not.toContain('p4ss-w0rd-value');
      expect(log).toContain('greeting=hello number=1 succeeding=1');
      expect(log).toContain(`resolved=${done.resolvedSourceVersion}`);
      expect(log).toMatch(/line 1\nline 2\nline 3/);
      expect(log).toContain('post_build succeeding=1');
      expect(log).toMatch(/\[Container\] \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} Running command echo "install in \$\(pwd\)"/);
      expect(done.exportedEnvironmentVariables).toEqual([{ name: 'BUILT_AT', value: 'yes-1' }]);
      expect(done.resolvedSourceVersion).toMatch(/^[0-9a-f]{40}$/);

      const uuid = done.id!.split(':')[1];
      expect(done.artifacts?.location).toBe(`arn:aws:s3:::build-artifacts/out/${uuid}/bundle.zip`);
      expect(done.artifacts?.md5sum).toMatch(/^[0-9a-f]{32}$/);
      const object = await s3Client(server).send(new GetObjectCommand({ Bucket: 'build-artifacts', Key: `out/${uuid}/bundle.zip` }));
      const zip = Buffer.from(await object.Body!.transformToByteArray());
      const entries = await readZip(zip);
      expect(entries.map((e) => e.name).sort()).toEqual(['out/result.txt', 'src/app.txt', 'src/lib/util.txt']);
      expect(entries.find((e) => e.name === 'out/result.txt')!.data.toString()).toBe('built\n');
    });

    it('runs POST_BUILD with CODEBUILD_BUILD_SUCCEEDING=0 after a failing BUILD and ends FAILED', async () => {
      await project('failing-build', { 'buildspec.yml': FAILING_BUILD });
      const { build } = await cb.send(new StartBuildCommand({ projectName: 'failing-build' }));
      const done = await waitForBuild(cb, build!.id!);
      const log = await logText(done);
      expect(done.buildStatus).toBe('FAILED');
      expect(phaseSummary(done), log).toEqual([
        'SUBMITTED:SUCCEEDED',
        'QUEUED:SUCCEEDED',
        'PROVISIONING:SUCCEEDED',
        'DOWNLOAD_SOURCE:SUCCEEDED',
        'INSTALL:SUCCEEDED',
        'PRE_BUILD:SUCCEEDED',
        'BUILD:FAILED',
        'POST_BUILD:SUCCEEDED',
        'UPLOAD_ARTIFACTS:SUCCEEDED',
        'FINALIZING:SUCCEEDED',
        'COMPLETED:-',
      ]);
      expect(done.phases!.find((p) => p.phaseType === 'BUILD')!.contexts).toEqual([
        { statusCode: 'COMMAND_EXECUTION_ERROR', message: 'Error while executing command: exit 3. Reason: exit status 3' },
      ]);
      expect(log).toContain('Command did not exit successfully exit 3 exit status 3');
      expect(log).toContain('finally ran');
      expect(log).not.toContain('never');
      expect(log).toContain('post_build succeeding=0');
    });

    it('skips to FINALIZING after a failing PRE_BUILD', async () => {
      await project('failing-pre-build', { 'buildspec.yml': FAILING_PRE_BUILD });
      const { build } = await cb.send(new StartBuildCommand({ projectName: 'failing-pre-build' }));
      const done = await waitForBuild(cb, build!.id!);
      expect(done.buildStatus).toBe('FAILED');
      expect(phaseSummary(done)).toEqual([
        'SUBMITTED:SUCCEEDED',
        'QUEUED:SUCCEEDED',
        'PROVISIONING:SUCCEEDED',
        'DOWNLOAD_SOURCE:SUCCEEDED',
        'INSTALL:SUCCEEDED',
        'PRE_BUILD:FAILED',
        'FINALIZING:SUCCEEDED',
        'COMPLETED:-',
      ]);
      const log = await logText(done);
      expect(log).not.toContain('must not run');
    });

    it('fails DOWNLOAD_SOURCE with YAML_FILE_ERROR for an invalid buildspec', async () => {
      await project('bad-yaml', { 'buildspec.yml': 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo FATAL: broken\n' });
      const { build } = await cb.send(new StartBuildCommand({ projectName: 'bad-yaml' }));
      const done = await waitForBuild(cb, build!.id!);
      expect(done.buildStatus).toBe('FAILED');
      expect(phaseSummary(done)).toEqual(['SUBMITTED:SUCCEEDED', 'QUEUED:SUCCEEDED', 'PROVISIONING:SUCCEEDED', 'DOWNLOAD_SOURCE:FAILED', 'FINALIZING:SUCCEEDED', 'COMPLETED:-']);
      const context = done.phases!.find((p) => p.phaseType === 'DOWNLOAD_SOURCE')!.contexts![0];
      expect(context.statusCode).toBe('YAML_FILE_ERROR');
      expect(context.message).toMatch(/Expected Commands\[0\] to be of string type: found subkeys instead at line 5/);

      const missing = await cb.send(new StartBuildCommand({ projectName: 'bad-yaml', buildspecOverride: 'ci/missing.yml' }));
      const missed = await waitForBuild(cb, missing.build!.id!);
      expect(missed.phases!.find((p) => p.phaseType === 'DOWNLOAD_SOURCE')!.contexts![0]).toEqual({
        statusCode: 'YAML_FILE_ERROR',
        message: expect.stringMatching(/^stat .*\/ci\/missing\.yml: no such file or directory$/),
      });
    });

    it('stops a running build: STOPPED, and the commands are killed', async () => {
      await project('stoppable', { 'buildspec.yml': 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo started\n      - sleep 60\n      - echo "not reached"\n' });
      const { build } = await cb.send(new StartBuildCommand({ projectName: 'stoppable' }));
      await waitForBuild(cb, build!.id!, 30_000, async (b) => {
        if (b.currentPhase === 'BUILD' && (await logText(b).catch(() => '')).includes('started')) {
          const started = Date.now();
          await cb.send(new StopBuildCommand({ id: build!.id! }));
          expect(Date.now() - started).toBeLessThan(10_000);
        }
      });
      const done = await waitForBuild(cb, build!.id!);
      expect(done.buildStatus).toBe('STOPPED');
      expect(phaseSummary(done)).toEqual([
        'SUBMITTED:SUCCEEDED',
        'QUEUED:SUCCEEDED',
        'PROVISIONING:SUCCEEDED',
        'DOWNLOAD_SOURCE:SUCCEEDED',
        'INSTALL:SUCCEEDED',
        'PRE_BUILD:SUCCEEDED',
        'BUILD:STOPPED',
        'FINALIZING:SUCCEEDED',
        'COMPLETED:-',
      ]);
      expect(await logText(done)).not.toContain('not reached');
    });
  });
}
