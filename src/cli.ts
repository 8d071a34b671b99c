#!/usr/bin/env node
import { loadConfig } from './config.js';
import { startServer } from './server.js';

/** `codesuite [options]`: runs the server until SIGTERM or SIGINT, then drains and exits. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`codesuite: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const server = await startServer(config);
  process.stdout.write(`codesuite listening on ${server.endpoint}\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`codesuite: ${signal} received, draining\n`);
    server.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`codesuite: error while stopping: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`codesuite: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
