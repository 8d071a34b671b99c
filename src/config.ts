// zod's v3 API: the same schema language, loaded in a quarter of the time of v4 (start-up counts).
import { z } from 'zod/v3';

/** Every setting, from flags and CODESUITE_* environment variables alike, checked by one schema. */
export const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4577),
  host: z.string().min(1).default('127.0.0.1'),
  publicUrl: z.string().url().optional(),
  bodyLimit: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  dataDir: z.string().min(1).default('./.codesuite'),
  inMemory: z.boolean().default(false),
  restore: z.string().min(1).optional(),
  accountId: z.string().regex(/^\d{12}$/, 'account id must be 12 digits').default('000000000000'),
  defaultRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/).default('us-east-1'),
  enforceIam: z.boolean().default(false),
  iamSoftMode: z.boolean().default(false),
  rootAccessKey: z.string().min(1).default('test'),
  rootSecretKey: z.string().min(1).default('test'),
  buildExecutor: z.enum(['docker', 'local', 'auto']).default('auto'),
  buildNetworkMode: z.string().min(1).default('host'),
  buildImageMap: z.string().default(''),
  buildEndpointUrl: z.string().url().optional(),
  functionExecutor: z.enum(['docker', 'local', 'auto']).default('local'),
  functionImageMap: z.string().default(''),
  /** How long a warm execution environment waits for its next invocation before it is shut down. */
  functionIdleSeconds: z.coerce.number().int().min(0).default(300),
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

export const OPTION_GROUPS = ['server', 'storage', 'account and IAM', 'builds', 'functions', 'deployments'] as const;

interface OptionDoc {
  group: (typeof OPTION_GROUPS)[number];
  help: string;
}
/** An option that takes a value, shown as `--flag VALUE`. */
type ValueOption = OptionDoc & { value: string };
/** An on/off switch: `--flag`, `--flag=false`, or its variable set to 1/0, true/false, yes/no, on/off. */
type SwitchOption = OptionDoc & { value?: never };

/**
 * The documentation of every option: its group and what it does. Typed against the schema, so an
 * option added there does not compile until it is documented here, and `--help`, the flag parser
 * and the environment variables all come from this one table.
 */
export const OPTIONS: { [K in keyof Config]-?: NonNullable<Config[K]> extends boolean ? SwitchOption : ValueOption } = {
  port: { group: 'server', value: 'PORT', help: 'TCP port of every service, git included (0 picks a free one)' },
  host: { group: 'server', value: 'HOST', help: 'address to listen on (0.0.0.0 for every interface)' },
  publicUrl: { group: 'server', value: 'URL', help: 'address users reach the server at, when it differs from host:port (compose, proxies); clone URLs use it' },
  bodyLimit: { group: 'server', value: 'BYTES', help: 'largest request body of the AWS APIs (git pushes and S3 uploads stream, unlimited)' },
  logLevel: { group: 'server', value: 'LEVEL', help: 'fatal, error, warn, info, debug, trace or silent' },
  dataDir: { group: 'storage', value: 'DIR', help: 'where the database, repositories, objects and logs live' },
  inMemory: { group: 'storage', help: 'keep everything in memory and a temporary directory, gone at exit' },
  restore: { group: 'storage', value: 'FILE', help: 'start from a snapshot made by `codesuite snapshot save` (the data directory must be new or empty)' },
  accountId: { group: 'account and IAM', value: 'ID', help: 'the 12-digit account every resource belongs to' },
  defaultRegion: { group: 'account and IAM', value: 'REGION', help: 'region of requests whose signature names none' },
  enforceIam: { group: 'account and IAM', help: 'verify every signature and let IAM policies decide every request (off: any credentials act as root)' },
  iamSoftMode: { group: 'account and IAM', help: 'with enforcement: decide and log every denial, but let the request through' },
  rootAccessKey: { group: 'account and IAM', value: 'KEY', help: "access key id of the account's root user" },
  rootSecretKey: { group: 'account and IAM', value: 'SECRET', help: "secret access key of the account's root user" },
  buildExecutor: { group: 'builds', value: 'KIND', help: 'docker, local (host processes) or auto (Docker when an engine answers)' },
  buildNetworkMode: { group: 'builds', value: 'MODE', help: 'Docker network of build containers (host lets a build reach codesuite at 127.0.0.1)' },
  buildImageMap: { group: 'builds', value: 'MAP', help: 'images to run instead, pattern=image pairs separated by commas; * matches any text (aws/codebuild/*=ubuntu:24.04)' },
  buildEndpointUrl: { group: 'builds', value: 'URL', help: "the URL builds reach codesuite at (AWS_ENDPOINT_URL inside a build); the server's own address when unset" },
  functionExecutor: { group: 'functions', value: 'KIND', help: 'where Lambda functions run: local (host node/python3), docker, or auto (Docker when an engine answers)' },
  functionImageMap: { group: 'functions', value: 'MAP', help: 'images for Docker functions instead of public.ecr.aws/lambda/*, pattern=image pairs (public.ecr.aws/lambda/nodejs:20=node:20)' },
  functionIdleSeconds: { group: 'functions', value: 'SECONDS', help: 'how long a warm function environment is kept without invocations' },
  deployPollSeconds: { group: 'deployments', value: 'SECONDS', help: "how long an agent's PollHostCommand waits for a command before answering empty (agents read for 80 s)" },
  deployAgentTimeoutSeconds: { group: 'deployments', value: 'SECONDS', help: 'a lifecycle event no agent acknowledges this long after it is ready fails its instance (AGENT_ISSUE)' },
  deployEventTimeoutSeconds: { group: 'deployments', value: 'SECONDS', help: 'a lifecycle event still running this long after its acknowledgement fails' },
  deploymentTimeoutSeconds: { group: 'deployments', value: 'SECONDS', help: 'an in-place deployment still running this long fails (TIMEOUT)' },
  deploySpecFormat: { group: 'deployments', value: 'FORMAT', help: 'envelope of deployment specifications: PKCS7/JSON (what AWS sends) or TEXT/JSON (what the real Ruby agent can read from a service other than AWS)' },
};

