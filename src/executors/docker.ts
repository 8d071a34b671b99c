import type Dockerode from 'dockerode';
import { cpus } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import { extractTar, packTar, type PackOptions } from '../core/archives/tar.js';
import { pingDocker, plainDockerEndpoint } from './docker-ping.js';
import { ProvisionError, sourceDigits, type BuildHost, type ExecOptions, type Executor, type ProvisionRequest } from './executor.js';

/** CPUs and memory of each compute type (CodeBuild UG, build environment compute modes and types). */
const COMPUTE: Record<string, { cpus: number; memoryGb: number }> = {
  BUILD_GENERAL1_SMALL: { cpus: 2, memoryGb: 3 },
  BUILD_GENERAL1_MEDIUM: { cpus: 4, memoryGb: 7 },
  BUILD_GENERAL1_LARGE: { cpus: 8, memoryGb: 15 },
  BUILD_GENERAL1_XLARGE: { cpus: 36, memoryGb: 70 },
  BUILD_GENERAL1_2XLARGE: { cpus: 72, memoryGb: 145 },
  BUILD_LAMBDA_1GB: { cpus: 0.5, memoryGb: 1 },
  BUILD_LAMBDA_2GB: { cpus: 1, memoryGb: 2 },
  BUILD_LAMBDA_4GB: { cpus: 2, memoryGb: 4 },
  BUILD_LAMBDA_8GB: { cpus: 4, memoryGb: 8 },
  BUILD_LAMBDA_10GB: { cpus: 8, memoryGb: 10 },
};

export const BUILD_LABEL = 'codesuite.codebuild.build-id';

/** `pattern=image` pairs, `*` matching any text: the first matching pattern names the image to run. */
export function imageMapper(spec: string): (image: string) => string {
  const rules = spec
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.lastIndexOf('=');
      if (eq <= 0) throw new Error(`invalid build image mapping ${pair}: expected pattern=image`);
      const pattern = pair.slice(0, eq);
      const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      return { re, image: pair.slice(eq + 1) };
    });
  return (image) => rules.find((r) => r.re.test(image))?.image ?? image;
}

let engine: Promise<typeof Dockerode> | undefined;
/**
 * dockerode (and its gRPC and SSH dependencies) load only when a Docker build runs, so start-up
 * stays fast. The specifier is not a literal so the server bundle leaves it to node_modules: its
 * SSH transport carries native addons a bundle cannot hold.
 */
function loadDockerode(): Promise<typeof Dockerode> {
  const specifier = 'dockerode';
  engine ??= (import(specifier) as Promise<{ default?: typeof Dockerode }>).then((m) => (m.default ?? m) as typeof Dockerode);
  return engine;
}

export async function dockerClient(): Promise<Dockerode> {
  const Docker = await loadDockerode();
  return new Docker();
}

