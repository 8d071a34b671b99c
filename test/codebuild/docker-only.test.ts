import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateProjectCommand, StartBuildCommand, type Build, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';
import { codebuild, dockerTestImage, logsClient, phaseSummary, ROLE, waitForBuild } from './helpers.js';

const docker = await dockerTestImage();
const skip = 'skip' in docker ? docker.skip : undefined;

describe.skipIf(skip !== undefined)(`CodeBuild Docker containers${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: RunningServer;
  let cb: CodeBuildClient;

  beforeAll(async () => {
    // Curated image names map to the local test image: there is no registry to pull from.
    server = await testServer({ buildExecutor: 'docker', buildNetworkMode: 'host', buildImageMap: `aws/codebuild/*=${'image' in docker ? docker.image : ''}` });
    cb = codebuild(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const create = (name: string, buildspec: string, image = 'aws/codebuild/standard:7.0') =>
    cb.send(
      new CreateProjectCommand({
        name,
        source: { type: 'NO_SOURCE', buildspec },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image, computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: ROLE,
      }),
    );

  async function logText(b: Build): Promise<string> {
    const out = await logsClient(server).send(new GetLogEventsCommand({ logGroupName: b.logs!.groupName!, logStreamName: b.logs!.streamName!, startFromHead: true }));
    return (out.events ?? []).map((e) => e.message).join('\n');
  }

  it('fails in PROVISIONING with a message naming --build-image-map when the engine lacks the image', async () => {
    await create('unmapped', 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo never\n', 'example.local/no-such-image:1');
    const done = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'unmapped' }))).build!.id!);
    expect(done.buildStatus).toBe('FAILED');
    const provisioning = done.phases!.find((p) => p.phaseType === 'PROVISIONING')!;
    expect(provisioning.phaseStatus).toBe('FAILED');
    expect(provisioning.contexts![0].statusCode).toBe('BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE');
    expect(provisioning.contexts![0].message).toContain("--build-image-map 'example.local/no-such-image:1=<local image>'");
  });

  it('runs as the run-as user, reaches codesuite at AWS_ENDPOINT_URL, and sees the CodeBuild variables', async () => {
    await create(
      'inside',
      [
        'version: 0.2',
        'phases:',
        '  install:',
        '    run-as: builder',
        '    commands:',
        '      - echo "user=$(id -un)"',
        '  build:',
        '    commands:',
        '      - echo "user=$(id -un) home=$HOME"',
        '      - wget -q -O - "$AWS_ENDPOINT_URL/_codesuite/health"',
        '      - echo "region=$AWS_REGION image=$CODEBUILD_BUILD_IMAGE initiator=$CODEBUILD_INITIATOR key=$AWS_ACCESS_KEY_ID"',
        '',
      ].join('\n'),
    );
    const done = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'inside' }))).build!.id!);
    const log = await logText(done);
    expect(done.buildStatus, log).toBe('SUCCEEDED');
    expect(log).toContain('user=builder');
    expect(log).toContain('user=root home=/root');
    expect(log).toContain('"status":"running"');
    expect(log).toContain('region=us-east-1 image=aws/codebuild/standard:7.0 initiator=root key=***');
  });

  it('fails PROVISIONING when the image is not on the engine', async () => {
    await create('no-image', 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n', 'codesuite-test/does-not-exist:1');
    const done = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'no-image' }))).build!.id!);
    expect(done.buildStatus).toBe('FAILED');
    expect(phaseSummary(done)).toEqual(['SUBMITTED:SUCCEEDED', 'QUEUED:SUCCEEDED', 'PROVISIONING:FAILED', 'FINALIZING:SUCCEEDED', 'COMPLETED:-']);
    expect(done.phases!.find((p) => p.phaseType === 'PROVISIONING')!.contexts![0]).toMatchObject({
      statusCode: 'BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE',
      message: expect.stringContaining('codesuite-test/does-not-exist:1'),
    });
  });
});
