/**
 * Start-up figures (issue 11): how long until a user's server answers.
 * - `npm start` (bundle up to date) and `node dist/cli.js`: process spawn to the "listening" line.
 * - In process: a fresh Node.js process that does `import { startServer } from 'codesuite'` and
 *   `await startServer()`, timed from before the import to the first answered request.
 * Run with `npx tsx bench/startup.bench.ts` after `npm run build`. Prints figures; asserts nothing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

/** Spawns a command and resolves with the milliseconds until it prints its "listening on" line. */
function timeToListening(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (/listening on/.test(out)) {
        const ms = performance.now() - started;
        process.kill(-child.pid!, 'SIGTERM');
        child.once('exit', () => resolve(ms));
      }
    });
    child.once('error', reject);
  });
}

const inProcessScript = `
const t0 = performance.now();
const { startServer } = await import('codesuite');
const imported = performance.now();
const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent' });
await fetch(server.endpoint + '/_codesuite/health');
const ready = performance.now();
process.stdout.write(JSON.stringify({ importMs: imported - t0, readyMs: ready - t0 }));
await server.stop();
`;

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/bundle.mjs', '--if-stale'], { stdio: 'inherit' });
  const data = mkdtempSync(join(tmpdir(), 'codesuite-bench-'));
  const flags = ['--port', '0', '--data-dir', data, '--log-level', 'warn'];
  try {
    const npm: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      npm.push(await timeToListening('npm', ['start', '--silent', '--', ...flags]));
      node.push(await timeToListening(process.execPath, ['dist/cli.js', ...flags]));
    }
    // The package imports itself by name through package.json's "exports", as a user's test suite would.
    const imports: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', inProcessScript], { encoding: 'utf8' });
      const { importMs, readyMs } = JSON.parse(out) as { importMs: number; readyMs: number };
      imports.push(importMs);
      ready.push(readyMs);
    }
    console.log(`npm start (bundle up to date) -> listening: ${range(npm)}`);
    console.log(`node dist/cli.js -> listening:              ${range(node)}`);
    console.log(`in process: import 'codesuite':             ${range(imports)}`);
    console.log(`in process: import + startServer + 1 request: ${range(ready)}`);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

await main();