/** A mistake in how the command was called (exit status 2), as opposed to a failure while running. */
export class UsageError extends Error {}

export function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

export function envName(key: string): string {
  return 'CODESUITE_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

const KEYS = Object.keys(OPTIONS) as (keyof Config)[];
const BY_FLAG = new Map(KEYS.map((key) => [flagName(key), key]));
const isSwitch = (key: keyof Config) => OPTIONS[key].value === undefined;

function parseBoolean(value: string): boolean {
  return !['0', 'false', 'no', 'off', ''].includes(value.toLowerCase());
}

/** Edit distance between two short strings (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The flag a typo most likely meant: within two edits, or one with the dashes left off. */
function nearestFlag(typed: string): string | undefined {
  const wanted = '--' + typed.replace(/^-+/, '');
  let best: { flag: string; d: number } | undefined;
  for (const flag of BY_FLAG.keys()) {
    const d = distance(wanted, flag);
    if (d <= 2 && (!best || d < best.d)) best = { flag, d };
  }
  return best?.flag;
}

/** Flags win over environment variables, which win over defaults. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = env[envName(key)];
    if (value !== undefined) raw[key] = isSwitch(key) ? parseBoolean(value) : value;
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const key = BY_FLAG.get(flag);
    if (!key) {
      const near = nearestFlag(flag);
      throw new UsageError(`unknown option ${flag} (${near ? `did you mean ${near}? ` : ''}see codesuite --help)`);
    }
    if (isSwitch(key)) {
      raw[key] = inline === undefined ? true : parseBoolean(inline);
    } else {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`option ${flag} needs a value (${OPTIONS[key].value})`);
      raw[key] = value;
    }
  }
  return parseConfig(raw);
}

export function parseConfig(input: ConfigInput | Record<string, unknown>): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => {
        const key = String(i.path[0] ?? '');
        return `${key in OPTIONS ? flagName(key) : key}: ${i.message}`;
      })
      .join('; ');
    throw new UsageError(`invalid configuration: ${problems}`);
  }
  return result.data;
}

/** The value an option has when neither its flag nor its variable is given. */
export function defaultOf(key: keyof Config): unknown {
  return configSchema.shape[key].safeParse(undefined).data;
}
