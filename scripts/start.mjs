// `npm start`: bundles first when a source changed, then runs the command line in this same
// process (one Node.js start instead of two). Arguments after `npm start --` reach it unchanged.
import { bundle } from './bundle.mjs';

await bundle({ ifStale: true });
await import('../dist/cli.js');
