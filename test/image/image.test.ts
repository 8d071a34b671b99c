// The container image and docker-compose.yml, proven end to end: build the image, run it with the
// compose file's settings (Docker socket mounted, port published on 127.0.0.1, an unprivileged
// user given the socket's group), push with git from the host, and run a CodeBuild build in a
// Docker container beside it. Slow (the first image build compiles better-sqlite3), so it runs
// only when CODESUITE_IMAGE_TEST=1, as .ci/run sets it; CODESUITE_BASE_IMAGE names a local base
// image where no registry is reachable (.ci/base-image makes one).
import { GetLogEventsCommand, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient, CreateProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { CodeCommitClient, CreateRepositoryCommand, GetBranchCommand, GetCommitCommand } from '@aws-sdk/client-codecommit';
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerTestImage, ROLE, waitForBuild } from '../codebuild/helpers.js';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { credentials, freePort } from '../helpers/server.js';
import { composeRun } from './compose.js';

const enabled = process.env.CODESUITE_IMAGE_TEST === '1';
if (!enabled) console.warn('image test skipped: set CODESUITE_IMAGE_TEST=1 to build the container image and run a push and a build against it (.ci/run runs it on its own before the suite)');

const ROOT = join(import.meta.dirname, '..', '..');
const IMAGE = 'codesuite-ci/codesuite:test';
const SOCKET = '/var/run/docker.sock';
const REGION = 'us-east-1';
// Docker accepts these build arguments without a matching ARG.
const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

function docker(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      // docker build reports a failed step on stdout, other commands on stderr.
      if (err) reject(new Error(`docker ${args[0]} failed:\n${tail(stdout)}\n${tail(stderr)}`));
      else resolve(stdout);
    });
  });
}

const tail = (text: string) => text.split('\n').slice(-40).join('\n');


async function waitUntilHealthy(endpoint: string, container: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      // Docker's port proxy accepts connections before the server listens and may hold them:
      // each attempt gets a deadline.
      if ((await fetch(`${endpoint}/_codesuite/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // Not listening yet.
    }
    const state = (await docker(['inspect', '--format', '{{.State.Status}}', container])).trim();
    if (state !== 'running') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the container never answered at ${endpoint}; its log:\n${await docker(['logs', '--tail', '40', container]).catch((e: Error) => e.message)}`);
}

describe.skipIf(!enabled)('the container image, run with docker-compose.yml', () => {
  const run = `codesuite-image-test-${process.pid}`;
  const work = tempDir();
  let endpoint = '';
  let port = 0;
  let volumes: string[] = [];
  let commitId = '';
  const clients = () => ({
    codecommit: new CodeCommitClient({ endpoint, region: REGION, credentials }),
    codebuild: new CodeBuildClient({ endpoint, region: REGION, credentials }),
    logs: new CloudWatchLogsClient({ endpoint, region: REGION, credentials }),
  });

  beforeAll(async () => {
    const buildImage = await dockerTestImage();
    if ('skip' in buildImage) throw new Error(`CODESUITE_IMAGE_TEST=1 but the build image cannot be made: ${buildImage.skip}`);
    port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    const compose = composeRun(
      join(ROOT, 'docker-compose.yml'),
      'codesuite',
      { ...process.env, CODESUITE_HOST_PORT: String(port), DOCKER_GID: String(statSync(SOCKET).gid) },
      run,
    );
    // Host networking and this machine's proxy settings, if any: the base image's npm reaches its
    // registry as this machine does.
    const proxies = PROXY_VARIABLES.filter((name) => process.env[name]).flatMap((name) => ['--build-arg', `${name}=${process.env[name]}`]);
    await docker(['build', '--network', 'host', ...proxies, ...compose.buildArgs, '--tag', IMAGE, '.']);
    volumes = compose.volumes;
    await docker([
      'run', '--detach', '--name', run, ...compose.runArgs,
      // Builds ask for AWS's curated images; this machine has only the local busybox one.
      '--env', `CODESUITE_BUILD_IMAGE_MAP=aws/codebuild/*=${buildImage.image}`,
      IMAGE,
    ]);
    await waitUntilHealthy(endpoint, run);
  }, 30 * 60_000);

  afterAll(async () => {
    if (enabled) {
      await docker(['rm', '--force', '--volumes', run]).catch(() => undefined);
      for (const volume of volumes) await docker(['volume', 'rm', volume]).catch(() => undefined);
    }
    work.remove();
  });

  it('runs as an unprivileged user', async () => {
    const uid = (await docker(['exec', run, 'id', '-u'])).trim();
    expect(uid).not.toBe('0');
    expect(uid).toMatch(/^\d+$/);
  });

  it('hands out clone URLs that work from the host, and serves a git push and clone', async () => {
    const { codecommit } = clients();
    const { repositoryMetadata } = await codecommit.send(new CreateRepositoryCommand({ repositoryName: 'image-demo' }));
    const url = repositoryMetadata!.cloneUrlHttp!;
    expect(url).toBe(`${endpoint}/v1/repos/image-demo`);

    const source = join(work.path, 'source');
    await gitOk(work.path, ['init', '-q', source]);
    await commitFile(source, 'greeting.txt', 'hello from the host\n');
    commitId = await commitFile(source, 'buildspec.yml', BUILDSPEC, 'a buildspec');
    await gitOk(source, ['push', '-q', url, 'HEAD:main']);

    const { branch } = await codecommit.send(new GetBranchCommand({ repositoryName: 'image-demo', branchName: 'main' }));
    expect(branch?.commitId).toBe(commitId);
    const { commit } = await codecommit.send(new GetCommitCommand({ repositoryName: 'image-demo', commitId }));
    expect(commit?.message?.trim()).toBe('a buildspec');

    await gitOk(work.path, ['clone', '-q', url, 'clone']);
    expect((await gitOk(join(work.path, 'clone'), ['rev-parse', 'HEAD'])).trim()).toBe(commitId);
  });

  it('runs a CodeBuild build in a Docker container that reaches the server', async () => {
    expect(commitId, 'the push test ran first').not.toBe('');
    const { codebuild, logs } = clients();
    await codebuild.send(
      new CreateProjectCommand({
        name: 'image-build',
        source: { type: 'CODECOMMIT', location: `${endpoint}/v1/repos/image-demo` },
        sourceVersion: 'refs/heads/main',
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/amazonlinux2-x86_64-standard:5.0', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: ROLE,
      }),
    );
    const { build } = await codebuild.send(new StartBuildCommand({ projectName: 'image-build' }));
    const done = await waitForBuild(codebuild, build!.id!, 5 * 60_000);
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: done.logs!.groupName!, logStreamName: done.logs!.streamName!, startFromHead: true }));
    const log = (events.events ?? []).map((e) => e.message).join('\n');
    expect(done.buildStatus, log).toBe('SUCCEEDED');
    expect(done.resolvedSourceVersion).toBe(commitId);
    expect(log).toContain(`endpoint ${endpoint}`);
    expect(log).toContain('"status":"running"');
  }, 6 * 60_000);
});

// Proves where the build ran: the sources arrived, no Node.js is present (so not inside the
// server's container), and the server answers at the endpoint the build was given.
const BUILDSPEC = `version: 0.2
phases:
  build:
    commands:
      - test "$(cat greeting.txt)" = "hello from the host"
      - if command -v node; then echo "this build ran beside the server, not in its own container"; exit 1; fi
      - echo "endpoint $AWS_ENDPOINT_URL"
      - wget -q -O - "$AWS_ENDPOINT_URL/_codesuite/health"
`;
