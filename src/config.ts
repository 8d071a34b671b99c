// zod's v3 API: the same schema language, loaded in a quarter of the time of v4 (start-up counts).
import { z } from 'zod/v3';

/** Every setting, from flags and CODESUITE_* environment variables alike, checked by one schema. */
export const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4577),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./.codesuite'),
  inMemory: z.boolean().default(false),
  accountId: z.string().regex(/^\d{12}$/, 'account id must be 12 digits').default('000000000000'),
  defaultRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/).default('us-east-1'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The address users reach the server at, when it differs from host:port (docker compose, proxies). */
  publicUrl: z.string().url().optional(),
  /** Largest request body accepted by the AWS protocol fronts (git pushes are streamed, not limited). */
  bodyLimit: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  /** Verify every signature and let IAM policies decide every request (off: any credentials act as root). */
  enforceIam: z.boolean().default(false),
  /** With enforcement: decide and log every denial, but let the request through. */
  iamSoftMode: z.boolean().default(false),
  /** The account root user's access key pair. */
  rootAccessKey: z.string().min(1).default('test'),
  rootSecretKey: z.string().min(1).default('test'),
  /** Where CodeBuild runs builds: Docker containers, host processes, or Docker when an engine answers. */
  buildExecutor: z.enum(['docker', 'local', 'auto']).default('auto'),
  /** Docker network mode of build containers (`host` lets a build reach codesuite at 127.0.0.1). */
  buildNetworkMode: z.string().min(1).default('host'),
  /** Image names for builds, `pattern=image` pairs separated by commas; `*` matches any text (`aws/codebuild/*=ubuntu:24.04`). */
  buildImageMap: z.string().default(''),
  /** The URL builds reach codesuite at (AWS_ENDPOINT_URL inside a build); the server's own address when unset. */
  buildEndpointUrl: z.string().url().optional(),
  /** How long an agent's PollHostCommand waits for a command before answering empty (the agent reads for 80 s). */
  deployPollSeconds: z.coerce.number().int().min(0).max(70).default(60),
  /** A lifecycle event the agent has not acknowledged this long after it was ready fails the instance (AGENT_ISSUE). */
  deployAgentTimeoutSeconds: z.coerce.number().int().positive().default(300),
  /** A lifecycle event still running this long after the agent acknowledged it fails. */
  deployEventTimeoutSeconds: z.coerce.number().int().positive().default(3600),
  /** An in-place deployment still running this long fails (TIMEOUT). */
  deploymentTimeoutSeconds: z.coerce.number().int().positive().default(8 * 3600),
  /**
   * The envelope deployment specifications are sent in: signed PKCS7 (what AWS sends), or plain JSON,
   * which the Ruby agent parses (its PKCS7 check trusts only AWS's signer) and v2 takes in developer mode.
   */
  deploySpecFormat: z.enum(['PKCS7/JSON', 'TEXT/JSON']).default('PKCS7/JSON'),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

const FLAGS: Record<string, keyof Config> = {
  '--port': 'port',
  '--host': 'host',
  '--data-dir': 'dataDir',
  '--in-memory': 'inMemory',
  '--account-id': 'accountId',
  '--default-region': 'defaultRegion',
  '--log-level': 'logLevel',
  '--public-url': 'publicUrl',
  '--body-limit': 'bodyLimit',
  '--enforce-iam': 'enforceIam',
  '--iam-soft-mode': 'iamSoftMode',
  '--root-access-key': 'rootAccessKey',
  '--root-secret-key': 'rootSecretKey',
  '--build-executor': 'buildExecutor',
  '--build-network-mode': 'buildNetworkMode',
  '--build-image-map': 'buildImageMap',
  '--build-endpoint-url': 'buildEndpointUrl',
  '--deploy-poll-seconds': 'deployPollSeconds',
  '--deploy-agent-timeout-seconds': 'deployAgentTimeoutSeconds',
  '--deploy-event-timeout-seconds': 'deployEventTimeoutSeconds',
  '--deployment-timeout-seconds': 'deploymentTimeoutSeconds',
  '--deploy-spec-format': 'deploySpecFormat',
};

const BOOLEAN_FLAGS = new Set<keyof Config>(['inMemory', 'enforceIam', 'iamSoftMode']);

function envName(key: string): string {
  return 'CODESUITE_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

function parseBoolean(value: string): boolean {
  return !['0', 'false', 'no', 'off', ''].includes(value.toLowerCase());
}

/** Flags win over environment variables, which win over defaults. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.values(FLAGS)) {
    const value = env[envName(key)];
    if (value !== undefined) raw[key] = BOOLEAN_FLAGS.has(key) ? parseBoolean(value) : value;
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const key = FLAGS[flag];
    if (!key) throw new Error(`unknown option ${flag}; options: ${Object.keys(FLAGS).join(' ')}`);
    if (BOOLEAN_FLAGS.has(key)) {
      raw[key] = inline === undefined ? true : parseBoolean(inline);
    } else {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`option ${flag} needs a value`);
      raw[key] = value;
    }
  }
  return parseConfig(raw);
}

export function parseConfig(input: ConfigInput | Record<string, unknown>): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return result.data;
}
