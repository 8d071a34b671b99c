import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { BUILD_LABEL, dockerAvailable, dockerClient, DockerExecutor } from './docker.js';
import type { Executor } from './executor.js';
import { LocalExecutor } from './local.js';

/** `--build-executor docker|local|auto`: auto uses Docker when an engine answers, host processes otherwise. */
export class ExecutorChoice {
  private chosen: Promise<Executor> | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  get(): Promise<Executor> {
    this.chosen ??= this.choose();
    return this.chosen;
  }

  /** Which executor runs builds, and for `auto` why: decided now, so the start-up line can say it. */
  async describe(): Promise<string> {
    const kind = (await this.get()).kind;
    const where = kind === 'docker' ? 'builds in Docker' : 'builds as local processes';
    if (this.config.buildExecutor !== 'auto') return where;
    return `${where} (auto: ${kind === 'docker' ? 'a Docker engine answered' : 'no Docker engine answered'})`;
  }

  private async choose(): Promise<Executor> {
    const docker = () => new DockerExecutor({ networkMode: this.config.buildNetworkMode, imageMap: this.config.buildImageMap });
    if (this.config.buildExecutor === 'docker') return docker();
    if (this.config.buildExecutor === 'local') return new LocalExecutor();
    if (await dockerAvailable()) {
      this.logger.info('builds run in Docker containers');
      return docker();
    }
    this.logger.warn('no Docker engine answers: builds run as local processes (--build-executor local)');
    return new LocalExecutor();
  }

  /** Removes containers of builds this server knows that no build runs in any more (left by a stop or crash). */
  async reclaimContainers(isStale: (buildId: string) => boolean): Promise<number> {
    if ((await this.get()).kind !== 'docker') return 0;
    const docker = await dockerClient();
    const containers = await docker.listContainers({ all: true, filters: { label: [BUILD_LABEL] } });
    let removed = 0;
    for (const info of containers) {
      const buildId = info.Labels?.[BUILD_LABEL];
      if (buildId && isStale(buildId)) {
        await docker.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined);
        removed++;
      }
    }
    return removed;
  }
}
