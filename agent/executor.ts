import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { extractTarFile } from '../src/core/archives/tar.js';
import { extractZip } from '../src/core/archives/zip.js';
import { HOOK_EVENTS } from './appspec.js';
import type { AgentConfig, Identity } from './config.js';
import type { DeploymentSpec } from './deployment-spec.js';
import { ScriptLog } from './diagnostics.js';
import { bundleTypeOf, fetchRevision } from './download.js';
import { isNoop, readAppSpec, runHooks, scriptRootFor, type HookContext } from './hooks.js';
import { install } from './installer.js';

/** Commands the agent runs besides the hook events (agent v1 `command_executor.rb`). */
const BUILT_IN = ['DownloadBundle', 'Install'];

export class UnsupportedCommandError extends Error {}

export const isSupportedCommand = (name: string) => BUILT_IN.includes(name) || (HOOK_EVENTS as readonly string[]).includes(name);

/**
 * Carries out one command of a deployment in the deployment root, whose layout is the real
 * agent's: `<root>/<group-id>/<deployment-id>/{bundle.tar,deployment-archive,logs/scripts.log}`
 * and `<root>/deployment-instructions/` with the group's cleanup, install plan, last successful
 * and most recent install.
 */
export class CommandExecutor {
  constructor(
    private readonly config: AgentConfig,
    private readonly identity: Identity,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private get root(): string {
    return resolve(this.config.rootDir);
  }

  private deploymentRootDir(spec: DeploymentSpec): string {
    return join(this.root, spec.deploymentGroupId, spec.deploymentId);
  }

  private get instructionsDir(): string {
    return join(this.root, 'deployment-instructions');
  }

  private pointer(spec: DeploymentSpec, name: 'last_successful_install' | 'most_recent_install'): string | undefined {
    const file = join(this.instructionsDir, `${spec.deploymentGroupId}_${name}`);
    return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  }

  async execute(commandName: string, spec: DeploymentSpec): Promise<ScriptLog> {
    if (!isSupportedCommand(commandName)) throw new UnsupportedCommandError(`Unsupported command type: ${commandName}.`);
    await mkdir(this.deploymentRootDir(spec), { recursive: true });
    if (commandName === 'DownloadBundle') {
      await this.downloadBundle(spec);
      return new ScriptLog();
    }
    if (commandName === 'Install') {
      await this.install(spec);
      return new ScriptLog();
    }
    return runHooks(this.hookContext(commandName, spec));
  }

  /** DownloadBundle and Install never are; a hook event is when it has no scripts to run. */
  async isNoop(commandName: string, spec: DeploymentSpec): Promise<boolean> {
    if (BUILT_IN.includes(commandName)) return false;
    if (!isSupportedCommand(commandName)) return true;
    return isNoop(this.hookContext(commandName, spec));
  }

  private hookContext(event: string, spec: DeploymentSpec): HookContext {
    const current = this.deploymentRootDir(spec);
    const dir = scriptRootFor(event, current, this.pointer(spec, 'last_successful_install'), this.pointer(spec, 'most_recent_install'), { type: spec.deploymentType, creator: spec.deploymentCreator });
    const revisionEnv: Record<string, string> = {};
    const r = spec.revision;
    if (r.type === 'S3') {
      revisionEnv.BUNDLE_BUCKET = r.bucket;
      revisionEnv.BUNDLE_KEY = r.key;
      revisionEnv.BUNDLE_VERSION = r.version ?? '';
      revisionEnv.BUNDLE_ETAG = r.etag ?? '';
    } else if (r.type === 'GitHub') {
      revisionEnv.BUNDLE_COMMIT = r.commitId;
    }
    return {
      lifecycleEvent: event,
      deploymentId: spec.deploymentId,
      applicationName: spec.applicationName,
      deploymentGroupName: spec.deploymentGroupName,
      deploymentGroupId: spec.deploymentGroupId,
      deploymentRootDir: dir,
      appSpecFilename: spec.appSpecFilename,
      revisionEnv,
      baseEnv: this.env,
    };
  }

  private async downloadBundle(spec: DeploymentSpec): Promise<void> {
    await this.pruneArchives(spec);
    const dir = this.deploymentRootDir(spec);
    const archiveDir = join(dir, 'deployment-archive');
    const bundleFile = join(dir, 'bundle.tar');
    const bundleType = bundleTypeOf(spec);
    if (bundleType !== 'directory') await rm(archiveDir, { recursive: true, force: true });
    await fetchRevision(this.config, this.identity, spec, bundleFile, archiveDir);
    if (bundleType !== 'directory') {
      if (bundleType === 'zip') await extractZip(bundleFile, archiveDir);
      else await extractTarFile(bundleFile, archiveDir, { gzip: bundleType === 'tgz' });
      await stripSingleTopDirectory(archiveDir, join(dir, 'deployment-archive-temp'));
    }
    await mkdir(this.instructionsDir, { recursive: true });
    await writeFile(join(this.instructionsDir, `${spec.deploymentGroupId}_most_recent_install`), dir);
  }

  private async install(spec: DeploymentSpec): Promise<void> {
    const archiveDir = join(this.deploymentRootDir(spec), 'deployment-archive');
    await install({
      deploymentGroupId: spec.deploymentGroupId,
      appSpec: await readAppSpec(archiveDir, spec.appSpecFilename),
      archiveDir,
      instructionsDir: this.instructionsDir,
      fileExistsBehavior: spec.fileExistsBehavior,
    });
    await writeFile(join(this.instructionsDir, `${spec.deploymentGroupId}_last_successful_install`), this.deploymentRootDir(spec));
  }

  /**
   * Keeps `:max_revisions:` deployments of the group counting the one starting now: the oldest
   * others go, but never the last successful one.
   */
  private async pruneArchives(spec: DeploymentSpec): Promise<void> {
    const groupDir = join(this.root, spec.deploymentGroupId);
    const current = this.deploymentRootDir(spec);
    const others = (await readdir(groupDir)).map((name) => join(groupDir, name)).filter((p) => p !== current);
    const extra = others.length - this.config.maxRevisions + 1;
    if (extra <= 0) return;
    const lastSuccess = this.pointer(spec, 'last_successful_install');
    const candidates = await Promise.all(others.filter((p) => p !== lastSuccess).map(async (p) => ({ p, mtime: (await stat(p)).mtimeMs })));
    candidates.sort((a, b) => a.mtime - b.mtime);
    for (const { p } of candidates.slice(0, extra)) await rm(p, { recursive: true, force: true });
  }
}

/** A bundle whose only top-level entry is a directory holding the appspec is unpacked one level up. */
async function stripSingleTopDirectory(archiveDir: string, temp: string): Promise<void> {
  const entries = await readdir(archiveDir);
  if (entries.length !== 1) return;
  const nested = join(archiveDir, entries[0]);
  const info = await stat(nested).catch(() => undefined);
  if (!info?.isDirectory()) return;
  if (!(await readdir(nested)).some((name) => /appspec/i.test(name))) return;
  await rm(temp, { recursive: true, force: true });
  await rename(archiveDir, temp);
  await rename(join(temp, entries[0]), archiveDir);
  await rmdir(temp);
}
