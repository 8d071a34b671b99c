#!/usr/bin/env node
import { COMMANDS, help } from './cli/commands.js';
import { CommandFailed } from './cli/errors.js';
import { UsageError } from './config.js';
import { VERSION } from './version.js';

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h') {
    process.stdout.write(help());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first === undefined || first.startsWith('-')) return COMMANDS.start.run(argv);
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) throw new UsageError(`unknown command ${first} (see codesuite --help)`);
  if (rest[0] === '--help' || rest[0] === '-h') {
    process.stdout.write(help(first));
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`codesuite: ${err.message}\n`);
      process.exit(2);
    }
    // Expected failures say what went wrong in one line; anything else is a bug worth its stack.
    process.stderr.write(`codesuite: ${err instanceof CommandFailed ? err.message : ((err as Error).stack ?? String(err))}\n`);
    process.exit(1);
  },
);
