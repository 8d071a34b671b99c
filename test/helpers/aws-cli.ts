import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface AwsCli {
  path: string;
  /** `aws-cli/1.45.11`, `aws-cli/2.9.19`. */
  version: string;
}

/** Every distinct AWS CLI on this machine (v1 from Python, v2 from Debian's awscli), by version. */
export function installedAwsClis(): AwsCli[] {
  const found: AwsCli[] = [];
  const which = spawnSync('which', ['-a', 'aws'], { encoding: 'utf8' });
  for (const path of (which.stdout ?? '').split('\n').filter(Boolean)) {
    const probe = spawnSync(path, ['--version'], { encoding: 'utf8' });
    const version = `${probe.stdout}${probe.stderr}`.trim().split(' ')[0];
    if (probe.status === 0 && version && !found.some((c) => c.version === version)) found.push({ path, version });
  }
  return found;
}

/**
 * The first AWS CLI that reads AWS_ENDPOINT_URL (v1 >= 1.29, v2 >= 2.13): what the README's
 * commands and `aws deploy push`/`register` (whose clients take no --endpoint-url) need.
 */
export function endpointAwareCli(): AwsCli | undefined {
  return installedAwsClis().find(({ version }) => {
    const [major, minor] = version.replace('aws-cli/', '').split('.').map(Number);
    return (major === 1 && minor >= 29) || (major === 2 && minor >= 13) || major > 2;
  });
}

/** The first AWS CLI on PATH, if any. */
export const defaultAwsCli: AwsCli | undefined = installedAwsClis()[0];

/**
 * Runs the AWS CLI with JSON output and the given endpoint, credentials test/test unless told
 * otherwise, and no user configuration. Asynchronous on purpose: the server under test runs in
 * the test's own process and must keep answering while the CLI waits.
 */
export async function awsCli(cli: AwsCli, args: string[], env: Record<string, string> = {}): Promise<any> {
  const { stdout } = await run(cli.path, [...args, '--output', 'json'], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...env,
    },
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

/** The CLI's error output of a call that must fail, or a test failure when it succeeded. */
export async function awsCliFailure(cli: AwsCli, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    await awsCli(cli, args, env);
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
  throw new Error(`expected aws ${args.join(' ')} to fail`);
}
