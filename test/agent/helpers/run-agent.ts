// The agent as its own process, the way `codesuite agent --config FILE` runs it.
import { runAgent } from '../../../agent/index.js';

runAgent(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
