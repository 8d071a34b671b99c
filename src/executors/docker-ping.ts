import { request, type RequestOptions } from 'node:http';

/**
 * Where dockerode connects by default, for the plain transports: DOCKER_HOST as unix:// or
 * tcp:// without TLS, else the default socket. Undefined for the others (ssh://, TLS, npipe),
 * which only dockerode itself can reach.
 */
export function plainDockerEndpoint(env: NodeJS.ProcessEnv = process.env): RequestOptions | undefined {
  const host = env.DOCKER_HOST;
  if (!host) return process.platform === 'win32' ? undefined : { socketPath: '/var/run/docker.sock' };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('tcp://') && !env.DOCKER_TLS_VERIFY) {
    const url = new URL(`http://${host.slice('tcp://'.length)}`);
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return undefined;
}

/**
 * The Engine API's `GET /_ping` over node:http: whether an engine answers, without loading
 * dockerode (a second of start-up on a busy machine) before a build needs it.
 */
export function pingDocker(endpoint: RequestOptions, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
