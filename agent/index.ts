import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadAgentConfig, loadIdentity, type AgentConfig, type Identity } from './config.js';
import { CommandPoller, type AgentLog } from './poller.js';

export { ConfigError } from './config.js';
export type { AgentConfig, Identity } from './config.js';
export type { AgentLog } from './poller.js';

export interface AgentOptions {
  /** Path of `codedeployagent.yml`. */
  configFile: string;
  /** Overrides `:on_premises_config_file:` (handy beside a test's own config). */
  onPremisesConfigFile?: string;
  /** Environment scripts inherit and `AWS_HOST_IDENTIFIER`/`AWS_REGION` come from; default process.env. */
  env?: NodeJS.ProcessEnv;
  log?: AgentLog;
}

export interface RunningAgent {
  config: AgentConfig;
  identity: Identity;
  stop(): Promise<void>;
}

/**
 * What scripts inherit, as agent v1 arranges its own environment: no AWS keys of whoever started
 * the agent, but the instance's region and host identifier (and an IAM user's keys as
 * AWS_ACCESS_KEY / AWS_SECRET_KEY) from the on-premises configuration.
 */
function scriptEnvironment(env: NodeJS.ProcessEnv, identity: Identity): NodeJS.ProcessEnv {
  const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, AWS_CREDENTIAL_FILE: _file, ...rest } = env;
  return {
    ...rest,
    AWS_REGION: identity.region,
    AWS_HOST_IDENTIFIER: identity.hostIdentifier,
    ...(identity.userKeys ? { AWS_ACCESS_KEY: identity.userKeys.accessKeyId, AWS_SECRET_KEY: identity.userKeys.secretAccessKey } : {}),
  };
}

const stderrLog: AgentLog = (level, message) => {
  if (level !== 'debug' || process.env.CODESUITE_AGENT_DEBUG) process.stderr.write(`${new Date().toISOString()} [${level.toUpperCase()}] ${message}\n`);
};

/** Starts one agent in this process; `stop()` ends its polling and waits for running commands. */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const env = options.env ?? process.env;
  const config = await loadAgentConfig(options.configFile);
  const identity = await loadIdentity(options.onPremisesConfigFile ?? config.onPremisesConfigFile, env);
  const poller = new CommandPoller(config, identity, options.log ?? stderrLog, scriptEnvironment(env, identity));
  poller.start();
  return { config, identity, stop: () => poller.stop() };
}

const USAGE = 'usage: codesuite agent --config <codedeployagent.yml> [--on-premises-config <codedeploy.onpremises.yml>]';

/**
 * `codesuite agent --config FILE`: one agent for one instance, until SIGINT or SIGTERM. Without
 * `--on-premises-config` the file named by `:on_premises_config_file:` is read, or when there is
 * none, `codedeploy.onpremises.yml` beside the config file.
 */
export async function runAgent(argv: string[]): Promise<void> {
  let configFile: string | undefined;
  let onPremises: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') configFile = argv[++i];
    else if (argv[i] === '--on-premises-config') onPremises = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (!configFile) throw new Error(USAGE);
  const config = await loadAgentConfig(configFile);
  const fallback = existsSync(config.onPremisesConfigFile) ? config.onPremisesConfigFile : join(dirname(configFile), 'codedeploy.onpremises.yml');
  const agent = await startAgent({ configFile, onPremisesConfigFile: onPremises ?? fallback });
  await new Promise<void>((done) => {
    const shutdown = () => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      void agent.stop().then(done);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}