/** Whether a Docker engine answers (DOCKER_HOST or the default socket), within `timeoutMs`. */
export async function dockerAvailable(timeoutMs = 2000): Promise<boolean> {
  const plain = plainDockerEndpoint();
  if (plain) return pingDocker(plain, timeoutMs);
  try {
    const docker = await dockerClient();
    await Promise.race([docker.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref())]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds in Docker containers through the engine API. Sources go in and artifacts come out as
 * tar streams (putArchive / getArchive), never bind mounts, so the engine may be on another
 * machine or codesuite itself may run in a container with the socket mounted. The container
 * idles on a shell `read` of its open stdin (no image tool needed); every command is an exec.
 */
export class DockerExecutor implements Executor {
  readonly kind = 'docker' as const;
  private readonly mapImage: (image: string) => string;

  constructor(private readonly options: { networkMode: string; imageMap: string }) {
    this.mapImage = imageMapper(options.imageMap);
  }

  async provision(request: ProvisionRequest): Promise<BuildHost> {
    const docker = await dockerClient();
    const image = this.mapImage(request.image);
    try {
      await docker.getImage(image).inspect();
    } catch (err) {
      // Nothing can be pulled, so the remedy is a mapping to an image the engine has: say which flag.
      const reason =
        (err as { statusCode?: number }).statusCode === 404
          ? `image ${image} not found on the Docker engine; codesuite pulls no images: map ${request.image} to a local image with --build-image-map (CODESUITE_BUILD_IMAGE_MAP), e.g. --build-image-map '${request.image}=<local image>'`
          : String((err as Error).message);
      throw new ProvisionError('BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE', `Unable to pull customer's container image. CannotPullContainerError: ${reason}`);
    }
    const compute = COMPUTE[request.computeType] ?? COMPUTE.BUILD_GENERAL1_SMALL;
    const hostCpus = Math.max(1, cpus().length);
    const src = `/codebuild/output/src${sourceDigits(request.buildId)}/src`;
    const layout = { tmpDir: '/codebuild/output/tmp', readonlyDir: '/codebuild/readonly', srcRoot: src, home: '/root' };
    let container: Dockerode.Container;
    try {
      container = await docker.createContainer({
        Image: image,
        Entrypoint: ['/bin/sh'],
        Cmd: ['-c', 'read codesuite_idle'],
        OpenStdin: true,
        StdinOnce: false,
        Tty: false,
        WorkingDir: '/',
        Env: Object.entries({ ...request.env, HOME: layout.home }).map(([k, v]) => `${k}=${v}`),
        Labels: { [BUILD_LABEL]: request.buildId },
        HostConfig: {
          NetworkMode: this.options.networkMode,
          Privileged: request.privileged,
          NanoCpus: Math.round(Math.min(compute.cpus, hostCpus) * 1e9),
          Memory: compute.memoryGb * 1024 ** 3,
        },
      });
    } catch (err) {
      throw new ProvisionError('CLIENT_ERROR', `Failed to create the build container: ${(err as Error).message}`);
    }
    try {
      await container.start();
      await container.putArchive(packTar({ dirs: [layout.tmpDir, layout.readonlyDir, src, layout.home] }), { path: '/' });
    } catch (err) {
      await container.remove({ force: true }).catch(() => undefined);
      throw new ProvisionError('CLIENT_ERROR', `Failed to start the build container: ${(err as Error).message}`);
    }
    let disposed = false;
    return {
      kind: 'docker',
      layout,
      handle: container.id,
      async copyIn(what: PackOptions) {
        await container.putArchive(packTar(what), { path: '/' });
      },
      async exec(options: ExecOptions) {
        const exec = await container.exec({
          Cmd: [options.shell, '-c', options.script],
          AttachStdout: true,
          AttachStderr: true,
          AttachStdin: false,
          Tty: false,
          ...(options.user ? { User: options.user } : {}),
        });
        const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Readable;
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        stdout.on('data', (c: Buffer) => options.onStdout?.(c));
        stderr.on('data', (c: Buffer) => options.onStderr?.(c));
        docker.modem.demuxStream(stream, stdout, stderr);
        await new Promise<void>((resolve) => {
          stream.on('end', resolve);
          stream.on('close', resolve);
          stream.on('error', () => resolve());
        });
        try {
          const info = await exec.inspect();
          return info.Running ? null : (info.ExitCode ?? null);
        } catch {
          return null;
        }
      },
      async readDir(path: string, scratch: string) {
        const archive = (await container.getArchive({ path })) as unknown as Readable;
        await extractTar(archive, scratch, { strip: 1 });
        return scratch;
      },
      async kill() {
        await container.kill().catch(() => undefined);
      },
      async dispose() {
        if (disposed) return;
        disposed = true;
        await container.remove({ force: true, v: true }).catch(() => undefined);
      },
    };
  }

  async reclaim(handle: string): Promise<void> {
    const docker = await dockerClient();
    await docker.getContainer(handle).remove({ force: true, v: true }).catch(() => undefined);
  }
}
