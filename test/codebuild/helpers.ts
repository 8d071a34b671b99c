import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, CodeBuildClient, type Build } from '@aws-sdk/client-codebuild';
import { CreateRepositoryCommand } from '@aws-sdk/client-codecommit';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tarStream from 'tar-stream';
import type { RunningServer } from '../../src/server.js';
import { gitOk } from '../helpers/git.js';
import { codecommit, credentials } from '../helpers/server.js';

export const TEST_IMAGE = 'codesuite-test/busybox:1';
export const ROLE = 'arn:aws:iam::000000000000:role/codebuild-service-role';

export const codebuild = (server: RunningServer) => new CodeBuildClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
export const logsClient = (server: RunningServer) => new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
export const s3Client = (server: RunningServer) => new S3Client({ endpoint: server.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
export const ssmClient = (server: RunningServer) => new SSMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });

/** A 64-bit ELF binary with no program interpreter runs alone in an empty root file system. */
function isStatic(binary: Buffer): boolean {
  if (binary.readUInt32BE(0) !== 0x7f454c46 || binary[4] !== 2) return false;
  const phoff = Number(binary.readBigUInt64LE(0x20));
  const size = binary.readUInt16LE(0x36);
  const count = binary.readUInt16LE(0x38);
  for (let i = 0; i < count; i++) if (binary.readUInt32LE(phoff + i * size) === 3) return false;
  return true;
}

function busyboxPath(): string | undefined {
  return ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p) && isStatic(readFileSync(p)));
}

/**
 * A Docker engine and the tests' image: a root file system with Debian's static busybox and its
 * applets, imported once (there is no registry to pull from). Resolves the image's tag, or the
 * reason the Docker tests cannot run.
 */
export async function dockerTestImage(): Promise<{ image: string } | { skip: string }> {
  let Docker;
  try {
    Docker = (await import('dockerode')).default;
  } catch (err) {
    return { skip: `dockerode cannot be loaded: ${(err as Error).message}` };
  }
  const docker = new Docker();
  try {
    await Promise.race([docker.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000))]);
  } catch (err) {
    return { skip: `no Docker engine reachable (${(err as Error).message}); install docker.io and start dockerd` };
  }
  try {
    await docker.getImage(TEST_IMAGE).inspect();
    return { image: TEST_IMAGE };
  } catch {
    // Not built yet.
  }
  const busybox = busyboxPath();
  if (!busybox) return { skip: 'no static busybox is installed (apt-get install busybox-static)' };
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const pack = tarStream.pack();
  const entry = (header: Parameters<typeof pack.entry>[0], body?: Buffer | string) =>
    new Promise<void>((resolve, reject) => pack.entry(header, body ?? '', (err) => (err ? reject(err) : resolve())));
  const done = (async () => {
    for (const dir of ['bin', 'etc', 'root', 'tmp', 'home', 'home/builder', 'usr', 'usr/bin']) await entry({ name: `${dir}/`, type: 'directory', mode: dir === 'tmp' ? 0o1777 : 0o755 });
    const binary = readFileSync(busybox);
    await entry({ name: 'bin/busybox', type: 'file', mode: 0o755, size: binary.length }, binary);
    for (const applet of applets) if (applet !== 'busybox') await entry({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox' });
    const passwd = 'root:x:0:0:root:/root:/bin/sh\nbuilder:x:1000:1000:builder:/home/builder:/bin/sh\n';
    const group = 'root:x:0:\nbuilder:x:1000:\n';
    await entry({ name: 'etc/passwd', type: 'file', mode: 0o644, size: passwd.length }, passwd);
    await entry({ name: 'etc/group', type: 'file', mode: 0o644, size: group.length }, group);
    pack.finalize();
  })();
  const stream = await docker.importImage(Readable.from(pack) as unknown as NodeJS.ReadableStream, { repo: TEST_IMAGE.split(':')[0], tag: TEST_IMAGE.split(':')[1] });
  await done;
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve())));
  return { image: TEST_IMAGE };
}

/** A CodeCommit repository with `files` pushed to `main` with the git CLI; resolves its clone URL and the commit. */
export async function pushRepository(server: RunningServer, name: string, files: Record<string, string>, work: string): Promise<{ url: string; commit: string }> {
  const { repositoryMetadata } = await codecommit(server).send(new CreateRepositoryCommand({ repositoryName: name }));
  const url = repositoryMetadata!.cloneUrlHttp!;
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  await gitOk(dir, ['init', '-q']);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  await gitOk(dir, ['add', '-A']);
  await gitOk(dir, ['commit', '-q', '-m', 'sources']);
  await gitOk(dir, ['push', '-q', url, 'HEAD:main']);
  return { url, commit: (await gitOk(dir, ['rev-parse', 'HEAD'])).trim() };
}

/** Polls BatchGetBuilds until the build completes (or `timeoutMs` passes). */
export async function waitForBuild(client: CodeBuildClient, id: string, timeoutMs = 60_000, onPoll?: (b: Build) => Promise<void> | void): Promise<Build> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { builds } = await client.send(new BatchGetBuildsCommand({ ids: [id] }));
    const b = builds![0];
    await onPoll?.(b);
    if (b.buildComplete) return b;
    if (Date.now() > deadline) throw new Error(`build ${id} did not complete in ${timeoutMs} ms; it is in ${b.currentPhase}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const phaseSummary = (b: Build) => (b.phases ?? []).map((p) => `${p.phaseType}:${p.phaseStatus ?? '-'}`);
