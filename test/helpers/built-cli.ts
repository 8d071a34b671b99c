import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The bundled command users run (dist/cli.js), bundled again first when any source is newer,
 * so the tests never judge a stale build.
 */
export async function builtCli(): Promise<string> {
  const cli = resolve('dist/cli.js');
  if (!existsSync(cli) || statSync(cli).mtimeMs < Math.max(newestSource('src'), statSync('package.json').mtimeMs)) {
    await run(process.execPath, ['scripts/bundle.mjs']);
  }
  return cli;
}
