import { execFileSync } from 'node:child_process';

/** Tests that run the command line as a user would (`node dist/cli.js`) need a bundle of today's sources. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/bundle.mjs', '--if-stale'], { stdio: 'inherit' });
}
