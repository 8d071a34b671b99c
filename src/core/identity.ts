import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { rootCaller, type CallerIdentity, type RequestContext } from './context.js';
import type { ServiceDefinition } from './service.js';
import { parseCredentialScope } from './sigv4.js';

/**
 * Turns a request into its context: region and access key from the SigV4 scope, and the caller
 * the key belongs to, asked of the services that issue keys (IAM users' keys, STS sessions).
 * A key nobody issued acts as the account root: without IAM enforcement any credentials work.
 */
export class Identity {
  private readonly resolvers: NonNullable<ServiceDefinition['resolveCaller']>[];

  constructor(
    services: ServiceDefinition[],
    private readonly config: Config,
  ) {
    this.resolvers = services.flatMap((s) => (s.resolveCaller ? [s.resolveCaller] : []));
  }

  caller(accessKeyId: string | undefined, sessionToken: string | undefined): CallerIdentity {
    if (accessKeyId) {
      for (const resolve of this.resolvers) {
        const found = resolve(accessKeyId, sessionToken);
        if (found) return found;
      }
    }
    return rootCaller(this.config.accountId);
  }

  context(request: FastifyRequest, endpoint: string): RequestContext {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const scope = parseCredentialScope(request.headers, query);
    const token = request.headers['x-amz-security-token'] ?? query.get('X-Amz-Security-Token') ?? undefined;
    const caller = this.caller(scope?.accessKeyId, Array.isArray(token) ? token[0] : token);
    return {
      requestId: request.id,
      accountId: this.config.accountId,
      region: scope?.region ?? this.config.defaultRegion,
      accessKeyId: scope?.accessKeyId,
      caller,
      principalArn: caller.arn,
      endpoint,
      sourceIp: request.ip,
    };
  }
}
