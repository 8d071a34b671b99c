import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The bundled command users run (dist/cli.js), bundled again first when any source is newer,
 * so the tests never judge a stale build.
 */
export async function builtCli(): Promise<string> {
  await run(process.execPath, ['scripts/bundle.mjs', '--if-stale']);
  return resolve('dist/cli.js');
}
