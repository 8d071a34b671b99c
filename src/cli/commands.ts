import { UsageError } from '../config.js';
import { CommandFailed } from './errors.js';
import { VERSION } from '../version.js';
import { optionsHelp } from './help.js';

/** One sub-command: `codesuite <name> ...`. Its module loads only when it runs, so `--help` stays instant. */
export interface Command {
  summary: string;
  usage: string;
  /** What `codesuite help <name>` adds below the usage line. */
  details: () => string;
  /** Resolves to the exit status once the command is done; a server resolves only when it stops. */
  run: (argv: string[]) => Promise<number>;
}

/** Every sub-command. A new one is one entry here. */
export const COMMANDS: Record<string, Command> = {
  start: {
    summary: 'run the server (the default when the first argument is an option, or there is none)',
    usage: 'codesuite [start] [options]',
    details: () => `Every option can also be set by its environment variable; a flag wins.\n\n${optionsHelp()}`,
    run: async (argv) => (await import('./start.js')).runStart(argv),
  },
  snapshot: {
    summary: "save a running server's whole state to a .tar.gz (restore it with start --restore FILE)",
    usage: 'codesuite snapshot save FILE [--endpoint URL]',
    details: () => (SNAPSHOT_DETAILS),
    run: async (argv) => (await import('../snapshot/command.js')).runSnapshot(argv),
  },
  agent: {
    summary: 'run a CodeDeploy agent for one on-premises instance: it polls for deployments and runs their appspec hooks',
    usage: 'codesuite agent --config codedeployagent.yml [--on-premises-config codedeploy.onpremises.yml]',
    details: () => AGENT_DETAILS,
    run: async (argv) => {
      const agent = await import('../../agent/index.js');
      try {
        await agent.runAgent(argv);
      } catch (err) {
        // A wrong argument or an unreadable configuration is one line, not a stack.
        if (err instanceof agent.ConfigError) throw new CommandFailed(err.message);
        if (err instanceof Error && err.message.includes('usage: codesuite agent')) throw new UsageError(err.message.replace(/\n/g, '; '));
        throw err;
      }
      return 0;
    },
  },
  help: {
    summary: 'show the options of a command',
    usage: 'codesuite help [COMMAND]',
    details: () => '',
    run: async (argv) => {
      process.stdout.write(help(argv[0]));
      return 0;
    },
  },
};

const SNAPSHOT_DETAILS = `Saves the database, repositories, S3 objects and logs of a running server, consistently and
without stopping it, as one .tar.gz. A trainer prepares a lab once; every student starts from it
with \`codesuite start --restore FILE\` (into a new or empty --data-dir, or with --in-memory).

  --endpoint URL   the server to snapshot (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4577)

Under --enforce-iam the request is signed with the account's root credentials, taken from
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (else CODESUITE_ROOT_ACCESS_KEY and
CODESUITE_ROOT_SECRET_KEY, else test/test). A snapshot holds the data directory's at-rest key:
keep it as private as the data directory itself.
`;

const AGENT_DETAILS = `Reads the real AWS agent's two configuration files: codedeployagent.yml (:deploy_control_endpoint:
and :s3_endpoint_override: pointing at codesuite, :root_dir:, :max_revisions:, :wait_between_runs:)
and codedeploy.onpremises.yml (region, iam_user_arn with its keys, or iam_session_arn with a
credentials file), as \`aws deploy register\` writes it. Without --on-premises-config, the file
:on_premises_config_file: names is read, else codedeploy.onpremises.yml beside the config file.
Runs until SIGINT or SIGTERM; a restart fails the lifecycle event it interrupted, as AWS's agent does.
`;

/** `codesuite --help` without a command; with one, that command's usage and details. */
export function help(name?: string): string {
  if (name !== undefined) {
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw new UsageError(`unknown command ${name} (see codesuite --help)`);
    const details = command.details();
    return `Usage: ${command.usage}\n\n${command.summary}\n${details ? `\n${details}` : ''}`;
  }
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  return [
    `codesuite ${VERSION}: AWS CodeCommit, CodeBuild, CodeDeploy, IAM, S3 and their neighbours on one local port`,
    '',
    'Usage: codesuite [COMMAND] [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    '  -h, --help      this text (codesuite help COMMAND: one command)',
    '  -v, --version   the version',
    '',
    `Options of start; every one can also be set by its environment variable, and a flag wins.`,
    '',
    optionsHelp(),
  ].join('\n');
}
