import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** The real codesuite command in its own process group, so a kill takes its git and build children too. */
export interface ChildServer {
  endpoint: string;
  port: number;
  process: ChildProcess;
  /** SIGKILL to the whole group, as a power cut or the OOM killer would end it; resolves once it is gone. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function startChild(dataDir: string): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', '--build-executor', 'local'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`codesuite exited early with ${code}: ${output}`)));
  });
  const gone = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, signal);
    await exited;
  };
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    process: child,
    crash: () => gone('SIGKILL'),
    stop: () => gone('SIGTERM'),
  };
}
