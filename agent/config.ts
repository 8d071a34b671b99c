import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { SigningCredentials } from '../src/core/sigv4-sign.js';

/** The settings of `codedeployagent.yml` the agent acts on (agent v1 `config.rb` defaults). */
export interface AgentConfig {
  deployControlEndpoint?: string;
  s3EndpointOverride?: string;
  rootDir: string;
  maxRevisions: number;
  waitBetweenRuns: number;
  onPremisesConfigFile: string;
  enableAuthPolicy: boolean;
  httpReadTimeout: number;
}

export class ConfigError extends Error {}

const DEFAULTS: AgentConfig = {
  rootDir: '/opt/codedeploy-agent/deployment-root',
  maxRevisions: 5,
  waitBetweenRuns: 30,
  onPremisesConfigFile: '/etc/codedeploy-agent/conf/codedeploy.onpremises.yml',
  enableAuthPolicy: false,
  httpReadTimeout: 80,
};

/** Ruby's YAML symbol keys (`:root_dir:`) arrive as strings with a leading colon. */
function symbolKeys(doc: unknown, file: string): Record<string, unknown> {
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`${file}: expected a mapping of settings`);
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k.replace(/^:/, ''), v]));
}

async function readYaml(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return symbolKeys(parseYaml(text), file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
}

const str = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : String(v));

export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  const raw = await readYaml(file);
  const maxRevisions = raw.max_revisions === undefined || raw.max_revisions === null ? DEFAULTS.maxRevisions : Number(raw.max_revisions);
  if (!Number.isInteger(maxRevisions) || maxRevisions < 1) throw new ConfigError(`Invalid configuration :max_revision=${String(raw.max_revisions)}`);
  const number = (v: unknown, fallback: number) => (v === undefined || v === null || Number.isNaN(Number(v)) ? fallback : Number(v));
  return {
    deployControlEndpoint: str(raw.deploy_control_endpoint),
    s3EndpointOverride: str(raw.s3_endpoint_override),
    rootDir: str(raw.root_dir) ?? DEFAULTS.rootDir,
    maxRevisions,
    waitBetweenRuns: number(raw.wait_between_runs, DEFAULTS.waitBetweenRuns),
    onPremisesConfigFile: str(raw.on_premises_config_file) ?? DEFAULTS.onPremisesConfigFile,
    enableAuthPolicy: raw.enable_auth_policy === true || raw.enable_auth_policy === 'true',
    httpReadTimeout: number(raw.http_read_timeout, DEFAULTS.httpReadTimeout),
  };
}

/** Who the instance is: region, host identifier (the IAM ARN) and how to get its credentials. */
export interface Identity {
  region: string;
  hostIdentifier: string;
  credentials(): Promise<SigningCredentials>;
  /** The IAM user's keys from the file (absent for a session, whose keys rotate). */
  userKeys?: SigningCredentials;
}

/** The `[default]` profile of an INI credentials file. */
export function parseCredentialsFile(text: string, file: string): SigningCredentials {
  let section = '';
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(trimmed);
    if (header) section = header[1];
    else if (section === 'default') {
      const eq = trimmed.indexOf('=');
      if (eq > 0) values[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
    }
  }
  if (!values.aws_access_key_id || !values.aws_secret_access_key) throw new ConfigError(`${file}: no aws_access_key_id and aws_secret_access_key in [default]`);
  return { accessKeyId: values.aws_access_key_id, secretAccessKey: values.aws_secret_access_key, sessionToken: values.aws_session_token };
}

/**
 * Reads `codedeploy.onpremises.yml`: region with either an IAM user ARN and its keys, or an IAM
 * session ARN and a credentials file that is read again for every request (whatever refreshes
 * the session rewrites it). `AWS_HOST_IDENTIFIER` overrides the host identifier, as in agent v1.
 */
export async function loadIdentity(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Identity> {
  const raw = await readYaml(file);
  const region = str(raw.region) ?? str(env.AWS_REGION);
  if (!region) throw new ConfigError(`${file}: region is missing`);
  const userArn = str(raw.iam_user_arn);
  const sessionArn = str(raw.iam_session_arn);
  if (userArn && sessionArn) throw new ConfigError(`${file}: both iam_user_arn and iam_session_arn are set; give exactly one`);
  const hostOverride = str(env.AWS_HOST_IDENTIFIER);
  if (userArn) {
    const accessKeyId = str(raw.aws_access_key_id);
    const secretAccessKey = str(raw.aws_secret_access_key);
    if (!accessKeyId || !secretAccessKey) throw new ConfigError(`${file}: iam_user_arn needs aws_access_key_id and aws_secret_access_key`);
    const userKeys = { accessKeyId, secretAccessKey };
    return { region, hostIdentifier: hostOverride ?? userArn, credentials: async () => userKeys, userKeys };
  }
  if (sessionArn) {
    const credentialsFile = str(raw.aws_credentials_file);
    if (!credentialsFile) throw new ConfigError(`${file}: iam_session_arn needs aws_credentials_file`);
    return {
      region,
      hostIdentifier: hostOverride ?? sessionArn,
      credentials: async () => parseCredentialsFile(await readFile(credentialsFile, 'utf8'), credentialsFile),
    };
  }
  throw new ConfigError(`${file}: neither iam_user_arn nor iam_session_arn is set`);
}
