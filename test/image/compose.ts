import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The codesuite service of docker-compose.yml as `docker build` and `docker run` arguments, so
 * the image test runs the compose file's own settings where no compose tool is installed (CI has
 * Debian's docker.io only). A key this does not translate fails the test rather than be dropped.
 */
export interface ComposeRun {
  buildArgs: string[];
  runArgs: string[];
  /** Named volumes, as renamed for this run (to remove afterwards). */
  volumes: string[];
}

const TRANSLATED = new Set(['build', 'image', 'init', 'ports', 'environment', 'group_add', 'volumes']);

/** Compose's variable syntax: `${NAME}`, `${NAME:-default}`, `${NAME:?error}`, `$$`. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (whole === '$$') return '$';
    const value = env[name!];
    if (value !== undefined && value !== '') return value;
    if (op === '?') throw new Error(`docker-compose.yml: ${name}: ${arg}`);
    return op === '-' ? arg! : '';
  });
}

/** `volumePrefix` keeps this run's named volumes apart from a user's `docker compose up`. */
export function composeRun(file: string, serviceName: string, env: Record<string, string | undefined>, volumePrefix: string): ComposeRun {
  const doc = parse(interpolate(readFileSync(file, 'utf8'), env)) as { services: Record<string, Record<string, unknown>> };
  const service = doc.services[serviceName];
  const unknown = Object.keys(service).filter((key) => !TRANSLATED.has(key));
  if (unknown.length > 0) throw new Error(`docker-compose.yml: the image test does not translate ${unknown.join(', ')}`);

  const build = service.build as { args?: Record<string, string> } | undefined;
  const buildArgs = Object.entries(build?.args ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
  const runArgs: string[] = [];
  if (service.init === true) runArgs.push('--init');
  for (const port of (service.ports ?? []) as string[]) runArgs.push('--publish', port);
  for (const [k, v] of Object.entries((service.environment ?? {}) as Record<string, string>)) runArgs.push('--env', `${k}=${v}`);
  for (const group of (service.group_add ?? []) as (string | number)[]) runArgs.push('--group-add', String(group));
  const volumes: string[] = [];
  for (const spec of (service.volumes ?? []) as string[]) {
    const [source, ...rest] = spec.split(':');
    const named = !source.startsWith('/') && !source.startsWith('.');
    const actual = named ? `${volumePrefix}-${source}` : source;
    if (named) volumes.push(actual);
    runArgs.push('--volume', [actual, ...rest].join(':'));
  }
  return { buildArgs, runArgs, volumes };
}
