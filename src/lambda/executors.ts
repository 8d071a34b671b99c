import type { Config } from '../config.js';
import { dockerAvailable, dockerClient, DockerExecutor } from '../executors/docker.js';
import type { Executor } from '../executors/executor.js';
import { LocalExecutor } from '../executors/local.js';
import type { StoredConfig } from './store.js';

/**
 * Where a function's environments run: `--function-executor local` (host processes), `docker`, or
 * `auto` (Docker when an engine answers). Image functions always run in Docker, with host
 * networking so the runtime reaches its Runtime API and codesuite at 127.0.0.1.
 */
export class FunctionExecutors {
  private readonly local = new LocalExecutor();
  private docker: DockerExecutor | undefined;
  private auto: Promise<boolean> | undefined;

  constructor(private readonly config: Config) {}

  async for(c: StoredConfig): Promise<Executor> {
    const kind = this.config.functionExecutor;
    if (c.PackageType === 'Image' || kind === 'docker') return this.dockerExecutor();
    if (kind === 'auto' && (await (this.auto ??= dockerAvailable()))) return this.dockerExecutor();
    return this.local;
  }

  private dockerExecutor(): DockerExecutor {
    this.docker ??= new DockerExecutor({ networkMode: 'host', imageMap: this.config.functionImageMap });
    return this.docker;
  }

  /** Why an image cannot run, or nothing when the engine has it. */
  async imageProblem(image: string): Promise<string | undefined> {
    try {
      await (await dockerClient()).getImage(image).inspect();
      return undefined;
    } catch (err) {
      return (err as { statusCode?: number }).statusCode === 404
        ? `Source image ${image} does not exist on the Docker engine: codesuite pulls no images. Provide a valid source image.`
        : `Source image ${image} could not be checked: ${(err as Error).message}`;
    }
  }
}
