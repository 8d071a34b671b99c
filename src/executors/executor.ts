import type { PackOptions } from '../core/archives/tar.js';

/** Where things are inside a build's environment (a container's `/`, or a work directory on the host). */
export interface BuildLayout {
  /** The agent's scratch directory: the environment file, the working directory file. */
  tmpDir: string;
  /** Inline buildspecs are written here, as `/codebuild/readonly/buildspec.yml`. */
  readonlyDir: string;
  /** `/codebuild/output/src<digits>/src`: sources are placed under it. */
  srcRoot: string;
  /** HOME of build commands. */
  home: string;
}

export interface ExecOptions {
  /** The shell that runs the script: `/bin/sh` or `bash`. */
  shell: string;
  script: string;
  /** Linux user (`run-as`); the executor's default user when unset. */
  user?: string;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** The host process id of the command, where it runs on this host (a function's memory use is read from it). */
  onSpawn?: (pid: number) => void;
}

/** One build's provisioned environment. */
export interface BuildHost {
  readonly kind: 'docker' | 'local';
  readonly layout: BuildLayout;
  /** The container id (Docker) or the work directory (local), persisted with the build. */
  readonly handle: string;
  /** Puts directories, host trees and files into the environment (paths are the environment's). */
  copyIn(what: PackOptions): Promise<void>;
  /** Runs a script and resolves its exit status; null when the environment was killed under it. */
  exec(options: ExecOptions): Promise<number | null>;
  /**
   * A host directory holding the contents of the environment's directory `path`: the directory
   * itself for the local executor, a copy under `scratch` for Docker.
   */
  readDir(path: string, scratch: string): Promise<string>;
  /** Kills whatever runs (StopBuild, timeouts): running commands end at once. */
  kill(): Promise<void>;
  /** Removes the environment (the container, the work directory). Safe to call more than once. */
  dispose(): Promise<void>;
}

export interface ProvisionRequest {
  buildId: string;
  image: string;
  computeType: string;
  privileged: boolean;
  /** Variables every command sees (the container's environment). */
  env: Record<string, string>;
  /** Host directory the executor may use for the build. */
  workDir: string;
}

/** A failure to provision, with the phase context CodeBuild reports for it. */
export class ProvisionError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Executor {
  readonly kind: 'docker' | 'local';
  provision(request: ProvisionRequest): Promise<BuildHost>;
  /** Removes what a build left behind when the server stopped under it (its container). */
  reclaim(handle: string): Promise<void>;
}

/** Digits for `/codebuild/output/src<digits>`, as CodeBuild names a build's source directory. */
export function sourceDigits(buildId: string): string {
  let n = 0;
  for (const c of buildId) n = (n * 31 + c.charCodeAt(0)) >>> 0;
  return String(n);
}
