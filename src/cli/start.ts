import { loadConfig } from '../config.js';
import { startServer, type RunningServer } from '../server.js';
import { SnapshotError } from '../snapshot/manifest.js';
import { CommandFailed } from './errors.js';

/** `codesuite start`: serves until SIGTERM or SIGINT, then drains; resolves to the exit status. */
export async function runStart(argv: string[]): Promise<number> {
  const config = loadConfig(argv);
  // Listening for signals comes first: whoever started us may send one the moment the start-up
  // line appears, before the statement after the write has run.
  let signalled: (signal: string) => void = () => undefined;
  const signal = new Promise<string>((resolve) => (signalled = resolve));
  for (const name of ['SIGTERM', 'SIGINT'] as const) process.on(name, () => signalled(name));
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (err) {
    if (err instanceof SnapshotError) throw new CommandFailed(err.message);
    throw listenFailure(err, config.host, config.port) ?? err;
  }
  process.stdout.write(`${await startupLine(server)}\n`);
  process.stdout.write(`codesuite: ${await signal} received, draining\n`);
  try {
    await server.stop();
    return 0;
  } catch (err) {
    process.stderr.write(`codesuite: error while stopping: ${(err as Error).message}\n`);
    return 1;
  }
}

/** Listening failures a user fixes with an option, said in one line that names it. */
function listenFailure(err: unknown, host: string, port: number): CommandFailed | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new CommandFailed(`port ${port} on ${host} is already in use; choose another with --port (or CODESUITE_PORT)`);
  if (code === 'EACCES') return new CommandFailed(`no permission to listen on port ${port} on ${host}; choose a port above 1023 with --port`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new CommandFailed(`cannot listen on ${host}: no such local address; choose another with --host`);
  return undefined;
}

/** What a user needs at a glance: where to point clients, where state lives, and what decides. */
async function startupLine(server: RunningServer): Promise<string> {
  const { config } = server;
  const iam = config.enforceIam ? (config.iamSoftMode ? 'IAM enforcement on (soft mode: denials logged, not refused)' : 'IAM enforcement on') : 'IAM enforcement off';
  return [
    `codesuite listening on ${server.endpoint}`,
    config.inMemory ? 'data in memory' : `data in ${server.dataDir}`,
    ...(config.restore ? [`restored from ${config.restore}`] : []),
    iam,
    ...(await server.notes()),
  ].join(' · ');
}
